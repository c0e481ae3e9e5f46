import { loadTiers, type TierConfig } from '@signal/core';
import { MODEL } from './scriptedGateway';

/** One tier that takes contexts up to `maxContextChars`, for the test model. */
export function testTiers(maxContextChars = 4_000): readonly TierConfig[] {
  return loadTiers([
    {
      name: 'research',
      maxContextChars,
      incentive: 1,
      supportingModels: [MODEL],
      timeoutSeconds: 5,
      requestsPerEpoch: 16,
      minCondensedTokens: 1,
      maxCondensedTokens: 4_096,
      minCompressionRate: 0.01,
      maxCompressionRate: 1,
      alpha: 0.1,
      maxPayloadBytes: 8 * 1024 * 1024,
    },
  ]);
}

/** A text of `words` distinct words (`w0 w1 …`), about `words` tokens. */
export function document(words: number, prefix = 'w'): string {
  return Array.from({ length: words }, (_, i) => `${prefix}${i}`).join(' ');
}
