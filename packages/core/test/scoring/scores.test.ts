import fc from 'fast-check';
import { uniformDouble, withEdges } from '../../../../jest/property/uniform';
import { ema } from '../../src/scoring/ema';
import {
  MinerScoresSchema,
  reconcileMinerScores,
  recordScore,
} from '../../src/scoring/MinerScores';
import { ScoringError } from '../../src/scoring/ScoringError';
import { scoreResponse } from '../../src/scoring/scoreResponse';
import { tierWeights } from '../../src/scoring/tierWeights';
import { DEFAULT_TIERS } from '../../src/tiers/defaultTiers';
import { loadTiers } from '../../src/tiers/loadTiers';
import { TierError } from '../../src/tiers/TierError';

/** Accuracies, alphas, decays and scores: uniform over [0, 1], with its edges. */
const unit = withEdges(uniformDouble(0, 1), [0, Number.MIN_VALUE, 0.5, 1 - 2 ** -53, 1]);
/**
 * EMA inputs over ±1e9: uniform (values of one magnitude), or spread over the bit patterns
 * (values of very different magnitudes, where rounding could carry the mix outside), or
 * an edge.
 */
const emaValue = withEdges(
  fc.oneof(uniformDouble(-1e9, 1e9), fc.double({ min: -1e9, max: 1e9, noNaN: true })),
  [0, -0, Number.MIN_VALUE, -1e9, 1e9],
);

function scoringCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScoringError);
    return (error as ScoringError).code;
  }
  throw new Error('expected a ScoringError');
}

describe('scoreResponse', () => {
  const base = { accuracy: 0.8, originalTokens: 100, condensedTokens: 25, alpha: 0.1, valid: true };

  it('mixes accuracy and compression by alpha', () => {
    expect(scoreResponse(base)).toBeCloseTo(0.8 * 0.9 + 0.75 * 0.1, 12);
    expect(scoreResponse({ ...base, alpha: 0 })).toBeCloseTo(0.8, 12);
    expect(scoreResponse({ ...base, alpha: 1 })).toBeCloseTo(0.75, 12);
  });

  it('pays nothing for a wrong answer or an invalid response', () => {
    expect(scoreResponse({ ...base, accuracy: 0, alpha: 0.9 })).toBe(0);
    expect(scoreResponse({ ...base, valid: false })).toBe(0);
    expect(
      scoreResponse({ ...base, condensedTokens: 500, accuracy: Number.NaN, valid: false }),
    ).toBe(0);
  });

  it('refuses NaN, negatives and out-of-range inputs naming the field', () => {
    for (const [field, value] of [
      ['accuracy', Number.NaN],
      ['accuracy', 1.2],
      ['alpha', -0.1],
      ['originalTokens', 0],
      ['condensedTokens', -1],
      ['condensedTokens', 101],
      ['originalTokens', Infinity],
    ] as const) {
      try {
        scoreResponse({ ...base, [field]: value });
        throw new Error(`expected ${field}=${value} to be refused`);
      } catch (error) {
        expect(error).toBeInstanceOf(ScoringError);
        expect((error as ScoringError).code).toBe('SCORE_INPUT_INVALID');
        expect((error as ScoringError).details).toContain(field);
      }
    }
  });

  it('stays in [0, 1] and rewards stronger compression at equal accuracy', () => {
    fc.assert(
      fc.property(unit, unit, fc.integer({ min: 2, max: 10_000 }), (accuracy, alpha, original) => {
        const strong = scoreResponse({
          ...base,
          accuracy,
          alpha,
          originalTokens: original,
          condensedTokens: 1,
        });
        const weak = scoreResponse({
          ...base,
          accuracy,
          alpha,
          originalTokens: original,
          condensedTokens: original,
        });
        expect(strong).toBeGreaterThanOrEqual(0);
        expect(strong).toBeLessThanOrEqual(1);
        expect(strong).toBeGreaterThanOrEqual(weak);
      }),
      { numRuns: 200 },
    );
  });
});

describe('ema', () => {
  it('moves a tenth of the way by default', () => {
    expect(ema(0, 1)).toBeCloseTo(0.1, 15);
    expect(ema(0.5, 0.5)).toBe(0.5);
    expect(ema(1, 0, { decay: 0.5 })).toBe(0.5);
  });

  it('refuses NaN values and a decay outside [0, 1]', () => {
    expect(scoringCode(() => ema(Number.NaN, 1))).toBe('SCORES_INVALID');
    expect(scoringCode(() => ema(0, Infinity))).toBe('SCORES_INVALID');
    expect(scoringCode(() => ema(0, 1, { decay: 1.5 }))).toBe('SCORES_INVALID');
    expect(scoringCode(() => ema(0, 1, { decay: Number.NaN }))).toBe('SCORES_INVALID');
  });

  it('stays within the two values it mixes', () => {
    fc.assert(
      fc.property(emaValue, emaValue, unit, (previous, score, decay) => {
        const next = ema(previous, score, { decay });
        expect(next).toBeGreaterThanOrEqual(Math.min(previous, score));
        expect(next).toBeLessThanOrEqual(Math.max(previous, score));
      }),
      { numRuns: 300 },
    );
  });
});

