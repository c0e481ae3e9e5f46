import {
  type CondensedPayload,
  declaredByteLength,
  decodeTensor,
  type ReceivedPayload,
} from '@signal/core';
import {
  type CausalLM,
  KvCacheError,
  kvCacheFromDecoded,
  kvCacheFromPayload,
} from '@signal/runtime';
import type { Conditioning } from './Conditioning';
import { InvalidPayloadError } from './InvalidPayloadError';

function assertFinite(data: Float32Array, where: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new InvalidPayloadError('PAYLOAD_NOT_FINITE', `${where} holds a non-finite value.`, {
        details: `${where}[${i}] = ${data[i]}`,
      });
    }
  }
}

/**
 * Turns a payload that already passed `validatePayload` into what the model continues from.
 * `kv` tensors are decoded against the model's geometry and checked for finiteness; `text`
 * is re-tokenised with the target tokenizer (its declared count is ignored).
 */
export function decodePayload(payload: CondensedPayload, lm: CausalLM): Conditioning {
  switch (payload.format) {
    case 'kv': {
      if (!lm.signature.supportsPrunedCache) {
        throw new InvalidPayloadError(
          'PAYLOAD_FORMAT_UNSUPPORTED',
          'The target model cannot continue from a pruned KV cache.',
          { details: `${lm.modelDir.modelPath} derives positions itself` },
        );
      }
      const { numLayers, kvHeads, headDim } = lm.signature;
      let cache: ReturnType<typeof kvCacheFromPayload>;
      try {
        // Dequantized (int8/int4) or converted into the dtype the graph's cache takes.
        cache = kvCacheFromPayload(payload, {
          expect: { numLayers, kvHeads, headDim },
          dtype: lm.signature.kvType,
        });
      } catch (cause) {
        if (!(cause instanceof KvCacheError)) throw cause;
        throw new InvalidPayloadError('PAYLOAD_UNDECODABLE', 'The kv payload does not decode.', {
          details: cause.message,
          cause,
        });
      }
      cache.layers.forEach((layer, index) => {
        assertFinite(layer.key, `condensed.layers[${index}].key`);
        assertFinite(layer.value, `condensed.layers[${index}].value`);
      });
      return { kind: 'cache', cache, condensedTokens: payload.kept };
    }
    case 'text': {
      const ids = lm.tokenizer.encode(payload.text);
      return {
        kind: 'ids',
        ids,
        condensedTokens: lm.tokenizer.encode(payload.text, { addSpecialTokens: false }).length,
      };
    }
    case 'soft': {
      if (!lm.signature.inputsEmbeds) {
        throw new InvalidPayloadError(
          'PAYLOAD_FORMAT_UNSUPPORTED',
          'The target model does not take soft tokens.',
          { details: `${lm.modelDir.modelPath} takes input_ids, not inputs_embeds` },
        );
      }
      const { embeddings } = payload;
      let data: Float32Array;
      try {
        const decoded = decodeTensor(embeddings, {
          maxBytes: declaredByteLength(embeddings.dtype, embeddings.shape),
          allowNonFinite: true,
        });
        data =
          decoded.data instanceof Float32Array
            ? decoded.data
            : Float32Array.from(decoded.data as ArrayLike<number>);
      } catch (cause) {
        throw new InvalidPayloadError('PAYLOAD_UNDECODABLE', 'The soft payload does not decode.', {
          details: cause instanceof Error ? cause.message : String(cause),
          cause,
        });
      }
      assertFinite(data, 'condensed.embeddings');
      const rows = embeddings.shape[0]!;
      return { kind: 'embeds', data, rows, condensedTokens: rows };
    }
  }
}

/**
 * What the model continues from for a binary-route payload, already vetted against the
 * tier and this model's geometry and decoded (finite) as it streamed.
 */
export function receivedConditioning(
  received: Exclude<ReceivedPayload, { format: 'text' }>,
  lm: CausalLM,
): Conditioning {
  if (received.format === 'soft') {
    if (!lm.signature.inputsEmbeds) {
      throw new InvalidPayloadError(
        'PAYLOAD_FORMAT_UNSUPPORTED',
        'The target model does not take soft tokens.',
        { details: `${lm.modelDir.modelPath} takes input_ids, not inputs_embeds` },
      );
    }
    const rows = received.embeddings.shape[0]!;
    return { kind: 'embeds', data: received.embeddings.data, rows, condensedTokens: rows };
  }
  if (!lm.signature.supportsPrunedCache) {
    throw new InvalidPayloadError(
      'PAYLOAD_FORMAT_UNSUPPORTED',
      'The target model cannot continue from a pruned KV cache.',
      { details: `${lm.modelDir.modelPath} derives positions itself` },
    );
  }
  const { numLayers, kvHeads, headDim } = lm.signature;
  try {
    const cache = kvCacheFromDecoded(received.kv, { expect: { numLayers, kvHeads, headDim } });
    return { kind: 'cache', cache, condensedTokens: received.kv.kept };
  } catch (cause) {
    if (!(cause instanceof KvCacheError)) throw cause;
    throw new InvalidPayloadError('PAYLOAD_UNDECODABLE', 'The kv payload does not fit the model.', {
      details: cause.message,
      cause,
    });
  }
}
