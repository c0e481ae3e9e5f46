import { type CondensedPayload, PayloadError, validatePayload } from '@signal/core';
import { ApiError } from '../openai/ApiError';
import type { ServeModel } from './ServeModel';

/**
 * The `signal_condensed` extension field, checked before anything runs: core's
 * `validatePayload` against the server's byte limit, the served model's name and its
 * geometry (declared shapes only, nothing decoded), then whether this model can continue
 * from that format at all. Any refusal is a 400 whose `param` is the payload field at fault.
 */
export function condensedInput(
  raw: unknown,
  model: ServeModel,
  modelName: string,
  maxPayloadBytes: number,
): CondensedPayload | null {
  if (raw === undefined || raw === null) return null;
  let payload: CondensedPayload;
  try {
    payload = validatePayload(
      raw,
      { maxPayloadBytes, expectedModel: modelName, geometry: model.geometry },
      { path: 'signal_condensed' },
    );
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    throw new ApiError('API_INVALID_REQUEST', `Invalid condensed payload: ${error.shortMessage}.`, {
      param: error.path,
      openaiCode: 'invalid_condensed_payload',
      cause: error,
    });
  }
  if (payload.format === 'kv' && !model.supportsPrunedCache) {
    throw unsupported('This model cannot continue from a pruned KV cache.');
  }
  if (payload.format === 'soft' && !model.takesEmbeddings) {
    throw unsupported('This model does not take soft tokens (its graph has no inputs_embeds).');
  }
  return payload;
}

function unsupported(message: string): ApiError {
  return new ApiError('API_INVALID_REQUEST', message, {
    param: 'signal_condensed.format',
    openaiCode: 'unsupported_condensed_format',
  });
}
