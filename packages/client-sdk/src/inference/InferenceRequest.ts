import type { CondensedContext } from '../condensed/CondensedContext';

/** One streamed Inference: the model, the prompt and, optionally, a condensed context. */
export interface InferenceRequest {
  model: string;
  prompt: string;
  /** A context from `SignalClient.condense`, continued from by the miner (kv or text). */
  condensed?: CondensedContext;
  adapter?: string;
  maxNewTokens?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
}

/** Per-call settings of `SignalClient.streamInference`. */
export interface InferenceOptions {
  /** Deadline of the whole stream, failovers included; default the client's `timeoutMs`. */
  timeoutMs?: number;
  signal?: AbortSignal;
}
