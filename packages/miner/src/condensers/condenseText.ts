import { performance } from 'node:perf_hooks';
import type { TextPayload } from '@signal/core';
import { TextStream } from '@signal/runtime';
import { MinerRequestError } from '../models/MinerRequestError';
import type { TargetModelLease } from '../models/TargetModels';
import { type CompressTextOptions, compressText } from '../text/compressText';
import { contextSpans } from '../text/contextSpans';
import type { CondenseTimings } from './CondenseResult';
import type { TokenBudget } from './tierBudget';

const NOTHING_FORCED = { newlines: false, digits: false, punctuation: false } as const;

export interface CondenseTextParameters {
  readonly model: TargetModelLease;
  readonly context: string;
  /** The kept-token budget the tier allows (`tierBudget` over the context's tokens). */
  readonly budget: TokenBudget;
  readonly options: Omit<CompressTextOptions, 'ratio' | 'forceToken'>;
}

/** A context's tokens under the target tokenizer: the text pieces and how each was predicted. */
export interface ScoredTokens {
  readonly pieces: string[];
  readonly logprobs: number[];
}

/**
 * Self-information text compression: the target model scores every token of the context
 * (log p given the ones before), the least informative are dropped to the budget, and the
 * result's token counts are measured under the same tokenizer.
 *
 * A valid context never comes back empty: when the configured granularity keeps less than
 * the tier's minimum (no whole sentence fits the budget, say), the budget is filled token by
 * token instead, and when that still re-encodes to too few tokens, the least compression the
 * tier allows is tried; when the tokens that are always kept (digits, punctuation, newlines)
 * alone exceed the tier's maximum, they are ranked like the others. Only a context none of
 * these can condense within the tier is refused (422).
 */
export async function condenseText(
  parameters: CondenseTextParameters,
): Promise<{ payload: TextPayload; timings: CondenseTimings }> {
  const { model, context, budget, options } = parameters;
  let clock = performance.now();
  const scored = await scoreTokens(model, context);
  const prefillMs = performance.now() - clock;
  clock = performance.now();
  const n = scored.pieces.length;
  const attempts: Array<Omit<CompressTextOptions, 'forceToken'>> = [
    { ...options, ratio: budget.ratio },
    ...(options.granularity === undefined || options.granularity === 'token'
      ? []
      : [{ ...options, granularity: 'token' as const, ratio: budget.ratio }]),
    ...(budget.maxKept > budget.kept
      ? [{ ...options, granularity: 'token' as const, ratio: (n - budget.maxKept) / n }]
      : []),
    // Forced tokens (digits, punctuation, newlines) alone may outnumber the tier's maximum.
    { ...options, granularity: 'token' as const, ratio: budget.ratio, force: NOTHING_FORCED },
  ];
  const least = Math.max(1, budget.minKept);
  const fits = (text: string, tokens: number) =>
    text.trim().length > 0 && tokens >= least && tokens <= budget.maxKept;
  let text = '';
  let condensedTokens = 0;
  for (const attempt of attempts) {
    text = compressText({ tokens: scored.pieces, logprobs: scored.logprobs }, attempt).text;
    condensedTokens = model.lm.tokenizer.encode(text, { addSpecialTokens: false }).length;
    if (fits(text, condensedTokens)) break;
  }
  const scoringMs = performance.now() - clock;
  if (!fits(text, condensedTokens)) {
    throw new MinerRequestError(
      'MINER_TIER_LIMIT',
      `Text compression cannot keep between ${least} and ${budget.maxKept} tokens of this context, as the tier asks.`,
      {
        details: `the best attempt kept ${condensedTokens} of ${n} tokens (${JSON.stringify(text.slice(0, 80))})`,
      },
    );
  }
  clock = performance.now();
  const payload: TextPayload = {
    format: 'text',
    model: model.name,
    original_tokens: n,
    condensed_tokens: condensedTokens,
    text,
  };
  return {
    payload,
    timings: { prefillMs, scoringMs, gatherMs: 0, encodeMs: performance.now() - clock },
  };
}

/**
 * Per-token log-probs of `context` under the target model, with each token's own text in the
 * context (`contextSpans`: what an unknown word decodes to is lost, its text is not). The
 * first token has nothing to predict it unless the tokenizer adds BOS; it then counts as
 * maximally informative (−∞), so it is never the one dropped.
 */
export async function scoreTokens(model: TargetModelLease, context: string): Promise<ScoredTokens> {
  const { tokenizer } = model.lm;
  const content = tokenizer.encode(context, { addSpecialTokens: false });
  if (content.length === 0) {
    throw new MinerRequestError('MINER_BAD_REQUEST', 'The context is empty.');
  }
  const bos = tokenizer.special.bos;
  const prefix = bos === undefined ? content.slice(0, 1) : [bos];
  const scoredIds = bos === undefined ? content.slice(1) : content;
  const extra = model.feeds ? { extraFeeds: model.feeds } : {};
  const { logProbs } = await model.lm.scoreContinuation(prefix, scoredIds, extra);
  const logprobs = bos === undefined ? [Number.NEGATIVE_INFINITY, ...logProbs] : [...logProbs];
  const stream = new TextStream(tokenizer, true);
  const pieces = content.map((id) => {
    stream.push(id);
    return stream.take();
  });
  const rest = stream.flush();
  if (rest.length > 0) pieces[pieces.length - 1] += rest;
  return { pieces: contextSpans(context, pieces), logprobs };
}
