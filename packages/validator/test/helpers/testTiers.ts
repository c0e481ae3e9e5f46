import { loadTiers, type TierConfig } from '@signal/core';
import { MODEL_NAME } from './tinyModel';

/** One small tier for the tiny model: short contexts, quick timeouts, a 256 KiB payload cap. */
export function testTiers(overrides: Partial<TierConfig> = {}): readonly TierConfig[] {
  return loadTiers([
    {
      name: 'research',
      maxContextChars: 360,
      incentive: 1,
      supportingModels: [MODEL_NAME],
      timeoutSeconds: 3,
      requestsPerEpoch: 4,
      minCondensedTokens: 1,
      maxCondensedTokens: 1024,
      minCompressionRate: 0.01,
      maxCompressionRate: 1,
      alpha: 0.1,
      maxPayloadBytes: 256 * 1024,
      ...overrides,
    },
  ]);
}
