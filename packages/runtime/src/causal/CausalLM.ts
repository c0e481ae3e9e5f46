import { relative } from 'node:path';
import { fromFloat16Bits } from '@signal/core';
import { InferenceSession, type Tensor } from 'onnxruntime-node';
import { HalfKvLayer } from '../kv/HalfKvLayer';
import { KvCache, type KvLayer } from '../kv/KvCache';
import { type GraphSignature, readGraphSignature } from '../model/GraphSignature';
import {
  type LoadModelDirOptions,
  loadModelDir,
  type ModelDir,
  relocateModelDir,
} from '../model/loadModelDir';
import { tokenIdList } from '../model/ModelConfig';
import { sessionFailure } from '../model/sessionFailure';
import { explicitPositionsDir } from '../positions/explicitPositionsDir';
import {
  type SessionOptionsInput,
  SessionOptionsSchema,
  toOrtSessionOptions,
} from '../session/SessionOptions';
import type { TextTokenizer } from '../tokenizer/TextTokenizer';
import { buildFeeds } from './buildFeeds';
import { CausalLMError } from './CausalLMError';
import { type ForwardInput, forwardShape } from './ForwardInput';
import {
  type GenerationChunk,
  type GenerationOptions,
  type GenerationResult,
  generateStream,
} from './generate';
import { Logits } from './Logits';
import { leftPad } from './leftPad';
import { type ScoreOptions, type ScoreResult, scoreContinuation } from './scoreContinuation';

export interface CausalLMLoadOptions extends LoadModelDirOptions {
  session?: SessionOptionsInput;
  /** Graph inputs the caller will feed itself through `extraFeeds` (e.g. LoRA stacks). */
  acceptInput?: (name: string) => boolean;
  /**
   * `explicit` (default): a graph whose GroupQueryAttention applies rotary itself is loaded
   * from a cached copy that takes `position_ids` instead, so pruned caches continue at their
   * original positions; `as-exported` loads the graph as it is.
   */
  positions?: 'explicit' | 'as-exported';
}

export interface PrefillOptions {
  /** Return logits for every input position instead of only the last. */
  allLogits?: boolean;
  /** Continue from this cache instead of an empty one. */
  cache?: KvCache;
  extraFeeds?: Readonly<Record<string, Tensor>>;
  /**
   * Chunked prefill: run a single row longer than this in passes of at most this many
   * tokens, each on top of the cache the previous built, so attention takes
   * O(chunk × length) memory instead of O(length²). Logits are the last position's (not
   * with `allLogits`); extra outputs (`queries.N`) cover the last chunk's positions only.
   */
  chunkTokens?: number;
}

/** Logits of a forward pass and the cache that continues after it. */
export interface ForwardResult {
  logits: Logits;
  cache: KvCache;
  /** Extra graph outputs (e.g. `queries.N`) by name. */
  extras: Readonly<Record<string, Tensor>>;
}

/**
 * A decoder-only language model running on ONNX Runtime, driven through an explicit
 * KvCache so callers can prune, store and restore it between calls.
 */
export class CausalLM {
  private disposed = false;

  private constructor(
    readonly modelDir: ModelDir,
    readonly session: InferenceSession,
    readonly signature: GraphSignature,
  ) {}

