import { loadTiers } from './loadTiers';
import type { TierConfig } from './TierConfig';

export const DEFAULT_SUPPORTING_MODEL = 'mistralai/Mistral-7B-Instruct-v0.2';

/*
 * Payload ceilings follow from the largest KV cache a tier allows: Mistral-7B keeps
 * 32 layers x (key + value) x 8 KV heads x 128 dims x 2 bytes = 128 KiB per float16 token,
 * and base64 adds a third, so each ceiling is maxCondensedTokens x 128 KiB x 4/3 plus headroom.
 * `long_context` is sized for the binary route instead: 8 192 kept float16 tokens are 1 GiB
 * of raw tensors (int8 ~520 MiB, int4 ~320 MiB), which only a payload frame carries; its
 * base64 JSON would exceed both the ceiling and V8's longest string.
 */
const MIB = 1024 * 1024;

/** The subnet's design table: all incentive to `research` while the inference tiers warm up. */
export const DEFAULT_TIERS: readonly TierConfig[] = loadTiers([
  {
    name: 'research',
    maxContextChars: 2_500,
    incentive: 1,
    supportingModels: [DEFAULT_SUPPORTING_MODEL],
    timeoutSeconds: 32,
    requestsPerEpoch: 256,
    minCondensedTokens: 8,
    maxCondensedTokens: 512,
    minCompressionRate: 0.05,
    maxCompressionRate: 1,
    alpha: 0.1,
    maxPayloadBytes: 96 * MIB,
  },
  {
    name: 'inference_0',
    maxContextChars: 3_000,
    incentive: 0,
    supportingModels: [DEFAULT_SUPPORTING_MODEL],
    timeoutSeconds: 8,
    requestsPerEpoch: 1_024,
    minCondensedTokens: 8,
    maxCondensedTokens: 256,
    minCompressionRate: 0.05,
    maxCompressionRate: 0.8,
    alpha: 0.2,
    maxPayloadBytes: 48 * MIB,
  },
  {
    name: 'inference_1',
    maxContextChars: 7_000,
    incentive: 0,
    supportingModels: [DEFAULT_SUPPORTING_MODEL],
    timeoutSeconds: 12,
    requestsPerEpoch: 1_024,
    minCondensedTokens: 8,
    maxCondensedTokens: 768,
    minCompressionRate: 0.05,
    maxCompressionRate: 0.8,
    alpha: 0.2,
    maxPayloadBytes: 136 * MIB,
  },
  {
    // Long documents: 128 000 characters, about 32 k Mistral tokens, condensed 4× or more.
    name: 'long_context',
    maxContextChars: 128_000,
    incentive: 0,
    supportingModels: [DEFAULT_SUPPORTING_MODEL],
    timeoutSeconds: 180,
    requestsPerEpoch: 32,
    minCondensedTokens: 64,
    maxCondensedTokens: 8_192,
    minCompressionRate: 0.02,
    maxCompressionRate: 0.5,
    alpha: 0.2,
    maxPayloadBytes: 8_192 * 128 * 1024 + 64 * MIB,
  },
]);
