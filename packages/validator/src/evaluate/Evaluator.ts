import {
  isSignalError,
  type ModelGeometry,
  PayloadError,
  type ReceivedPayload,
  type TierConfig,
  tierPayloadLimits,
  validatePayload,
} from '@signal/core';
import {
  type CausalLM,
  CausalLMError,
  KvCacheError,
  ModelRegistry,
  type SessionOptionsInput,
} from '@signal/runtime';
import { evaluateAnswers } from '../evaluation/evaluateAnswers';
import { continuationFidelity } from '../evaluation/fidelity';
import type { Task } from '../tasks/Task';
import type { Conditioning } from './Conditioning';
import { decodePayload, receivedConditioning } from './decodePayload';
import { EvaluateError } from './EvaluateError';
import type { Evaluation } from './Evaluation';
import { InvalidPayloadError } from './InvalidPayloadError';
import { ModelRunner } from './ModelRunner';
import { runAnswers } from './runAnswers';
import { type TaskReference, taskReference } from './TaskReference';
import { TokenEmbedder } from './TokenEmbedder';

export interface EvaluatorOptions {
  /** Target model name (as tiers and payloads name it) to its local model directory. */
  models: Readonly<Record<string, string>>;
  /** Memory the evaluation models may take together. Default 4 GiB. */
  budgetBytes?: number;
  /** Longest continuation scored per task, in tokens. Default 32. */
  maxContinuationTokens?: number;
  /** Longest generated answer, in tokens. Default 16. */
  maxAnswerTokens?: number;
  session?: SessionOptionsInput;
}

/**
 * The payload as it came: the `condensed` field of the synapse JSON, untouched (`raw`), or
 * a binary-route frame already vetted against the same limits and decoded as it streamed
 * (`received`, from `queryCondenseFrame`).
 */
export type ReceivedCondensed =
  | { raw: unknown; received?: never }
  | { received: ReceivedPayload; raw?: never };

export type EvaluateParameters = {
  task: Task;
  tier: TierConfig;
  /** The target model the miner was asked to condense for. */
  model: string;
} & ReceivedCondensed;

export interface EvaluateOrganicParameters {
  context: string;
  tier: TierConfig;
  model: string;
  raw: unknown;
}

const GIB = 1024 ** 3;

/** Errors the model raises on a condensed input are the payload's fault, not ours. */
function isPayloadRunError(error: unknown): boolean {
  return error instanceof CausalLMError || error instanceof KvCacheError;
}

/**
 * Scores condensed payloads with the target models through the runtime. Every payload is
 * checked by core's `validatePayload` (tier limits, model geometry and name) before anything
 * is decoded, then for finiteness once decoded. Full-context references are computed once
 * per task and kept until `clearReferences()`.
 */
export class Evaluator {
  readonly #registry: ModelRegistry;
  readonly #models: Readonly<Record<string, string>>;
  readonly #maxContinuationTokens: number;
  readonly #maxAnswerTokens: number;
  readonly #references = new Map<string, Promise<TaskReference>>();
  readonly #embedders = new Map<string, Promise<TokenEmbedder>>();