describe('miner scores', () => {
  const alice = { uid: 3, hotkey: '5Alice', tier: 'research' };

  it('accumulates under the same hotkey and tier', () => {
    let scores = recordScore([], { ...alice, score: 1 });
    expect(scores).toEqual([{ ...alice, score: expect.closeTo(0.1, 12) }]);
    scores = recordScore(scores, { ...alice, score: 1 });
    expect(scores[0]!.score).toBeCloseTo(0.19, 12);
  });

  it('restarts from zero when the hotkey or the tier changes', () => {
    const scores = [{ ...alice, score: 0.9 }];
    expect(recordScore(scores, { ...alice, hotkey: '5Bob', score: 0.5 })[0]).toEqual({
      ...alice,
      hotkey: '5Bob',
      score: expect.closeTo(0.05, 12),
    });
    expect(recordScore(scores, { ...alice, tier: 'inference_0', score: 0 })[0]!.score).toBe(0);
  });

  it('keeps entries sorted by uid and valid for persistence', () => {
    let scores = recordScore([], { ...alice, score: 0.4 });
    scores = recordScore(scores, { uid: 1, hotkey: '5Carol', tier: 'research', score: 0.2 });
    expect(scores.map((s) => s.uid)).toEqual([1, 3]);
    expect(MinerScoresSchema.parse(JSON.parse(JSON.stringify(scores)))).toEqual(scores);
    expect(MinerScoresSchema.safeParse([...scores].reverse()).success).toBe(false);
  });

  it('refuses a NaN or out-of-range observation', () => {
    expect(scoringCode(() => recordScore([], { ...alice, score: Number.NaN }))).toBe(
      'SCORES_INVALID',
    );
    expect(scoringCode(() => recordScore([], { ...alice, score: 1.5 }))).toBe('SCORES_INVALID');
    expect(scoringCode(() => recordScore([], { ...alice, uid: -1, score: 0.5 }))).toBe(
      'SCORES_INVALID',
    );
  });

  it('reconciles with the metagraph', () => {
    const scores = [
      { uid: 1, hotkey: '5Carol', tier: 'research', score: 0.3 },
      { uid: 3, hotkey: '5Alice', tier: 'research', score: 0.6 },
      { uid: 4, hotkey: '5Dave', tier: 'research', score: 0.7 },
    ];
    const neurons = [
      { uid: 1, hotkey: '5Carol' },
      { uid: 3, hotkey: '5Eve' },
    ];
    expect(reconcileMinerScores(scores, neurons)).toEqual([
      { uid: 1, hotkey: '5Carol', tier: 'research', score: 0.3 },
      { uid: 3, hotkey: '5Eve', tier: 'research', score: 0 },
    ]);
  });
});

describe('tierWeights', () => {
  const tiers = loadTiers(
    DEFAULT_TIERS.filter((tier) => tier.name !== 'long_context').map((tier) => ({
      ...tier,
      incentive: tier.name === 'research' ? 0.6 : 0.2,
    })),
  );

  it('splits each tier by score and scales by its incentive', () => {
    const out = tierWeights(
      [
        { uid: 0, tier: 'research', score: 0.3 },
        { uid: 1, tier: 'research', score: 0.1 },
        { uid: 2, tier: 'inference_0', score: 0.5 },
        { uid: 3, tier: 'inference_1', score: 0 },
      ],
      tiers,
    );
    expect(out.uids).toEqual([0, 1, 2, 3]);
    expect(out.weights[0]).toBeCloseTo(0.45, 12);
    expect(out.weights[1]).toBeCloseTo(0.15, 12);
    expect(out.weights[2]).toBeCloseTo(0.2, 12);
    // An all-zero tier pays nothing rather than NaN.
    expect(out.weights[3]).toBe(0);
  });

  it('gives zeros for an empty or all-zero set', () => {
    expect(tierWeights([], tiers)).toEqual({ uids: [], weights: [] });
    expect(tierWeights([{ uid: 5, tier: 'research', score: 0 }], tiers).weights).toEqual([0]);
  });

  it('refuses NaN and negative scores, duplicate uids and unknown tiers', () => {
    expect(
      scoringCode(() => tierWeights([{ uid: 0, tier: 'research', score: Number.NaN }], tiers)),
    ).toBe('SCORES_INVALID');
    expect(scoringCode(() => tierWeights([{ uid: 0, tier: 'research', score: -1 }], tiers))).toBe(
      'SCORES_INVALID',
    );
    expect(
      scoringCode(() =>
        tierWeights(
          [
            { uid: 0, tier: 'research', score: 0.1 },
            { uid: 0, tier: 'research', score: 0.2 },
          ],
          tiers,
        ),
      ),
    ).toBe('SCORES_INVALID');
    expect(() => tierWeights([{ uid: 0, tier: 'gold', score: 0.1 }], tiers)).toThrow(TierError);
  });

  it('never pays a tier more than its incentive and keeps order within a tier', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            tier: fc.constantFrom('research', 'inference_0', 'inference_1'),
            score: unit,
          }),
          {
            maxLength: 40,
          },
        ),
        (entries) => {
          const scores = entries.map((entry, uid) => ({ uid, ...entry }));
          const { weights } = tierWeights(scores, tiers);
          for (const tier of tiers) {
            const paid = scores.reduce(
              (sum, s, i) => (s.tier === tier.name ? sum + weights[i]! : sum),
              0,
            );
            expect(paid).toBeLessThanOrEqual(tier.incentive + 1e-12);
          }
          for (let i = 0; i < scores.length; i++) {
            for (let j = 0; j < scores.length; j++) {
              if (scores[i]!.tier === scores[j]!.tier && scores[i]!.score >= scores[j]!.score) {
                expect(weights[i]!).toBeGreaterThanOrEqual(weights[j]!);
              }
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
