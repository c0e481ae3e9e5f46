import type { TierConfig } from './TierConfig';
import { TierError } from './TierError';

/**
 * A context's length as Python's `len(str)` counts it: Unicode code points, not UTF-16
 * units, so a Python validator and a TypeScript miner agree on which contexts fit a tier.
 */
export function contextLength(context: string): number {
  let count = 0;
  for (let i = 0; i < context.length; i++) {
    const unit = context.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < context.length) {
      const next = context.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** Refuses a context longer than the tier allows, naming the tier, its limit and the size. */
export function assertContextFits(tier: TierConfig, context: string): void {
  // UTF-16 length bounds the code-point count from above, so short contexts skip the count.
  if (context.length <= tier.maxContextChars) return;
  const length = contextLength(context);
  if (length > tier.maxContextChars) {
    throw new TierError(
      'TIER_CONTEXT_TOO_LONG',
      `Context of ${length} characters exceeds tier "${tier.name}" limit of ${tier.maxContextChars} characters.`,
      { details: `tier=${tier.name} limit=${tier.maxContextChars} actual=${length}` },
    );
  }
}
