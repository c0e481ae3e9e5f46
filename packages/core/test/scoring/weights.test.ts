import fc from 'fast-check';
import { uniformDouble, withEdges } from '../../../../jest/property/uniform';
import {
  convertWeightsAndUidsForEmit,
  U16_MAX,
} from '../../src/scoring/convertWeightsAndUidsForEmit';
import { normalizeMaxWeight } from '../../src/scoring/normalizeMaxWeight';
import { roundHalfEven } from '../../src/scoring/roundHalfEven';
import { ScoringError, type ScoringErrorCode } from '../../src/scoring/ScoringError';
import vectors from './fixtures/weight-vectors.json';

function codeOf(run: () => unknown): ScoringErrorCode {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScoringError);
    return (error as ScoringError).code;
  }
  throw new Error('expected a ScoringError');
}

/**
 * Raw weights: uniform over [0, 1e6] (weights of one magnitude, as scores give them), or
 * spread over the bit patterns (weights of very different magnitudes), or an edge.
 */
const weight = withEdges(
  fc.oneof(uniformDouble(0, 1e6), fc.double({ min: 0, max: 1e6, noNaN: true })),
  [0, Number.MIN_VALUE, 1, 1e6],
);
const weightArray = (min = 1, max = 40) => fc.array(weight, { minLength: min, maxLength: max });
/** A max-weight limit, uniform over [low, 1] with both bounds. */
const limitFrom = (low: number) => withEdges(uniformDouble(low, 1), [low, 1]);

describe('roundHalfEven', () => {
  it('rounds like Python 3', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([
      0, 2, 2, 4, 0, -2, 2, 3,
    ]);
    expect(roundHalfEven(9362.142857142857)).toBe(9362);
  });
});

