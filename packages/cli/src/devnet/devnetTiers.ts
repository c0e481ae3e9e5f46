import { loadTiers, type TierConfig } from '@signal/core';
import { DEVNET_MODEL } from './devnetModels';

/**
 * The devnet's tier table: the subnet's `research` tier (all the incentive, as in the design
 * table) with short contexts and small payloads, so every task prefills in milliseconds.
 */
export function devnetTiers(): readonly TierConfig[] {
  return loadTiers([
    {
      name: 'research',
      maxContextChars: 320,
      incentive: 1,
      supportingModels: [DEVNET_MODEL.name],
      timeoutSeconds: 20,
      requestsPerEpoch: 16,
      minCondensedTokens: 2,
      maxCondensedTokens: 256,
      minCompressionRate: 0.05,
      maxCompressionRate: 1,
      alpha: 0.1,
      maxPayloadBytes: 8 * 1024 * 1024,
    },
  ]);
}
