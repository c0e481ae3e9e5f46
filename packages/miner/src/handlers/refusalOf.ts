import { AxonRefusal, isSignalError, PayloadError, TierError } from '@signal/core';
import { HostQueueFullError } from '@signal/runtime';
import { MinerRequestError } from '../models/MinerRequestError';

/** Signal error codes from other packages and the status each answers with. */
const ERROR_STATUS: Readonly<Record<string, number>> = {
  TIER_UNKNOWN: 400,
  TIER_CONTEXT_TOO_LONG: 413,
  LM_INVALID_INPUT: 400,
  LM_PRUNED_CACHE_UNSUPPORTED: 422,
  KV_PAYLOAD_INVALID: 422,
  KV_SHAPE_MISMATCH: 422,
  LORA_ADAPTER_NOT_FOUND: 400,
  MINER_TEXT_INPUT: 400,
  // The request was cancelled (client gone, deadline passed): nobody reads the answer.
  HOST_JOB_ABORTED: 499,
  LM_ABORTED: 499,
  // A model worker died under the request; the host has replaced it.
  HOST_WORKER_CRASHED: 500,
};

/**
 * The axon answer for an error a handler threw: typed client errors become their 4xx with
 * the code and message (so a caller can tell which limit it hit), a full model queue a 503
 * with `Retry-After`, a crashed model worker a 500 saying so; anything else stays a server
 * fault and reaches the axon's generic 500.
 */
export function refusalOf(error: unknown): unknown {
  if (error instanceof AxonRefusal) return error;
  if (error instanceof HostQueueFullError) {
    return new AxonRefusal(
      503,
      `${error.code}: ${error.shortMessage} Retry in ${error.retryAfterSeconds} s.`,
      {
        cause: error,
        retryAfterSeconds: error.retryAfterSeconds,
        reasonCode: error.code,
      },
    );
  }
  if (error instanceof MinerRequestError) return refusal(error.status, error);
  if (error instanceof PayloadError) return refusal(422, error);
  if (error instanceof TierError) return refusal(ERROR_STATUS[error.code] ?? 400, error);
  if (isSignalError(error)) {
    const status = ERROR_STATUS[error.code];
    if (status !== undefined) return refusal(status, error);
  }
  return error;
}

function refusal(
  status: number,
  error: { code: string; shortMessage: string; details?: string | undefined },
): AxonRefusal {
  const details = error.details ? ` (${error.details})` : '';
  return new AxonRefusal(status, `${error.code}: ${error.shortMessage}${details}`, {
    cause: error,
    reasonCode: error.code,
  });
}
