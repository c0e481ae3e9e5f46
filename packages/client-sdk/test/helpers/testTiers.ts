import { loadTiers, type TierConfig } from '@signal/core';

/** A one-tier table for a small local model, as a devnet or a test swaps in. */
export const TEST_MODEL = 'signal/tiny-llama';

export const TEST_TIERS: readonly TierConfig[] = loadTiers([
  {
    name: 'research',
    maxContextChars: 400,
    incentive: 1,
    supportingModels: [TEST_MODEL],
    timeoutSeconds: 5,
    requestsPerEpoch: 8,
    minCondensedTokens: 1,
    maxCondensedTokens: 512,
    minCompressionRate: 0.05,
    maxCompressionRate: 1,
    alpha: 0.1,
    maxPayloadBytes: 4 * 1024 * 1024,
  },
]);
