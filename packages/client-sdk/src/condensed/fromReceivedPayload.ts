import {
  type CondensedPayloadFormat,
  encodeTensor,
  type KvPayload,
  type PayloadLimits,
  type ReceivedPayload,
  type SoftPayload,
} from '@signal/core';
import type { CondensedContext } from './CondensedContext';
import { type AnswerMeta, condensedStats, invalid, toCondensedContext } from './toCondensedContext';

/**
 * A CondensedContext from a binary-route frame, which `receivePayloadFrame` already vetted
 * against the tier's limits and decoded (dequantized to float32) as it streamed. `toPayload()`
 * re-encodes lazily, as float32 tensors: exactly the values held, whatever format travelled.
 */
export function fromReceivedPayload(
  received: ReceivedPayload<'float32'>,
  limits: PayloadLimits,
  format: CondensedPayloadFormat | undefined,
  meta: AnswerMeta,
): CondensedContext {
  if (received.format === 'text') return toCondensedContext(received.payload, limits, format, meta);
  if (format !== undefined && received.format !== format) {
    throw invalid(meta.source, `format is "${received.format}", "${format}" was asked for`);
  }
  if (received.format === 'soft') {
    const { payload, embeddings } = received;
    let wire: SoftPayload | undefined;
    return {
      format: 'soft',
      model: payload.model,
      stats: condensedStats(payload.original_tokens, payload.condensed_tokens, meta),
      embeddings,
      toPayload: () => {
        wire ??= { ...payload, embeddings: encodeTensor({ dtype: 'float32', ...embeddings }) };
        return wire;
      },
    };
  }
  const { kv } = received;
  const shape = [1, kv.kvHeads, kv.kept, kv.headDim];
  let wire: KvPayload | undefined;
  return {
    format: 'kv',
    model: kv.model,
    adapter: kv.adapter,
    stats: condensedStats(kv.originalTokens, kv.condensedTokens, meta),
    originalLength: kv.originalLength,
    kept: kv.kept,
    kvFormat: kv.format,
    layers: kv.layers.map((layer) => ({
      key: { data: layer.key, shape },
      value: { data: layer.value, shape },
    })),
    toPayload: () => {
      wire ??= {
        format: 'kv',
        model: kv.model,
        adapter: kv.adapter,
        original_tokens: kv.originalTokens,
        condensed_tokens: kv.condensedTokens,
        original_length: kv.originalLength,
        kept: kv.kept,
        layers: kv.layers.map((layer) => ({
          key: encodeTensor({ dtype: 'float32', shape, data: layer.key }),
          value: encodeTensor({ dtype: 'float32', shape, data: layer.value }),
        })),
      };
      return wire;
    },
  };
}
