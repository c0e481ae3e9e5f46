import { resolve } from 'node:path';
import {
  argmax,
  CausalLM,
  type ForwardResult,
  type GenerationChunk,
  type GenerationOptions,
  type GenerationResult,
  type KvCache,
  type SessionOptionsInput,
} from '@signal/runtime';
import type { Tensor } from 'onnxruntime-node';
import { LoraError } from '../errors/LoraError';
import type { TargetSelector } from '../graft/findLoraTargets';
import { type GraftedModel, graftLora } from '../graft/graftLora';
import type { LoraAdapter, LoraTarget } from '../peft/LoraAdapter';
import { loraInputName } from '../peft/moduleNames';
import type { AdapterSource } from '../store/AdapterSource';
import { type AdapterLease, AdapterStore } from '../store/AdapterStore';
import { loraFeeds } from './loraFeeds';

export interface LoraModelLoadOptions {
  /** Modules to graft (PEFT `target_modules` syntax). */
  readonly targets: TargetSelector;
  readonly maxRank?: number | undefined;
  /** Where the grafted copy lives; defaults to a sibling of the model dir. */
  readonly graftDir?: string | undefined;
  readonly sources: readonly AdapterSource[];
  /** Memory budget of the adapter cache, in bytes. */
  readonly maxAdapterBytes: number;
  readonly session?: SessionOptionsInput | undefined;
}

/** The graph inputs a grafted model adds, for `CausalLMLoadOptions.acceptInput`. */
export function loraInputAcceptor(graft: GraftedModel): (name: string) => boolean {
  const inputs = new Set(
    graft.manifest.modules.flatMap((m) => [
      loraInputName(m.module, 'A'),
      loraInputName(m.module, 'B'),
    ]),
  );
  return (name) => inputs.has(name);
}

/** The adapter picked per request; null or absent runs the base model. */
export type AdapterChoice = string | null | undefined;

export type LoraGenerationOptions = Omit<GenerationOptions, 'extraFeeds'> & {
  adapter?: AdapterChoice;
};

/** Adapters pinned for one batch and the feeds that select them; release when the batch ends. */
export interface LoraBinding {
  readonly adapters: readonly (LoraAdapter | null)[];
  readonly feeds: Readonly<Record<string, Tensor>>;
  release(): void;
}

export interface GenerateBatchOptions {
  /** Row i runs with `adapters[i]`; one entry per prompt. */
  readonly adapters: readonly AdapterChoice[];
  readonly maxNewTokens: number;
  readonly signal?: AbortSignal | undefined;
}

export interface BatchGenerationResult {
  readonly tokens: number[][];
  readonly texts: string[];
}

/**
 * One base model with per-request adapters: the graph is grafted once, one ONNX session
 * serves every adapter, and switching adapters only changes the feeds.
 */
export class LoraModel {
  /** Uniform feeds are pure functions of the adapter, so they are built once per adapter. */
  readonly #uniformFeeds = new WeakMap<LoraAdapter, Record<string, Tensor>>();
  readonly #baseFeeds: Record<string, Tensor>;

  private constructor(
    readonly lm: CausalLM,
    readonly store: AdapterStore,
    readonly graft: GraftedModel,
    private readonly ownsModel: boolean,
  ) {
    this.#baseFeeds = loraFeeds(graft.targets, [null]);
  }

