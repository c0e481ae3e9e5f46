import { continuationFidelity, fidelityFromGap, meanKlDivergence, nllGap } from '@signal/validator';
import fc from 'fast-check';
import { uniformDouble, withEdges } from '../../../../jest/property/uniform';

const logSoftmax = (logits: number[]) => {
  const max = Math.max(...logits);
  const lse = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
  return logits.map((l) => l - lse);
};

/**
 * NLL gaps: uniform over ±1e6, uniform over [-1, 750] (where fidelity is strictly between 1
 * and the underflow of exp, near 745), spread over the bit patterns (tiny gaps), or an edge.
 */
const gap = withEdges(
  fc.oneof(
    uniformDouble(-1e6, 1e6),
    uniformDouble(-1, 750),
    fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
  ),
  [0, -0, -1e6, 1e6, Number.POSITIVE_INFINITY],
);
/** A further gap: uniform over [0, 1e3], spread over the bit patterns (tiny steps), or an edge. */
const more = withEdges(
  fc.oneof(uniformDouble(0, 1e3), fc.double({ noNaN: true, min: 0, max: 1e3 })),
  [0, Number.MIN_VALUE, 1e3, Number.POSITIVE_INFINITY],
);

describe('fidelityFromGap', () => {
  it('is 1 at no loss, the perplexity ratio for an NLL gap, and 0 for an infinite gap', () => {
    expect(fidelityFromGap(0)).toBe(1);
    expect(fidelityFromGap(-3)).toBe(1);
    expect(fidelityFromGap(Math.log(2))).toBeCloseTo(0.5);
    expect(fidelityFromGap(Number.POSITIVE_INFINITY)).toBe(0);
    expect(() => fidelityFromGap(Number.NaN)).toThrow(
      expect.objectContaining({ code: 'EVAL_BAD_GAP' }),
    );
  });

  it('is bounded in [0, 1] and monotone non-increasing in the gap', () => {
    fc.assert(
      fc.property(gap, more, (at, further) => {
        const f = fidelityFromGap(at);
        expect(f).toBeGreaterThanOrEqual(0);
        expect(f).toBeLessThanOrEqual(1);
        expect(fidelityFromGap(at + further)).toBeLessThanOrEqual(f);
      }),
    );
  });
});

describe('nllGap and continuationFidelity', () => {
  it('measure how much worse the condensed payload predicts the continuation', () => {
    const full = new Float32Array([-0.1, -0.5, -1.0]);
    expect(nllGap(full, full)).toBe(0);
    expect(continuationFidelity(full, full)).toBe(1);
    const worse = [-0.1 - 0.3, -0.5 - 0.3, -1.0 - 0.3];
    expect(nllGap(full, worse)).toBeCloseTo(0.3, 6);
    expect(continuationFidelity(full, worse)).toBeCloseTo(Math.exp(-0.3), 6);
    expect(continuationFidelity(full, [-0.1, Number.NEGATIVE_INFINITY, -1])).toBe(0);
  });

  it('falls as the condensed log-probs fall', () => {
    // Uniform over the ranges; a condensed log-prob may be −∞ (a token made impossible).
    const logProb = withEdges(uniformDouble(-20, 0), [0, -0, -20]);
    const drop = withEdges(uniformDouble(0, 5), [0, 5, Number.POSITIVE_INFINITY]);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(logProb, drop), {
          minLength: 1,
          maxLength: 30,
        }),
        (rows) => {
          const full = rows.map(([l]) => l);
          const condensed = rows.map(([l, d]) => l - d);
          const f = continuationFidelity(full, condensed);
          expect(f).toBeLessThanOrEqual(1);
          expect(
            continuationFidelity(
              full,
              condensed.map((l) => l - 0.5),
            ),
          ).toBeLessThanOrEqual(f);
        },
      ),
    );
  });

  it('refuses NaN, positive log-probs and arrays that do not line up, naming the index', () => {
    expect(() => nllGap([-1, Number.NaN], [-1, -1])).toThrow(
      expect.objectContaining({ code: 'EVAL_BAD_LOG_PROBS', details: 'fullLogProbs[1] = NaN' }),
    );
    expect(() => nllGap([-1, -1], [-1, 2])).toThrow(
      expect.objectContaining({ code: 'EVAL_BAD_LOG_PROBS', details: 'condensedLogProbs[1] = 2' }),
    );
    expect(() => nllGap([-1], [-1, -1])).toThrow(
      expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }),
    );
    expect(() => nllGap([], [])).toThrow(expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }));
  });
});

describe('meanKlDivergence', () => {
  it('is 0 for identical distributions and positive otherwise', () => {
    const p = [logSoftmax([1, 2, 3]), logSoftmax([0, 0, 5])];
    expect(meanKlDivergence(p, p)).toBeCloseTo(0, 12);
    const q = [logSoftmax([3, 2, 1]), logSoftmax([0, 0, 5])];
    // KL(p‖q) at position 0, computed by hand; position 1 contributes 0.
    const p0 = p[0]!.map(Math.exp);
    const expected = p0.reduce((s, pi, i) => s + pi * (p[0]![i]! - q[0]![i]!), 0) / 2;
    expect(meanKlDivergence(p, q)).toBeCloseTo(expected, 10);
    expect(fidelityFromGap(meanKlDivergence(p, q))).toBeLessThan(1);
  });

  it('treats zero-probability tokens under the full context as contributing nothing', () => {
    const p = [[0, Number.NEGATIVE_INFINITY]];
    const q = [logSoftmax([1, 1])];
    expect(meanKlDivergence(p, q)).toBeCloseTo(Math.log(2), 12);
  });

  it('refuses rows of different widths', () => {
    expect(() => meanKlDivergence([[-1, -1]], [[-1]])).toThrow(
      expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }),
    );
  });
});
