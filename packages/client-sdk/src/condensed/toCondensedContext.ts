import {
  type BtTensor,
  type CondensedPayload,
  type CondensedPayloadFormat,
  type DecodedKv,
  declaredByteLength,
  decodeKvPayload,
  decodeTensor,
  isSignalError,
  type PayloadLimits,
  validatePayload,
} from '@signal/core';
import { ClientError } from '../errors/ClientError';
import type { CondensedContext, CondensedStats, FloatTensorView } from './CondensedContext';

export interface AnswerMeta {
  readonly minerUid: number;
  readonly latencyMs: number;
  readonly serverLatencyMs: number;
  /** Who answered, for error messages. */
  readonly source: string;
}

export function invalid(source: string, shortMessage: string, cause?: unknown): ClientError {
  return new ClientError(
    'CLIENT_INVALID_RESPONSE',
    `${source} sent an invalid condensed payload.`,
    {
      details: shortMessage,
      cause,
    },
  );
}

export function condensedStats(
  original: number,
  condensed: number,
  meta: AnswerMeta,
): CondensedStats {
  return {
    originalTokens: original,
    condensedTokens: condensed,
    compressionRatio: original / condensed,
    compression: 1 - condensed / original,
    minerUid: meta.minerUid,
    latencyMs: meta.latencyMs,
    serverLatencyMs: meta.serverLatencyMs,
  };
}

function floatView(tensor: BtTensor, where: string, source: string): FloatTensorView {
  let decoded: ReturnType<typeof decodeTensor>;
  try {
    decoded = decodeTensor(tensor, { maxBytes: declaredByteLength(tensor.dtype, tensor.shape) });
  } catch (cause) {
    const message = isSignalError(cause) ? cause.shortMessage : String(cause);
    throw invalid(source, `${where}: ${message}`, cause);
  }
  if (!(decoded.data instanceof Float32Array)) {
    throw invalid(source, `${where}: dtype ${tensor.dtype} is not float16 or float32`);
  }
  return { data: decoded.data, shape: decoded.shape };
}

/**
 * Turns an untrusted answer into a CondensedContext: core's `validatePayload` against the
 * tier's limits and the requested model first (declared shapes only, nothing decoded), then
 * the requested format, then every tensor is decoded, so a corrupt buffer is caught here
 * rather than in the app's inference.
 */
export function toCondensedContext(
  raw: unknown,
  limits: PayloadLimits,
  format: CondensedPayloadFormat | undefined,
  meta: AnswerMeta,
): CondensedContext {
  let payload: CondensedPayload;
  try {
    payload = validatePayload(raw, limits);
  } catch (cause) {
    const message = isSignalError(cause) ? cause.shortMessage : String(cause);
    throw invalid(meta.source, message, cause);
  }
  if (format !== undefined && payload.format !== format) {
    throw invalid(meta.source, `format is "${payload.format}", "${format}" was asked for`);
  }
  const stats = condensedStats(payload.original_tokens, payload.condensed_tokens, meta);
  switch (payload.format) {
    case 'kv': {
      let decoded: DecodedKv<'float32'>;
      try {
        // Dequantized (int8/int4) or widened (float16) on arrival, layer by layer.
        decoded = decodeKvPayload(payload, { dtype: 'float32' });
      } catch (cause) {
        const message = isSignalError(cause) ? cause.shortMessage : String(cause);
        throw invalid(meta.source, message, cause);
      }
      const shape = [1, decoded.kvHeads, decoded.kept, decoded.headDim];
      return {
        format: 'kv',
        model: payload.model,
        adapter: payload.adapter,
        stats,
        originalLength: payload.original_length,
        kept: payload.kept,
        kvFormat: decoded.format,
        layers: decoded.layers.map((layer) => ({
          key: { data: layer.key, shape },
          value: { data: layer.value, shape },
        })),
        toPayload: () => payload,
      };
    }
    case 'soft':
      return {
        format: 'soft',
        model: payload.model,
        stats,
        embeddings: floatView(payload.embeddings, 'condensed.embeddings', meta.source),
        toPayload: () => payload,
      };
    case 'text':
      return {
        format: 'text',
        model: payload.model,
        stats,
        text: payload.text,
        toPayload: () => payload,
      };
  }
}
