import { assertRatio, keptCount } from '../presses/keptCount';
import { DEFAULT_FORCED_TOKENS, type ForcedTokenRules, isForcedToken } from './forcedTokens';
import { TextInputError } from './TextInputError';
import { segmentUnits, type TextGranularity } from './textUnits';

export interface TokenLogprobs {
  /** Decoded text pieces; their concatenation is the text. */
  tokens: readonly string[];
  /** Natural-log probability of each token given the ones before it (≤ 0; −∞ allowed). */
  logprobs: readonly number[];
}

export interface CompressTextOptions {
  /** Fraction of tokens to drop, 0 <= ratio < 1. */
  ratio: number;
  /** Keep or drop whole tokens, words or sentences (default 'token'). */
  granularity?: TextGranularity;
  /**
   * How a unit's self-information is aggregated: 'mean' (default) ranks by information per
   * token, which spends the token budget best; 'sum' ranks by total information, as
   * Selective Context does, and favours long units.
   */
  aggregate?: 'mean' | 'sum';
  /** Which kinds of token are never dropped (each defaults to true). */
  force?: Partial<ForcedTokenRules>;
  /** An extra rule: tokens it accepts are never dropped either. */
  forceToken?: (token: string, index: number) => boolean;
}

export interface CompressedText {
  /** Kept token positions, ascending. */
  keptIndices: Int32Array;
  /** The kept tokens, concatenated. */
  text: string;
  originalTokens: number;
  condensedTokens: number;
}

/** Tolerates the rounding of a log-softmax, which can land a hair above zero. */
const LOGPROB_SLACK = 1e-4;

/**
 * Drops the least informative tokens (self-information −log p) down to the budget
 * `keptCount(n, ratio)`, in the spirit of Selective Context and LLMLingua.
 *
 * Forced tokens are always kept and count against the budget; if they alone exceed it, the
 * result keeps just them. The other units are ranked by aggregated self-information (over all
 * their tokens) and taken greedily, best first, while their unforced tokens still fit — so the
 * result never exceeds the budget except through forced tokens. Ties keep the earlier unit.
 */
export function compressText(input: TokenLogprobs, options: CompressTextOptions): CompressedText {
  const { tokens, logprobs } = input;
  validate(tokens, logprobs);
  assertRatio(options.ratio);
  const granularity = options.granularity ?? 'token';
  const aggregate = options.aggregate ?? 'mean';
  const rules = { ...DEFAULT_FORCED_TOKENS, ...options.force };
  const n = tokens.length;
  const keep = new Uint8Array(n);
  let budget = keptCount(n, options.ratio);
  for (let i = 0; i < n; i++) {
    if (isForcedToken(tokens[i]!, rules) || options.forceToken?.(tokens[i]!, i)) {
      keep[i] = 1;
      budget--;
    }
  }

  const candidates = segmentUnits(tokens, granularity).flatMap(([start, end]) => {
    let information = 0;
    let cost = 0;
    for (let i = start; i < end; i++) {
      information -= logprobs[i]!;
      if (!keep[i]) cost++;
    }
    if (cost === 0) return [];
    return [
      { start, end, cost, score: aggregate === 'sum' ? information : information / (end - start) },
    ];
  });
  // Compared without subtraction: two infinite scores (−log 0) must still compare equal.
  candidates.sort(
    (a, b) => Number(b.score > a.score) - Number(b.score < a.score) || a.start - b.start,
  );
  for (const unit of candidates) {
    if (budget <= 0) break;
    if (unit.cost > budget) continue;
    for (let i = unit.start; i < unit.end; i++) keep[i] = 1;
    budget -= unit.cost;
  }

  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) kept.push(i);
  return {
    keptIndices: Int32Array.from(kept),
    text: kept.map((i) => tokens[i]).join(''),
    originalTokens: n,
    condensedTokens: kept.length,
  };
}

function validate(tokens: readonly string[], logprobs: readonly number[]): void {
  if (!Array.isArray(tokens) || !Array.isArray(logprobs)) {
    throw new TextInputError('tokens and logprobs must both be arrays.');
  }
  if (tokens.length !== logprobs.length) {
    throw new TextInputError(
      `Got ${tokens.length} tokens but ${logprobs.length} log-probabilities.`,
      'Each token needs exactly one log-probability.',
    );
  }
  for (let i = 0; i < tokens.length; i++) {
    if (typeof tokens[i] !== 'string') throw new TextInputError(`Token ${i} is not a string.`);
    const logprob = logprobs[i];
    if (typeof logprob !== 'number' || Number.isNaN(logprob) || logprob > LOGPROB_SLACK) {
      throw new TextInputError(
        `Token ${i} has log-probability ${String(logprob)}.`,
        'A log-probability is a number <= 0 (−Infinity allowed).',
      );
    }
  }
}