describe('convertWeightsAndUidsForEmit', () => {
  it('gives the documented example', () => {
    expect(convertWeightsAndUidsForEmit([0, 1, 2, 3], [0.1, 0.2, 0.7, 0])).toEqual({
      uids: [0, 1, 2],
      weights: [9362, 18724, 65535],
    });
  });

  it.each(vectors.convert_weights_and_uids_for_emit)('matches Python for $weights', (v) => {
    expect(convertWeightsAndUidsForEmit(v.uids, v.weights)).toEqual({
      uids: v.expected_uids,
      weights: v.expected_weights,
    });
  });

  it('sets nothing when every weight is zero', () => {
    expect(convertWeightsAndUidsForEmit([4, 7], [0, 0])).toEqual({ uids: [], weights: [] });
  });

  it('refuses bad input with typed errors', () => {
    expect(codeOf(() => convertWeightsAndUidsForEmit([0, 1], [0.5, -0.1]))).toBe(
      'WEIGHTS_NEGATIVE',
    );
    expect(codeOf(() => convertWeightsAndUidsForEmit([0, 1], [0.5, Number.NaN]))).toBe(
      'WEIGHTS_NOT_FINITE',
    );
    expect(codeOf(() => convertWeightsAndUidsForEmit([0, 1], [0.5, Infinity]))).toBe(
      'WEIGHTS_NOT_FINITE',
    );
    expect(codeOf(() => convertWeightsAndUidsForEmit([0, -1], [0.5, 0.5]))).toBe('UIDS_INVALID');
    expect(codeOf(() => convertWeightsAndUidsForEmit([0, 1.5], [0.5, 0.5]))).toBe('UIDS_INVALID');
    expect(codeOf(() => convertWeightsAndUidsForEmit([0, 1, 2], [0.5, 0.5]))).toBe(
      'WEIGHTS_LENGTH_MISMATCH',
    );
    expect(codeOf(() => convertWeightsAndUidsForEmit([], []))).toBe('WEIGHTS_EMPTY');
  });

  it('keeps weights in u16, the max at 65535 and the order of weights', () => {
    fc.assert(
      fc.property(weightArray(), (weights) => {
        const uids = weights.map((_, i) => i);
        const out = convertWeightsAndUidsForEmit(uids, weights);
        for (const w of out.weights) {
          expect(Number.isInteger(w) && w >= 1 && w <= U16_MAX).toBe(true);
        }
        if (weights.some((w) => w > 0)) expect(Math.max(...out.weights)).toBe(U16_MAX);
        const emitted = new Map(out.uids.map((uid, i) => [uid, out.weights[i]!]));
        const at = (uid: number) => emitted.get(uid) ?? 0;
        for (let i = 0; i < weights.length; i++) {
          for (let j = 0; j < weights.length; j++) {
            if (weights[i]! >= weights[j]!) expect(at(i)).toBeGreaterThanOrEqual(at(j));
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('normalizeMaxWeight', () => {
  it.each(vectors.normalize_max_weight)('matches Python for limit $limit', (v) => {
    const out = normalizeMaxWeight(v.weights, v.limit);
    expect(out).toHaveLength(v.expected.length);
    out.forEach((value, i) => {
      expect(value).toBeCloseTo(v.expected[i]!, 12);
    });
  });

  it('returns the uniform vector when the limit cannot be met or all weights are zero', () => {
    expect(normalizeMaxWeight([1, 2, 3], 0.2)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(normalizeMaxWeight([0, 0], 0.9)).toEqual([0.5, 0.5]);
    expect(normalizeMaxWeight([], 0.1)).toEqual([]);
  });

  it('returns the uniform vector, not NaN, when the cut-off falls to 0 or below', () => {
    // Found by the uniform limit draw: the cut-off (−1e-7 / 0.4999… × a subnormal total)
    // underflowed to −0, every weight was clipped to it and 0/0 made every weight NaN.
    expect(normalizeMaxWeight([0, 5e-324], 0.5000000001396984)).toEqual([0.5, 0.5]);
    expect(normalizeMaxWeight([5e-324, 0, 0], 0.4)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    // A cut-off below 0 that does not underflow: uniform, as Python's n × cutoff / cutoff.
    expect(normalizeMaxWeight([0, 1], 0.5000000001396984)).toEqual([0.5, 0.5]);
  });

  it('refuses NaN, negative weights and a bad limit', () => {
    expect(codeOf(() => normalizeMaxWeight([1, Number.NaN], 0.5))).toBe('WEIGHTS_NOT_FINITE');
    expect(codeOf(() => normalizeMaxWeight([1, -1], 0.5))).toBe('WEIGHTS_NEGATIVE');
    expect(codeOf(() => normalizeMaxWeight([1, 1], Number.NaN))).toBe('WEIGHT_LIMIT_INVALID');
    expect(codeOf(() => normalizeMaxWeight([1, 1], -0.1))).toBe('WEIGHT_LIMIT_INVALID');
  });

  it('sums to 1 and respects a feasible limit', () => {
    // Python's cut-off search breaks down on subnormal weights (see the vectors), so the law
    // is checked on weights with a realistic resolution.
    const milli = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1000);
    fc.assert(
      fc.property(
        fc.array(milli, { minLength: 2, maxLength: 64 }),
        limitFrom(0.01),
        (weights, limit) => {
          const out = normalizeMaxWeight(weights, limit);
          expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
          if (weights.length * limit > 1 && weights.some((w) => w > 0)) {
            // Up to bittensor's slack (its EPSILON, 1e-7): see the next test.
            expect(Math.max(...out)).toBeLessThanOrEqual(limit + 1e-7);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps the limit only up to bittensor’s slack of 1e-7, as Python does', () => {
    // Found by the uniform limit draw (a limit within 1e-7 of 1): the cut-off search counts a
    // share within the slack above the limit as below it, so nothing is clipped enough. The
    // SDK's normalize_max_weight, which this ports step for step, gives the same [0, 1]; kept
    // so that our weights stay the SDK's.
    const limit = 0.999999900192488;
    expect(normalizeMaxWeight([0, 0.001], limit)).toEqual([0, 1]);
    expect(1 - limit).toBeLessThan(1e-7);
  });

  it('never reorders weights', () => {
    fc.assert(
      fc.property(weightArray(2, 32), limitFrom(0.05), (w, limit) => {
        const out = normalizeMaxWeight(w, limit);
        for (let i = 0; i < w.length; i++) {
          for (let j = 0; j < w.length; j++) {
            if (w[i]! > w[j]!) expect(out[i]!).toBeGreaterThanOrEqual(out[j]!);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
