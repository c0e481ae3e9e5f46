import { AxonRefusal, isSignalError, PayloadError, TierError } from '@signal/core';
import { MinerRequestError } from '../models/MinerRequestError';

/** Signal error codes from other packages that mean "the request was wrong", by status. */
const CLIENT_ERROR_STATUS: Readonly<Record<string, number>> = {
  TIER_UNKNOWN: 400,
  TIER_CONTEXT_TOO_LONG: 413,
  LM_INVALID_INPUT: 400,
  LM_PRUNED_CACHE_UNSUPPORTED: 422,
  KV_PAYLOAD_INVALID: 422,
  KV_SHAPE_MISMATCH: 422,
  LORA_ADAPTER_NOT_FOUND: 400,
  MINER_TEXT_INPUT: 400,
};

/**
 * The axon answer for an error a handler threw: typed client errors become their 4xx with
 * the code and message (so a caller can tell which limit it hit); anything else stays a
 * server fault and reaches the axon's generic 500.
 */
export function refusalOf(error: unknown): unknown {
  if (error instanceof AxonRefusal) return error;
  if (error instanceof MinerRequestError) return refusal(error.status, error);
  if (error instanceof PayloadError) return refusal(422, error);
  if (error instanceof TierError) return refusal(CLIENT_ERROR_STATUS[error.code] ?? 400, error);
  if (isSignalError(error)) {
    const status = CLIENT_ERROR_STATUS[error.code];
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
  });
}