  /** Loads a HF-layout model directory and opens its ONNX decoder. */
  static async load(dir: string, options: CausalLMLoadOptions = {}): Promise<CausalLM> {
    const parsed = SessionOptionsSchema.safeParse(options.session ?? {});
    if (!parsed.success) {
      throw new CausalLMError('LM_INVALID_INPUT', 'invalid session options', {
        details: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        cause: parsed.error,
      });
    }
    const sessionOptions = parsed.data;
    let modelDir = await loadModelDir(dir, options);
    if (options.positions !== 'as-exported' && modelDir.graph.gqa.some((n) => n.doRotary)) {
      const rewritten = await explicitPositionsDir(modelDir);
      const modelFile = relative(modelDir.dir, modelDir.modelPath);
      modelDir = await relocateModelDir(modelDir, rewritten, modelFile);
    }
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(
        modelDir.modelPath,
        toOrtSessionOptions(sessionOptions),
      );
    } catch (cause) {
      throw sessionFailure(modelDir.modelPath, cause);
    }
    try {
      const signature = readGraphSignature({
        session,
        config: modelDir.config,
        modelPath: modelDir.modelPath,
        graph: modelDir.graph,
        acceptInput: options.acceptInput,
      });
      return new CausalLM(modelDir, session, signature);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  get tokenizer(): TextTokenizer {
    return this.modelDir.tokenizer;
  }

  get vocabSize(): number {
    return this.signature.vocabSize;
  }

  /** Token ids that end generation: generation_config.json, then config.json, then the tokenizer's EOS. */
  get eosTokenIds(): number[] {
    const fromGen = tokenIdList(this.modelDir.generationConfig?.eos_token_id);
    if (fromGen.length > 0) return fromGen;
    const fromConfig = tokenIdList(this.modelDir.config.eos_token_id);
    if (fromConfig.length > 0) return fromConfig;
    const eos = this.tokenizer.special.eos;
    return eos === undefined ? [] : [eos];
  }

  /** The id left padding uses; it is always masked, so any valid id works. */
  get padTokenId(): number {
    return (
      this.tokenizer.special.pad ??
      tokenIdList(this.modelDir.config.pad_token_id)[0] ??
      this.eosTokenIds[0] ??
      0
    );
  }

  /** An empty cache for `batch` rows (past length 0). */
  emptyCache(batch = 1): KvCache {
    const { numLayers, kvHeads, headDim } = this.signature;
    return KvCache.empty(numLayers, batch, kvHeads, headDim);
  }

  /** One forward pass: the low-level primitive prefill, step, generate and scoring build on. */
  async forward(input: ForwardInput): Promise<ForwardResult> {
    this.assertOpen();
    const { cache } = input;
    const { batch, seq } = forwardShape(input);
    this.assertInputFits(input, batch, seq);
    this.assertCacheFits(cache, batch);
    this.assertNoPadding(input, cache);
    const keep = Math.min(Math.max(1, input.logitsToKeep), seq);
    const { feeds, realCounts } = buildFeeds(this.signature, { ...input, logitsToKeep: keep });

    let outputs: InferenceSession.ReturnType;
    try {
      outputs = await this.session.run(feeds);
    } catch (cause) {
      throw new CausalLMError('LM_RUN_FAILED', 'ONNX Runtime failed to run the decoder', {
        details: cause instanceof Error ? cause.message : String(cause),
        cause,
      });
    }
    const logits = this.takeLogits(outputs.logits!, batch, keep);
    const bad = firstNonFinite(logits.data);
    if (bad >= 0) {
      const row = Math.floor(bad / logits.vocab);
      throw new CausalLMError('LM_RUN_FAILED', 'the model produced non-finite logits', {
        details: `${this.modelDir.modelPath}: batch row ${Math.floor(row / keep)}, kept position ${row % keep}, token ${bad % logits.vocab} is ${logits.data[bad]}`,
      });
    }
    const total = cache.length + seq;
    const layers: KvLayer[] = this.signature.kv.map((names) => {
      const key = outputs[names.presentKey]!;
      const value = outputs[names.presentValue]!;
      return this.signature.kvType === 'float16'
        ? new HalfKvLayer(halfBits(key), halfBits(value))
        : { key: key.data as Float32Array, value: value.data as Float32Array };
    });
    const newMask = input.mask ?? new Uint8Array(batch * seq).fill(1);
    const mask = new Uint8Array(batch * total);
    for (let b = 0; b < batch; b++) {
      mask.set(cache.mask.subarray(b * cache.length, (b + 1) * cache.length), b * total);
      mask.set(newMask.subarray(b * seq, (b + 1) * seq), b * total + cache.length);
    }
    const lastLogits = new Float32Array(batch * logits.vocab);
    for (let b = 0; b < batch; b++) lastLogits.set(logits.at(b, -1), b * logits.vocab);
    const next = new KvCache({
      batch,
      kvHeads: cache.kvHeads,
      headDim: cache.headDim,
      length: total,
      layers,
      mask,
      nextPositions: cache.nextPositions.map((p, b) => p + realCounts[b]!),
      lastLogits,
    });
    const extras: Record<string, Tensor> = {};
    for (const name of this.signature.extraOutputs) {
      const value = outputs[name];
      if (value) extras[name] = value;
    }
    return { logits, cache: next, extras };
  }

  /**
   * Runs a prompt (one row, or several rows left-padded to one length) and returns the last
   * position's logits, or all of them with `allLogits`, plus the cache to continue from.
   */
  async prefill(
    ids: readonly number[] | readonly (readonly number[])[],
    options: PrefillOptions = {},
  ): Promise<ForwardResult> {
    const rows = isBatch(ids) ? ids : [ids];
    if (rows.length === 0 || rows.some((r) => r.length === 0)) {
      throw new CausalLMError('LM_INVALID_INPUT', 'prefill needs at least one token in every row', {
        details: `got rows of lengths [${rows.map((r) => r.length).join(', ')}]`,
      });
    }
    const chunk = options.chunkTokens;
    if (chunk !== undefined && rows.length === 1 && rows[0]!.length > chunk) {
      return this.prefillInChunks(rows[0]!, chunk, options);
    }
    const padded = leftPad(rows, this.padTokenId);
    return this.forward({
      ids: padded.ids,
      mask: padded.mask,
      cache: options.cache ?? this.emptyCache(rows.length),
      logitsToKeep: options.allLogits ? padded.seq : 1,
      ...(options.extraFeeds ? { extraFeeds: options.extraFeeds } : {}),
    });
  }

  private async prefillInChunks(
    ids: readonly number[],
    chunk: number,
    options: PrefillOptions,
  ): Promise<ForwardResult> {
    if (!Number.isInteger(chunk) || chunk < 1 || options.allLogits) {
      throw new CausalLMError(
        'LM_INVALID_INPUT',
        'chunked prefill needs a positive integer chunk and returns only the last logits',
        {
          details: `chunkTokens ${chunk}${options.allLogits ? ' with allLogits' : ''}`,
        },
      );
    }
    let cache = options.cache ?? this.emptyCache(1);
    let result: ForwardResult | undefined;
    for (let start = 0; start < ids.length; start += chunk) {
      result = await this.forward({
        ids: [ids.slice(start, start + chunk)],
        cache,
        logitsToKeep: 1,
        ...(options.extraFeeds ? { extraFeeds: options.extraFeeds } : {}),
      });
      cache = result.cache;
    }
    return result!;
  }

  /** Decodes one token per row on top of `cache`. */
  async step(
    tokens: number | readonly number[],
    cache: KvCache,
    extraFeeds?: Readonly<Record<string, Tensor>>,
  ): Promise<ForwardResult> {
    const row = typeof tokens === 'number' ? [tokens] : tokens;
    return this.forward({
      ids: row.map((t) => [t]),
      cache,
      logitsToKeep: 1,
      ...(extraFeeds ? { extraFeeds } : {}),
    });
  }

  /** Streams generated tokens and text deltas; see GenerationOptions. */
  generate(
    input: string | readonly number[],
    options: GenerationOptions = {},
  ): AsyncIterable<GenerationChunk> {
    return generateStream(this, input, options);
  }

  /** Generates to completion and returns the text, the token ids and why it stopped. */
  async generateText(
    input: string | readonly number[],
    options: GenerationOptions = {},
  ): Promise<GenerationResult> {
    const tokens: number[] = [];
    for await (const chunk of generateStream(this, input, options, false)) {
      if (chunk.type === 'done')
        return { text: chunk.text, tokens, finishReason: chunk.finishReason };
      tokens.push(chunk.token);
    }
    throw new CausalLMError('LM_RUN_FAILED', 'generation ended without a result');
  }

  /** Per-token log-probabilities of `continuation` after `context` (token ids or a cache). */
  scoreContinuation(
    context: readonly number[] | KvCache,
    continuation: readonly number[],
    options: ScoreOptions = {},
  ): Promise<ScoreResult> {
    return scoreContinuation(this, context, continuation, options);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.session.release();
  }

  private assertOpen(): void {
    if (this.disposed) {
      throw new CausalLMError('LM_INVALID_INPUT', 'this model has been disposed', {
        details: this.modelDir.modelPath,
      });
    }
  }

  private assertInputFits(input: ForwardInput, batch: number, seq: number): void {
    if (batch === 0 || seq === 0) {
      throw new CausalLMError(
        'LM_INVALID_INPUT',
        'forward needs at least one row and one position',
        {
          details: `got batch ${batch}, sequence ${seq}`,
        },
      );
    }
    if (input.embeds) {
      const hidden = this.modelDir.config.hidden_size;
      if (!this.signature.inputsEmbeds) {
        throw new CausalLMError(
          'LM_INVALID_INPUT',
          'this graph takes input_ids, not inputs_embeds',
          {
            details: this.modelDir.modelPath,
          },
        );
      }
      if (input.embeds.data.length !== batch * seq * hidden) {
        throw new CausalLMError('LM_INVALID_INPUT', 'inputs_embeds has the wrong size', {
          details: `expected [${batch}, ${seq}, ${hidden}] = ${batch * seq * hidden} floats, got ${input.embeds.data.length}`,
        });
      }
      const bad = input.embeds.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        throw new CausalLMError('LM_INVALID_INPUT', 'inputs_embeds holds a non-finite value', {
          details: `element ${bad} is ${input.embeds.data[bad]}`,
        });
      }
      return;
    }
    if (!this.signature.inputIds) {
      throw new CausalLMError('LM_INVALID_INPUT', 'this graph takes inputs_embeds, not input_ids', {
        details: `${this.modelDir.modelPath}: embed the tokens first`,
      });
    }
    if (input.ids.some((row) => row.length !== seq)) {
      throw new CausalLMError('LM_INVALID_INPUT', 'token id rows must all have the same length', {
        details: `got rows of lengths [${input.ids.map((r) => r.length).join(', ')}]`,
      });
    }
    for (const row of input.ids) {
      for (const id of row) {
        if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
          throw new CausalLMError('LM_INVALID_INPUT', `token id ${id} is outside the vocabulary`, {
            details: `ids must be integers in [0, ${this.vocabSize})`,
          });
        }
      }
    }
  }

  private assertCacheFits(cache: KvCache, batch: number): void {
    const { numLayers, kvHeads, headDim, supportsPrunedCache } = this.signature;
    if (
      cache.batch !== batch ||
      cache.numLayers !== numLayers ||
      cache.kvHeads !== kvHeads ||
      cache.headDim !== headDim
    ) {
      throw new CausalLMError('LM_INVALID_INPUT', 'the cache does not fit this model or batch', {
        details: `cache [${cache.numLayers} layers, ${cache.batch}, ${cache.kvHeads}, *, ${cache.headDim}], model [${numLayers} layers, ${batch}, ${kvHeads}, *, ${headDim}]`,
      });
    }
    if (!supportsPrunedCache) {
      for (let b = 0; b < batch; b++) {
        let attended = 0;
        for (let t = 0; t < cache.length; t++) attended += cache.mask[b * cache.length + t]!;
        if (attended !== cache.nextPositions[b]) {
          throw new CausalLMError(
            'LM_PRUNED_CACHE_UNSUPPORTED',
            'this model cannot continue from a pruned cache',
            {
              details: `${this.modelDir.modelPath} derives positions inside the graph (no position_ids or GroupQueryAttention)`,
            },
          );
        }
      }
    }
  }

  /**
   * GroupQueryAttention attends every cached position up to `seqlens_k` and reads no mask,
   * so a left-padded row (or a cache with masked positions) would attend its padding.
   */
  private assertNoPadding(input: ForwardInput, cache: KvCache): void {
    if (this.signature.attention !== 'group-query-attention') return;
    const padded = input.mask?.includes(0) || cache.mask.includes(0);
    if (padded) {
      throw new CausalLMError(
        'LM_PADDING_UNSUPPORTED',
        'this model cannot run padded rows: run rows of different lengths one at a time',
        {
          details: `${this.modelDir.modelPath} uses GroupQueryAttention, which reads no attention mask beyond each row's length`,
        },
      );
    }
  }

  /** The last `keep` positions' logits, whether or not the graph already trimmed them. */
  private takeLogits(output: Tensor, batch: number, keep: number): Logits {
    const [, positions, vocab] = output.dims as [number, number, number];
    const data =
      this.signature.logitsType === 'float16'
        ? fromFloat16Bits(halfBits(output))
        : (output.data as Float32Array);
    if (positions === keep) return new Logits(data, batch, keep, vocab);
    const out = new Float32Array(batch * keep * vocab);
    for (let b = 0; b < batch; b++) {
      const start = (b * positions + positions - keep) * vocab;
      out.set(data.subarray(start, start + keep * vocab), b * keep * vocab);
    }
    return new Logits(out, batch, keep, vocab);
  }
}

function isBatch(
  ids: readonly number[] | readonly (readonly number[])[],
): ids is readonly (readonly number[])[] {
  return ids.length > 0 && Array.isArray(ids[0]);
}

/** Index of the first NaN or ±Infinity, or -1; `v - v` is 0 exactly for finite values. */
function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (data[i]! - data[i]! !== 0) return i;
  return -1;
}

/** The raw bits of a float16 tensor, whether ORT hands back a Uint16Array or a Float16Array. */
function halfBits(tensor: Tensor): Uint16Array {
  const data = tensor.data as ArrayBufferView & { length: number };
  return data instanceof Uint16Array
    ? data
    : new Uint16Array(data.buffer, data.byteOffset, data.length);
}
