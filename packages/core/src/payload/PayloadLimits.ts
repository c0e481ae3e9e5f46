import type { QuantizationScheme } from '../quantization/QuantizationScheme';
import type { DType } from '../tensor/BtTensor';
import type { TierConfig } from '../tiers/TierConfig';
import type { KvDtype } from './DecodedKv';

/** Dtypes a condensed tensor may use unless the receiver says otherwise. */
export const DEFAULT_PAYLOAD_DTYPES: readonly DType[] = ['float16', 'float32'];

/** The target model's shape, when the receiver knows it, to refuse caches made for another. */
export interface ModelGeometry {
  /** Decoder layers, one KV pair each. */
  layers?: number | undefined;
  kvHeads?: number | undefined;
  headDim?: number | undefined;
  /** Embedding width for soft tokens. */
  hidden?: number | undefined;
  /** The dtype its KV cache holds, so a receiver dequantizes straight into it. */
  kvDtype?: KvDtype | undefined;
}

/** What a receiver accepts; everything but the byte ceiling is optional. */
export interface PayloadLimits {
  /** Ceiling for both the declared raw tensor bytes and the base64 bytes as sent. */
  maxPayloadBytes: number;
  minCondensedTokens?: number | undefined;
  maxCondensedTokens?: number | undefined;
  /** Bounds on `condensed_tokens / original_tokens`. */
  minCompressionRate?: number | undefined;
  maxCompressionRate?: number | undefined;
  /** Dtypes of float tensors (quantization codes are uint8 and scales float16 by definition). */
  allowedDtypes?: readonly DType[] | undefined;
  /** Quantization schemes a KV half may use; both by default. */
  allowedQuantizations?: readonly QuantizationScheme[] | undefined;
  expectedModel?: string | undefined;
  geometry?: ModelGeometry | undefined;
}

/** A tier's limits as `validatePayload` takes them, plus any expectations of the caller. */
export function tierPayloadLimits(
  tier: TierConfig,
  extra: Omit<PayloadLimits, 'maxPayloadBytes'> = {},
): PayloadLimits {
  return {
    maxPayloadBytes: tier.maxPayloadBytes,
    minCondensedTokens: tier.minCondensedTokens,
    maxCondensedTokens: tier.maxCondensedTokens,
    minCompressionRate: tier.minCompressionRate,
    maxCompressionRate: tier.maxCompressionRate,
    ...extra,
  };
}
