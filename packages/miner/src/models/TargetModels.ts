import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { type GraftedModel, LoraModel, loraInputAcceptor } from '@signal/lora';
import {
  type CausalLM,
  CausalLM as CausalLMClass,
  ModelRegistry,
  type RegistryModelSpec,
  type SessionOptionsInput,
} from '@signal/runtime';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { MinerConfig } from '../config/MinerConfigSchema';
import { adapterNameOf, adapterSourceOf } from './adapterSource';
import { assertServed } from './assertServed';
import { exposePreRopeQueries } from './exposePreRopeQueries';
import { graftOnce } from './graftOnce';
import { MinerRequestError } from './MinerRequestError';

type Feeds = Awaited<ReturnType<LoraModel['bind']>>['feeds'];

/** A target model checked out for one request, with the feeds that select its adapter. */
export interface TargetModelLease {
  /** The target model's name, as requests call it. */
  readonly name: string;
  readonly lm: CausalLM;
  /** The adapter this request runs with, or null for the base weights. */
  readonly adapter: string | null;
  /** Extra graph feeds (LoRA stacks) every forward pass of this request must carry. */
  readonly feeds: Feeds | undefined;
  release(): void;
}

export interface TargetModelsOptions {
  readonly models: MinerConfig['models'];
  readonly memoryBytes: number;
  readonly adapterBytes: number;
  /** Where adapters fetched over HTTP are cached. */
  readonly adapterCacheDir: string;
  readonly session?: SessionOptionsInput;
  /** Requests that may hold one model at once (default 2); the rest wait their turn. */
  readonly maxConcurrency?: number;
  /** Load every model with its pre-RoPE queries as graph outputs (for expected_attention). */
  readonly preRopeQueries?: boolean;
}

interface AdapterPlan {
  readonly name: string;
  readonly source: ReturnType<typeof adapterSourceOf>;
}

/**
 * The miner's target models: base models in a `ModelRegistry` (lazy, LRU under a memory
 * budget), each with its configured LoRA adapter grafted in and activated on first use.
 * Nothing here is global, so several miners in one process keep separate pools.
 */
export class TargetModels {
  readonly #registry: ModelRegistry;
  readonly #adapters = new Map<string, AdapterPlan>();
  readonly #grafts = new Map<string, GraftedModel>();
  /** One LoraModel per loaded session: a reload after eviction gets a fresh one. */
  readonly #lora = new WeakMap<CausalLM, LoraModel>();
  readonly #activated = new Set<string>();
  readonly #embedders = new Map<string, Promise<InferenceSession>>();
  readonly #options: TargetModelsOptions;