  constructor(options: EvaluatorOptions) {
    this.#models = options.models;
    this.#maxContinuationTokens = options.maxContinuationTokens ?? 32;
    this.#maxAnswerTokens = options.maxAnswerTokens ?? 16;
    const session = options.session ?? { intraOpThreads: 1, interOpThreads: 1 };
    this.#registry = new ModelRegistry({
      budgetBytes: options.budgetBytes ?? 4 * GIB,
      models: Object.fromEntries(
        Object.entries(options.models).map(([name, dir]) => [
          name,
          { dir, maxConcurrency: 1, load: { session } },
        ]),
      ),
    });
  }

  hasModel(name: string): boolean {
    return Object.hasOwn(this.#models, name);
  }

  /** The model's shape, so payloads made for another geometry are refused undecoded. */
  async geometry(model: string): Promise<ModelGeometry> {
    return this.#use(model, async (lm) => geometryOf(lm));
  }

  /** Token count of `text` under the model's tokenizer, as the validator counts a context. */
  async countTokens(model: string, text: string): Promise<number> {
    return this.#use(model, async (lm) => lm.tokenizer.encode(text).length);
  }

  async evaluate({ task, tier, model, ...payload }: EvaluateParameters): Promise<Evaluation> {
    return this.#use(model, async (lm, runner) => {
      const checked = this.#check(lm, tier, model, payload);
      if (!checked.ok) return checked.evaluation;
      const reference = await this.#reference(runner, model, task);
      try {
        return await this.#measure(runner, task, reference, checked.conditioning, checked.text);
      } catch (error) {
        if (isPayloadRunError(error)) return invalidFrom(error, 'PAYLOAD_UNDECODABLE');
        throw error;
      }
    });
  }

  /**
   * Scores an organic response, which has no known answer: the model's own greedy
   * continuation of the full context is the held-out text, and the payload is scored on
   * how closely it reproduces that continuation's log-probs.
   */
  async evaluateOrganic({
    context,
    tier,
    model,
    raw,
  }: EvaluateOrganicParameters): Promise<Evaluation> {
    return this.#use(model, async (lm, runner) => {
      const checked = this.#check(lm, tier, model, { raw });
      if (!checked.ok) return checked.evaluation;
      const contextIds = lm.tokenizer.encode(context);
      const full = { kind: 'ids', ids: contextIds, condensedTokens: contextIds.length } as const;
      const [first, ...rest] = await runner.greedyTokens(full, this.#maxContinuationTokens + 1);
      if (first === undefined || rest.length === 0) {
        throw new EvaluateError(
          'EVAL_TASK_UNSUITABLE',
          'The model continued the context with nothing.',
        );
      }
      const reference: TaskReference = {
        contextIds,
        continuation: {
          first,
          rest,
          fullLogProbs: await runner.continuationLogProbs(full, first, rest),
        },
      };
      try {
        return await this.#measureContinuation(
          runner,
          reference,
          checked.conditioning,
          checked.text,
          context,
        );
      } catch (error) {
        if (isPayloadRunError(error)) return invalidFrom(error, 'PAYLOAD_UNDECODABLE');
        throw error;
      }
    });
  }

  /** Drops the full-context references (call once per epoch). */
  clearReferences(): void {
    this.#references.clear();
  }

  async close(): Promise<void> {
    this.#references.clear();
    const embedders = [...this.#embedders.values()];
    this.#embedders.clear();
    await Promise.all([
      this.#registry.dispose(),
      ...embedders.map(async (embedder) => (await embedder.catch(() => undefined))?.close()),
    ]);
  }

  async #use<T>(model: string, run: (lm: CausalLM, runner: ModelRunner) => Promise<T>): Promise<T> {
    if (!this.hasModel(model)) {
      throw new EvaluateError('EVAL_MODEL_UNKNOWN', `No local directory for model "${model}".`, {
        details: `configured models: ${Object.keys(this.#models).join(', ') || '(none)'}`,
      });
    }
    const lease = await this.#registry.acquire(model);
    try {
      const lm = lease.model;
      const embedder = lm.signature.inputsEmbeds ? await this.#embedder(model, lm) : undefined;
      return await run(lm, new ModelRunner(lm, embedder));
    } finally {
      lease.release();
    }
  }

  #embedder(model: string, lm: CausalLM): Promise<TokenEmbedder> {
    let embedder = this.#embedders.get(model);
    if (!embedder) {
      embedder = TokenEmbedder.open(this.#models[model]!, lm.modelDir.config.hidden_size);
      embedder.catch(() => this.#embedders.delete(model));
      this.#embedders.set(model, embedder);
    }
    return embedder;
  }

  #check(
    lm: CausalLM,
    tier: TierConfig,
    model: string,
    input: ReceivedCondensed,
  ):
    | { ok: true; conditioning: Conditioning; text: string | undefined }
    | { ok: false; evaluation: Evaluation } {
    try {
      const received = input.received;
      if (received && received.format !== 'text') {
        return { ok: true, conditioning: receivedConditioning(received, lm), text: undefined };
      }
      const payload = validatePayload(
        received ? received.payload : input.raw,
        tierPayloadLimits(tier, { expectedModel: model, geometry: geometryOf(lm) }),
      );
      return {
        ok: true,
        conditioning: decodePayload(payload, lm),
        text: payload.format === 'text' ? payload.text : undefined,
      };
    } catch (error) {
      if (error instanceof PayloadError || error instanceof InvalidPayloadError) {
        return { ok: false, evaluation: invalidFrom(error, error.code) };
      }
      throw error;
    }
  }

  #reference(runner: ModelRunner, model: string, task: Task): Promise<TaskReference> {
    const key = `${model}\u0000${task.id}`;
    let reference = this.#references.get(key);
    if (!reference) {
      reference = taskReference(runner, task, {
        maxContinuationTokens: this.#maxContinuationTokens,
      });
      // A failed reference is retried next time rather than cached.
      reference.catch(() => this.#references.delete(key));
      this.#references.set(key, reference);
    }
    return reference;
  }

  async #measure(
    runner: ModelRunner,
    task: Task,
    reference: TaskReference,
    conditioning: Conditioning,
    text: string | undefined,
  ): Promise<Evaluation> {
    if (task.family === 'continuation') {
      return this.#measureContinuation(runner, reference, conditioning, text, task.context);
    }
    const counts = countsOf(runner.lm, reference, conditioning, text, task.context);
    if (!counts.ok) return counts.evaluation;
    const completions = await runAnswers(runner, task, conditioning, {
      maxAnswerTokens: this.#maxAnswerTokens,
    });
    const { accuracy } = evaluateAnswers(task, completions);
    return {
      valid: true,
      format: formatOf(conditioning),
      accuracy,
      fidelity: null,
      ...counts.value,
    };
  }

  async #measureContinuation(
    runner: ModelRunner,
    reference: TaskReference,
    conditioning: Conditioning,
    text: string | undefined,
    context: string,
  ): Promise<Evaluation> {
    const continuation = reference.continuation;
    if (!continuation) {
      throw new EvaluateError(
        'EVAL_TASK_UNSUITABLE',
        'The continuation is shorter than two tokens.',
      );
    }
    const counts = countsOf(runner.lm, reference, conditioning, text, context);
    if (!counts.ok) return counts.evaluation;
    const condensed = await runner.continuationLogProbs(
      conditioning,
      continuation.first,
      continuation.rest,
    );
    const fidelity = continuationFidelity(continuation.fullLogProbs, condensed);
    return {
      valid: true,
      format: formatOf(conditioning),
      accuracy: fidelity,
      fidelity,
      ...counts.value,
    };
  }
}

