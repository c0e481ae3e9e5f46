import { EvaluationError } from './EvaluationError';

/** Log-probs may be a plain array or a typed array straight from the runtime. */
export type LogProbs = ArrayLike<number>;

// Log-softmax in float32 can land a hair above 0 for a near-certain token.
const LOG_PROB_TOLERANCE = 1e-4;

function checkLogProbs(name: string, values: LogProbs, allowNegativeInfinity: boolean): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const ok =
      (Number.isFinite(value) && value <= LOG_PROB_TOLERANCE) ||
      (allowNegativeInfinity && value === Number.NEGATIVE_INFINITY);
    if (!ok) {
      throw new EvaluationError(
        'EVAL_BAD_LOG_PROBS',
        `${name} holds a value that is not a log-probability.`,
        {
          details: `${name}[${i}] = ${value}`,
        },
      );
    }
  }
}

function checkSameLength(
  full: ArrayLike<unknown>,
  condensed: ArrayLike<unknown>,
  what: string,
): void {
  if (full.length !== condensed.length || full.length === 0) {
    throw new EvaluationError(
      'EVAL_LENGTH_MISMATCH',
      `Full-context and condensed ${what} must line up.`,
      {
        details: `full has ${full.length}, condensed has ${condensed.length} (both must be equal and non-zero)`,
      },
    );
  }
}

/**
 * Per-token NLL gap, in nats: mean NLL of the continuation's tokens given the condensed
 * payload minus their mean NLL given the full context. Both arrays hold the log-prob of
 * the same continuation token at each position.
 */
export function nllGap(fullLogProbs: LogProbs, condensedLogProbs: LogProbs): number {
  checkSameLength(fullLogProbs, condensedLogProbs, 'log-probs');
  checkLogProbs('fullLogProbs', fullLogProbs, false);
  // A payload can make a token impossible; that is an infinite gap, scored 0, not an error.
  checkLogProbs('condensedLogProbs', condensedLogProbs, true);
  let sum = 0;
  for (let i = 0; i < fullLogProbs.length; i++) sum += fullLogProbs[i]! - condensedLogProbs[i]!;
  return sum / fullLogProbs.length;
}

/**
 * Mean KL(full ‖ condensed) over positions, in nats, from each position's full
 * log-distribution over the vocabulary (log-softmax rows of equal width).
 */
export function meanKlDivergence(
  fullLogDistributions: readonly LogProbs[],
  condensedLogDistributions: readonly LogProbs[],
): number {
  checkSameLength(fullLogDistributions, condensedLogDistributions, 'positions');
  let total = 0;
  for (let position = 0; position < fullLogDistributions.length; position++) {
    const p = fullLogDistributions[position]!;
    const q = condensedLogDistributions[position]!;
    checkSameLength(p, q, `distributions at position ${position}`);
    checkLogProbs(`fullLogDistributions[${position}]`, p, true);
    checkLogProbs(`condensedLogDistributions[${position}]`, q, true);
    let kl = 0;
    for (let token = 0; token < p.length; token++) {
      const logP = p[token]!;
      if (logP === Number.NEGATIVE_INFINITY) continue;
      kl += Math.exp(logP) * (logP - q[token]!);
    }
    // Rounding can leave a tiny negative KL for identical rows.
    total += Math.max(0, kl);
  }
  return total / fullLogDistributions.length;
}

/**
 * Fidelity in [0, 1] from a gap in nats per token: `exp(−max(0, gap))`.
 *
 * Why this transform: for an NLL gap, `exp(−gap)` is exactly the full-context perplexity
 * divided by the condensed one, so 0.5 means "the condensed payload leaves the model twice
 * as perplexed". It is 1 for a lossless payload, falls monotonically, never reaches below 0,
 * and needs no tuning constant. A negative gap (the payload predicts *better* than the full
 * context) is noise, not extra fidelity, so it is clamped to 1.
 */
export function fidelityFromGap(gap: number): number {
  if (Number.isNaN(gap) || gap === Number.NEGATIVE_INFINITY) {
    throw new EvaluationError('EVAL_BAD_GAP', 'A fidelity gap must be a number.', {
      details: `gap = ${gap}`,
    });
  }
  return Math.exp(-Math.max(0, gap));
}

/** Fidelity of a continuation: `fidelityFromGap(nllGap(full, condensed))`. */
export function continuationFidelity(fullLogProbs: LogProbs, condensedLogProbs: LogProbs): number {
  return fidelityFromGap(nllGap(fullLogProbs, condensedLogProbs));
}
