import type { CondensedPayload, ModelGeometry } from '@signal/core';
import type { FinishReason, GenerationSettings, TextTokenizer } from '@signal/runtime';

/** The generation settings `serve` passes on: the runtime's, minus what stays in the model. */
export type ServeSettings = Pick<
  GenerationSettings,
  'maxNewTokens' | 'temperature' | 'topP' | 'seed' | 'stopStrings'
>;

/** One generation: prompt token ids, continued from a condensed context when there is one. */
export interface ServeGeneration {
  /** The prompt's ids; they carry no BOS when `condensed` is set (the context began the sequence). */
  readonly ids: readonly number[];
  readonly condensed: CondensedPayload | null;
  readonly settings: ServeSettings;
}

/** What a generation yields: a chunk per token with its text delta, then why it stopped. */
export type ServeChunk =
  | { readonly type: 'token'; readonly token: number; readonly text: string }
  | {
      readonly type: 'done';
      readonly finishReason: FinishReason;
      /** Positions the model attended to before its first new token: condensed context plus prompt. */
      readonly promptTokens: number;
    };

/** A hosted model's worker threads, their intra-op threads and its queue bound. */
export interface ServeRuntime {
  readonly workers: number;
  readonly intraOpThreads: number;
  readonly queueSize: number;
}

/**
 * How `serve` reaches a model: one small interface, so the server never touches a session.
 * The tokenizer (chat templates, prompt ids) runs on the caller's thread; it is plain
 * JavaScript with no forward pass. `generate` stops at its next step once `signal` aborts.
 */
export interface ServeModel {
  readonly tokenizer: TextTokenizer;
  /** Geometry a `signal_condensed` payload must have to fit the model. */
  readonly geometry: Required<Pick<ModelGeometry, 'layers' | 'kvHeads' | 'headDim' | 'hidden'>>;
  readonly supportsPrunedCache: boolean;
  readonly takesEmbeddings: boolean;
  /** Positions the model can attend to: prompt plus completion. */
  readonly contextLength: number;
  /** How the model host spends the machine, when the model runs in one (reported by /health). */
  readonly runtime?: ServeRuntime;
  generate(generation: ServeGeneration, signal: AbortSignal): AsyncIterable<ServeChunk>;
  close(): Promise<void>;
}