function geometryOf(lm: CausalLM): ModelGeometry {
  const { numLayers, kvHeads, headDim, kvType } = lm.signature;
  return {
    layers: numLayers,
    kvHeads,
    headDim,
    hidden: lm.modelDir.config.hidden_size,
    kvDtype: kvType,
  };
}

function formatOf(conditioning: Conditioning): 'kv' | 'soft' | 'text' {
  return conditioning.kind === 'cache' ? 'kv' : conditioning.kind === 'embeds' ? 'soft' : 'text';
}

type Counts = { originalTokens: number; condensedTokens: number; compression: number };

/**
 * Token counts as the validator measures them: the context under the target tokenizer
 * (special tokens included for a cache or soft rows, which cover them; excluded for text,
 * which is compared with text), and what the payload actually holds.
 */
function countsOf(
  lm: CausalLM,
  reference: TaskReference,
  conditioning: Conditioning,
  text: string | undefined,
  context: string,
): { ok: true; value: Counts } | { ok: false; evaluation: Evaluation } {
  const originalTokens =
    text === undefined
      ? reference.contextIds.length
      : lm.tokenizer.encode(context, { addSpecialTokens: false }).length;
  const condensedTokens = conditioning.condensedTokens;
  if (condensedTokens <= 0 || condensedTokens > originalTokens) {
    return {
      ok: false,
      evaluation: {
        valid: false,
        code: 'PAYLOAD_TOKENS_MISMATCH',
        message: `the payload holds ${condensedTokens} tokens for a context of ${originalTokens}`,
      },
    };
  }
  return {
    ok: true,
    value: { originalTokens, condensedTokens, compression: 1 - condensedTokens / originalTokens },
  };
}

function invalidFrom(error: unknown, code: string): Evaluation {
  const message = isSignalError(error)
    ? [error.shortMessage, error.details].filter(Boolean).join(': ')
    : error instanceof Error
      ? error.message
      : String(error);
  return { valid: false, code, message };
}
