import { EvaluationError } from './EvaluationError';

/**
 * The target model's tokenizer, supplied by the runtime. It may be async (a tokenizer in a
 * worker) and must return a non-negative integer.
 */
export type CountTokens = (text: string) => number | Promise<number>;

export interface RecountTextPayloadParameters {
  /** The context the validator sent. */
  context: string;
  /** The condensed text the miner returned. */
  text: string;
  /** The counts the miner declared in its payload. */
  declared: { originalTokens: number; condensedTokens: number };
  countTokens: CountTokens;
}

export interface RecountedTokens {
  originalTokens: number;
  condensedTokens: number;
  /** `1 − condensed/original`, from the recomputed counts. */
  compression: number;
  /** Whether the miner's declared counts equal the recomputed ones. */
  declaredMatches: boolean;
}

async function count(countTokens: CountTokens, text: string, what: string): Promise<number> {
  const tokens = await countTokens(text);
  if (!Number.isSafeInteger(tokens) || tokens < 0) {
    throw new EvaluationError('EVAL_BAD_TOKEN_COUNT', 'countTokens returned an invalid count.', {
      details: `for the ${what}: ${tokens}`,
    });
  }
  return tokens;
}

/**
 * Recomputes a text payload's token counts with the target tokenizer. A miner's declared
 * counts are never trusted for scoring: compression comes from these numbers, and a
 * mismatch is reported so the caller can treat the payload as invalid.
 */
export async function recountTextPayload({
  context,
  text,
  declared,
  countTokens,
}: RecountTextPayloadParameters): Promise<RecountedTokens> {
  const originalTokens = await count(countTokens, context, 'context');
  const condensedTokens = await count(countTokens, text, 'condensed text');
  if (originalTokens === 0) {
    throw new EvaluationError('EVAL_BAD_TOKEN_COUNT', 'The context has no tokens.', {
      details: 'compression is undefined for an empty context',
    });
  }
  return {
    originalTokens,
    condensedTokens,
    compression: 1 - condensedTokens / originalTokens,
    declaredMatches:
      declared.originalTokens === originalTokens && declared.condensedTokens === condensedTokens,
  };
}