  /** Grafts the model dir (or reuses its cached graft), opens one session and an adapter store. */
  static async load(modelDir: string, options: LoraModelLoadOptions): Promise<LoraModel> {
    const graft = await graftLora(modelDir, {
      targets: options.targets,
      maxRank: options.maxRank,
      outDir: options.graftDir,
    });
    const lm = await CausalLM.load(graft.dir, {
      ...(options.session ? { session: options.session } : {}),
      acceptInput: loraInputAcceptor(graft),
    });
    return new LoraModel(lm, LoraModel.#storeFor(graft, options), graft, true);
  }

  /**
   * Wraps a grafted model someone else opened and owns (e.g. a `ModelRegistry` lease loaded
   * from `graft.dir` with `acceptInput: loraInputAcceptor(graft)`); `dispose()` leaves it open.
   */
  static attach(
    lm: CausalLM,
    graft: GraftedModel,
    options: Pick<LoraModelLoadOptions, 'sources' | 'maxAdapterBytes' | 'maxRank'>,
  ): LoraModel {
    const accepts = loraInputAcceptor(graft);
    const missing = graft.manifest.modules.find((m) => !accepts(`${m.module}.lora_A`));
    if (missing || resolve(lm.modelDir.modelPath) !== resolve(graft.modelPath)) {
      throw new LoraError(
        'LORA_GRAFT_INVALID',
        `The model at ${lm.modelDir.modelPath} is not the graft at ${graft.modelPath}`,
      );
    }
    return new LoraModel(lm, LoraModel.#storeFor(graft, options), graft, false);
  }

  static #storeFor(
    graft: GraftedModel,
    options: Pick<LoraModelLoadOptions, 'sources' | 'maxAdapterBytes' | 'maxRank'>,
  ): AdapterStore {
    return new AdapterStore({
      targets: graft.targets,
      sources: options.sources,
      maxBytes: options.maxAdapterBytes,
      maxRank: options.maxRank ?? graft.manifest.maxRank ?? undefined,
    });
  }

  get targets(): readonly LoraTarget[] {
    return this.graft.targets;
  }

  /** Pins the adapters of a batch (row i uses `choices[i]`) and builds their feeds. */
  async bind(choices: readonly AdapterChoice[], signal?: AbortSignal): Promise<LoraBinding> {
    if (choices.length === 0)
      throw new LoraError('LORA_BATCH_INVALID', 'A LoRA batch needs at least one row');
    const names = [...new Set(choices.filter((c): c is string => typeof c === 'string'))];
    const leases: AdapterLease[] = [];
    try {
      for (const name of names) leases.push(await this.store.acquire(name, signal));
    } catch (error) {
      for (const lease of leases) lease.release();
      throw error;
    }
    const byName = new Map(leases.map((l) => [l.adapter.name, l.adapter]));
    const adapters = choices.map((c) => (typeof c === 'string' ? byName.get(c)! : null));
    const release = () => {
      for (const lease of leases) lease.release();
    };
    return { adapters, feeds: this.#feedsFor(adapters), release };
  }

  #feedsFor(adapters: readonly (LoraAdapter | null)[]): Record<string, Tensor> {
    const first = adapters[0] ?? null;
    if (!adapters.every((a) => a === first)) return loraFeeds(this.targets, adapters);
    if (first === null) return this.#baseFeeds;
    let feeds = this.#uniformFeeds.get(first);
    if (!feeds) {
      feeds = loraFeeds(this.targets, [first]);
      this.#uniformFeeds.set(first, feeds);
    }
    return feeds;
  }

  /** Streams a generation with one adapter, pinned until the stream ends. */
  async *generate(
    input: string | readonly number[],
    options: LoraGenerationOptions = {},
  ): AsyncGenerator<GenerationChunk> {
    const { adapter, ...rest } = options;
    const binding = await this.bind([adapter], options.signal);
    try {
      yield* this.lm.generate(input, { ...rest, extraFeeds: binding.feeds });
    } finally {
      binding.release();
    }
  }

  async generateText(
    input: string | readonly number[],
    options: LoraGenerationOptions = {},
  ): Promise<GenerationResult> {
    const tokens: number[] = [];
    for await (const chunk of this.generate(input, options)) {
      if (chunk.type === 'done')
        return { text: chunk.text, tokens, finishReason: chunk.finishReason };
      tokens.push(chunk.token);
    }
    throw new LoraError('LORA_BATCH_INVALID', 'generation ended without a result');
  }

  /** Runs prompts as one batch, row i with `adapters[i]`; returns the last-position logits and cache. */
  async prefill(
    rows: readonly (readonly number[])[],
    binding: LoraBinding,
    options: { allLogits?: boolean } = {},
  ): Promise<ForwardResult> {
    this.#checkRows(rows.length, binding);
    return this.lm.prefill(rows, {
      extraFeeds: binding.feeds,
      allLogits: options.allLogits ?? false,
    });
  }

  async step(
    tokens: readonly number[],
    cache: KvCache,
    binding: LoraBinding,
  ): Promise<ForwardResult> {
    this.#checkRows(tokens.length, binding);
    return this.lm.step(tokens, cache, binding.feeds);
  }

  /**
   * Greedy decoding of a heterogeneous batch: every row carries its own adapter and all rows
   * advance together through one session. A row stops recording at an EOS token.
   */
  async generateBatch(
    prompts: readonly (string | readonly number[])[],
    options: GenerateBatchOptions,
  ): Promise<BatchGenerationResult> {
    if (options.adapters.length !== prompts.length) {
      throw new LoraError(
        'LORA_BATCH_INVALID',
        `${prompts.length} prompts but ${options.adapters.length} adapter choices`,
      );
    }
    const rows = prompts.map((p) => (typeof p === 'string' ? this.lm.tokenizer.encode(p) : [...p]));
    const binding = await this.bind(options.adapters, options.signal);
    try {
      const eos = new Set(this.lm.eosTokenIds);
      const tokens: number[][] = rows.map(() => []);
      const done = rows.map(() => false);
      let { logits, cache } = await this.prefill(rows, binding);
      for (let produced = 0; produced < options.maxNewTokens; produced++) {
        const next = rows.map((_, b) => argmax(logits.at(b, -1)));
        next.forEach((token, b) => {
          if (done[b]) return;
          if (eos.has(token)) done[b] = true;
          else tokens[b]!.push(token);
        });
        if (done.every(Boolean) || produced + 1 === options.maxNewTokens) break;
        ({ logits, cache } = await this.step(next, cache, binding));
      }
      return { tokens, texts: tokens.map((t) => this.lm.tokenizer.decode(t)) };
    } finally {
      binding.release();
    }
  }

  /** Closes the session when this LoraModel opened it (`load`), not when it was attached. */
  async dispose(): Promise<void> {
    if (this.ownsModel) await this.lm.dispose();
  }

  #checkRows(rows: number, binding: LoraBinding): void {
    const uniform = binding.adapters.every((a) => a === binding.adapters[0]);
    if (!uniform && binding.adapters.length !== rows) {
      throw new LoraError(
        'LORA_BATCH_INVALID',
        `The batch has ${rows} rows but its adapters were bound for ${binding.adapters.length}`,
      );
    }
  }
}
