import { performance } from 'node:perf_hooks';
import type { TextPayload } from '@signal/core';
import { TextStream } from '@signal/runtime';
import { MinerRequestError } from '../models/MinerRequestError';
import type { TargetModelLease } from '../models/TargetModels';
import { type CompressTextOptions, compressText } from '../text/compressText';
import type { CondenseTimings } from './CondenseResult';

export interface CondenseTextParameters {
  readonly model: TargetModelLease;
  readonly context: string;
  readonly ratio: number;
  readonly options: Omit<CompressTextOptions, 'ratio' | 'forceToken'>;
}

/** A context's tokens under the target tokenizer: the text pieces and how each was predicted. */
export interface ScoredTokens {
  readonly pieces: string[];
  readonly logprobs: number[];
}

/**
 * Self-information text compression: the target model scores every token of the context
 * (log p given the ones before), the least informative are dropped to the ratio, and the
 * result's token counts are measured under the same tokenizer.
 */
export async function condenseText(
  parameters: CondenseTextParameters,
): Promise<{ payload: TextPayload; timings: CondenseTimings }> {
  const { model, context, ratio, options } = parameters;
  let clock = performance.now();
  const scored = await scoreTokens(model, context);
  const prefillMs = performance.now() - clock;
  clock = performance.now();
  const compressed = compressText(
    { tokens: scored.pieces, logprobs: scored.logprobs },
    {
      ...options,
      ratio,
    },
  );
  const scoringMs = performance.now() - clock;
  clock = performance.now();
  const condensedTokens = model.lm.tokenizer.encode(compressed.text, {
    addSpecialTokens: false,
  }).length;
  if (compressed.text.length === 0 || condensedTokens === 0) {
    throw new MinerRequestError(
      'MINER_TIER_LIMIT',
      'Text compression left nothing of the context.',
    );
  }
  const payload: TextPayload = {
    format: 'text',
    model: model.name,
    original_tokens: scored.pieces.length,
    condensed_tokens: condensedTokens,
    text: compressed.text,
  };
  return {
    payload,
    timings: { prefillMs, scoringMs, gatherMs: 0, encodeMs: performance.now() - clock },
  };
}

/**
 * Per-token log-probs of `context` under the target model, with each token's text piece.
 * The first token has nothing to predict it unless the tokenizer adds BOS; it then counts as
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
  return { pieces, logprobs };
}
