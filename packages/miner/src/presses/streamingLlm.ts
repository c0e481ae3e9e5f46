import type { HeadScores } from './HeadScores';
import { PressInputError } from './PressInputError';
import { assertTensor3, type Tensor3 } from './Tensor3';

export interface StreamingLlmOptions {
  /** Leading "attention sink" tokens that are always kept first (default 4). */
  sinkTokens?: number;
}

export const DEFAULT_SINK_TOKENS = 4;

/**
 * StreamingLLM press: keep the sink tokens, then the most recent tokens.
 *
 * Rather than zeroing a ratio-dependent middle span (as kvpress does), the scores rank sinks
 * above everything (earliest first) and the rest by recency, so the shared top-k selection
 * yields sinks + the newest tokens for any kept count, including one smaller than the sinks.
 */
export function streamingLlmScores(keys: Tensor3, options: StreamingLlmOptions = {}): HeadScores {
  assertTensor3(keys, 'keys');
  const sinkTokens = options.sinkTokens ?? DEFAULT_SINK_TOKENS;
  if (!Number.isInteger(sinkTokens) || sinkTokens < 0) {
    throw new PressInputError(
      `streaming_llm sinkTokens must be a non-negative integer, got ${sinkTokens}.`,
    );
  }
  const [heads, length] = keys.shape;
  const row = new Float32Array(length);
  for (let i = 0; i < length; i++) row[i] = i < sinkTokens ? 2 * length - i : i;
  const out = new Float32Array(heads * length);
  for (let h = 0; h < heads; h++) out.set(row, h * length);
  return { heads, length, data: out };
}