  constructor(options: TargetModelsOptions) {
    this.#options = options;
    const specs: Record<string, RegistryModelSpec> = {};
    for (const [name, entry] of Object.entries(options.models)) {
      specs[name] = {
        dir: entry.base_model_dir,
        maxConcurrency: options.maxConcurrency ?? 2,
        load: {
          ...(options.session ? { session: options.session } : {}),
          ...(entry.dtype ? { dtype: entry.dtype } : {}),
        },
      };
      if (entry.adapter) {
        this.#adapters.set(name, {
          name: adapterNameOf(entry.adapter),
          source: adapterSourceOf(entry.adapter, options.adapterCacheDir),
        });
      }
    }
    this.#registry = new ModelRegistry({
      budgetBytes: options.memoryBytes,
      models: specs,
      loader: (name, spec) => this.#load(name, spec),
    });
  }

  /** Target model names, as configured. */
  get names(): string[] {
    return this.#registry.names;
  }

  /** Adapters that have been fetched and activated at least once. */
  get activatedAdapters(): string[] {
    return [...this.#activated];
  }

  has(model: string): boolean {
    return Object.hasOwn(this.#options.models, model);
  }

  /** The adapter configured for a target model, if any. */
  adapterFor(model: string): string | null {
    return this.#adapters.get(model)?.name ?? null;
  }

  /**
   * Checks a target model out with its adapter active. A request may name the adapter
   * (it must be the one configured for that model) or leave it to the configuration.
   */
  async acquire(
    model: string,
    requestedAdapter: string | null,
    signal?: AbortSignal,
  ): Promise<TargetModelLease> {
    this.assertServed(model);
    const plan = this.#adapters.get(model);
    if (requestedAdapter !== null && requestedAdapter !== plan?.name) {
      throw new MinerRequestError(
        'MINER_NOT_SERVED',
        `Adapter "${requestedAdapter}" is not served for model "${model}".`,
        {
          details: plan ? `This miner serves adapter "${plan.name}".` : 'No adapter is configured.',
        },
      );
    }
    const lease = await this.#registry.acquire(model, signal ? { signal } : {});
    if (!plan) {
      return {
        name: model,
        lm: lease.model,
        adapter: null,
        feeds: undefined,
        release: lease.release,
      };
    }
    try {
      const lora = this.#loraFor(model, lease.model);
      const binding = await lora.bind([plan.name], signal);
      this.#activated.add(plan.name);
      return {
        name: model,
        lm: lease.model,
        adapter: plan.name,
        feeds: binding.feeds,
        release: () => {
          binding.release();
          lease.release();
        },
      };
    } catch (error) {
      lease.release();
      throw error;
    }
  }

  /** Refuses a target model this miner does not serve, listing the ones it does. */
  assertServed(model: string): void {
    assertServed(this.#options.models, model);
  }

  /**
   * Input embeddings `[ids.length, hidden]` from the model directory's
   * `onnx/embed_tokens.onnx`, for soft tokens. Models without that file cannot take them.
   */
  async embed(model: string, ids: readonly number[]): Promise<Float32Array> {
    this.assertServed(model);
    let session = this.#embedders.get(model);
    if (!session) {
      session = this.#openEmbedder(model);
      this.#embedders.set(model, session);
      session.catch(() => this.#embedders.delete(model));
    }
    const input = new Tensor(
      'int64',
      BigInt64Array.from(ids, (id) => BigInt(id)),
      [1, ids.length],
    );
    const outputs = await (await session).run({ input_ids: input });
    const embeds = outputs.inputs_embeds;
    if (!embeds || !(embeds.data instanceof Float32Array)) {
      throw new MinerRequestError('MINER_NOT_SERVED', `Model "${model}" has no usable embedder.`, {
        details: 'onnx/embed_tokens.onnx must output float32 inputs_embeds.',
      });
    }
    return embeds.data;
  }

  async dispose(): Promise<void> {
    const embedders = [...this.#embedders.values()];
    this.#embedders.clear();
    await Promise.all([
      this.#registry.dispose(),
      ...embedders.map(async (s) => (await s.catch(() => undefined))?.release()),
    ]);
  }

  async #openEmbedder(model: string): Promise<InferenceSession> {
    const path = join(this.#options.models[model]!.base_model_dir, 'onnx', 'embed_tokens.onnx');
    try {
      await access(path);
    } catch {
      throw new MinerRequestError(
        'MINER_NOT_SERVED',
        `Model "${model}" cannot make soft tokens: it has no onnx/embed_tokens.onnx.`,
      );
    }
    return InferenceSession.create(path);
  }

  /**
   * Opens a base model: with its pre-RoPE queries exposed when a press needs them, then
   * grafted for LoRA when an adapter is configured (the graft keeps the extra outputs, which
   * then carry the adapted queries).
   */
  async #load(name: string, spec: RegistryModelSpec): Promise<CausalLM> {
    const dtype = spec.load?.dtype;
    const dir = this.#options.preRopeQueries
      ? await exposePreRopeQueries(spec.dir, dtype)
      : spec.dir;
    if (!this.#adapters.has(name)) return CausalLMClass.load(dir, spec.load);
    const graft = await graftOnce(dir);
    this.#grafts.set(name, graft);
    return CausalLMClass.load(graft.dir, { ...spec.load, acceptInput: loraInputAcceptor(graft) });
  }

  #loraFor(model: string, lm: CausalLM): LoraModel {
    let lora = this.#lora.get(lm);
    if (!lora) {
      const plan = this.#adapters.get(model)!;
      lora = LoraModel.attach(lm, this.#grafts.get(model)!, {
        sources: [plan.source],
        maxAdapterBytes: this.#options.adapterBytes,
      });
      this.#lora.set(lm, lora);
    }
    return lora;
  }
}
