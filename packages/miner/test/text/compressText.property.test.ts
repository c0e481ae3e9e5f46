import { compressText, isForcedToken, keptCount } from '@signal/miner';
import fc from 'fast-check';
import { uniformDouble, withEdges } from '../../../../jest/property/uniform';

const token = fc.constantFrom(
  ' the',
  ' cat',
  'ing',
  '.',
  ',',
  '\n',
  ' 42',
  '7',
  ' Sat',
  '!',
  ' ',
  'x',
);
/**
 * Log-probs uniform over [-20, 0], with edges that also make ties: −∞ (allowed) and the
 * rounding slack above 0 that compressText accepts.
 */
const logprob = withEdges(uniformDouble(-20, 0), [0, -0, -1, -20, -Infinity, 1e-4]);
/** Compression ratios uniform over [0, 0.99], with the bounds and a half. */
const compressionRatio = withEdges(uniformDouble(0, 0.99), [0, 0.5, 0.99]);
const input = fc
  .array(fc.tuple(token, logprob), { maxLength: 60 })
  .map((pairs) => ({ tokens: pairs.map(([t]) => t), logprobs: pairs.map(([, l]) => l) }));
const granularity = fc.constantFrom('token', 'word', 'sentence') as fc.Arbitrary<
  'token' | 'word' | 'sentence'
>;
const rules = { newlines: true, digits: true, punctuation: true };

describe('compressText invariants', () => {
  it('keeps forced tokens, stays within budget otherwise, and concatenates what it keeps', () => {
    fc.assert(
      fc.property(input, compressionRatio, granularity, (text, ratio, unit) => {
        const result = compressText(text, { ratio, granularity: unit });
        const kept = [...result.keptIndices];
        expect(kept).toEqual([...kept].sort((a, b) => a - b));
        expect(new Set(kept).size).toBe(kept.length);
        const forced = text.tokens.flatMap((t, i) => (isForcedToken(t, rules) ? [i] : []));
        for (const i of forced) expect(kept).toContain(i);
        expect(kept.length).toBeLessThanOrEqual(
          Math.max(forced.length, keptCount(text.tokens.length, ratio)),
        );
        expect(result.text).toBe(kept.map((i) => text.tokens[i]).join(''));
        expect(result.condensedTokens).toBe(kept.length);
      }),
    );
  });

  it('fills the budget exactly at token granularity when enough tokens are unforced', () => {
    fc.assert(
      fc.property(input, compressionRatio, (text, ratio) => {
        const budget = keptCount(text.tokens.length, ratio);
        const forced = text.tokens.filter((t) => isForcedToken(t, rules)).length;
        const result = compressText(text, { ratio });
        expect(result.condensedTokens).toBe(Math.max(budget, forced));
      }),
    );
  });
});
