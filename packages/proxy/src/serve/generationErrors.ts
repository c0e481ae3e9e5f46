import { isSignalError } from '@signal/core';
import { ApiError, toApiError } from '../openai/ApiError';

/**
 * A failure of the model as the caller sees it: a condensed cache that does not fit the
 * model or an input the runtime refuses is the request's fault (400); the rest is ours.
 */
export function generationError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isSignalError(error, 'KV_PAYLOAD_INVALID')) {
    return new ApiError('API_INVALID_REQUEST', 'The condensed KV cache does not fit this model.', {
      details: error.details,
      param: 'signal_condensed',
      openaiCode: 'invalid_condensed_payload',
      cause: error,
    });
  }
  if (
    isSignalError(error, 'LM_INVALID_INPUT') ||
    isSignalError(error, 'LM_PRUNED_CACHE_UNSUPPORTED')
  ) {
    return new ApiError('API_INVALID_REQUEST', error.shortMessage, {
      details: error.details,
      openaiCode: 'invalid_value',
      cause: error,
    });
  }
  return toApiError(error);
}

/** Whether a generation stopped because its client went away. */
export function isAborted(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || isSignalError(error, 'LM_ABORTED');
}
