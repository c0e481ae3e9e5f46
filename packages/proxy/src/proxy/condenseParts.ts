import type { CondensedContext, CondenseOptions } from '@signal/client';
import { ClientError } from '@signal/client';
import type { TierConfig } from '@signal/core';
import type { CondenseCache } from './CondenseCache';
import type { CondensedPiece } from './CondensedPiece';
import { CondenseFailure } from './CondenseFailure';
import { chunkText } from './chunkText';
import type { LongPart } from './findLongParts';

/** What reaches the subnet: `SignalClient` in gateway or direct mode fits as is. */
export interface Condenser {
  condense(context: string, options: CondenseOptions): Promise<CondensedContext>;
}

export interface CondensePartsParameters {
  parts: readonly LongPart[];
  format: 'text' | 'kv' | 'soft';
  tier: TierConfig;
  targetModel: string;
  condenser: Condenser;
  cache: CondenseCache;
  /** The whole condense phase's budget. */
  timeoutMs: number;
  /** The client's disconnect. */
  signal: AbortSignal;
}

/** A long part and what it became. */
export interface CondensedPart {
  readonly index: number;
  readonly pieces: readonly CondensedPiece[];
}

export interface CondensedParts {
  /** In text format one entry per long part; in kv/soft one entry for all of them joined. */
  readonly parts: readonly CondensedPart[];
  readonly originalTokens: number;
  readonly condensedTokens: number;
  /** Whether every piece came from the cache. */
  readonly cached: boolean;
}

/** Joins long parts for one kv/soft payload: they become one context, in conversation order. */
export const PART_JOINER = '\n\n';

/**
 * Condenses the long parts through the subnet. In text format each part is cut to the
 * tier's context limit and its pieces are condensed in parallel; in kv or soft format the
 * parts become one context and one payload, which must fit the tier whole. Every piece goes
 * through the content-hash cache. Any failure throws a CondenseFailure saying why.
 */
export async function condenseParts(parameters: CondensePartsParameters): Promise<CondensedParts> {
  const { parts, format, tier } = parameters;
  const jobs: { index: number; texts: string[] }[] =
    format === 'text'
      ? parts.map((part) => ({
          index: part.index,
          texts: chunkText(part.text, tier.maxContextChars),
        }))
      : [{ index: parts[0]!.index, texts: [parts.map((part) => part.text).join(PART_JOINER)] }];
  if (format !== 'text' && jobs[0]!.texts[0]!.length > tier.maxContextChars) {
    throw new CondenseFailure('too_long', `The long parts do not fit one ${format} payload.`, {
      details: `${jobs[0]!.texts[0]!.length} characters; tier ${tier.name} takes ${tier.maxContextChars}`,
    });
  }
  const timeout = AbortSignal.timeout(parameters.timeoutMs);
  const signal = AbortSignal.any([parameters.signal, timeout]);
  let allCached = true;
  const condensed = await Promise.all(
    jobs.map(async (job) => ({
      index: job.index,
      pieces: await Promise.all(
        job.texts.map(async (text) => {
          const { piece, cached } = await condenseOne(parameters, text, signal, timeout);
          allCached &&= cached;
          return piece;
        }),
      ),
    })),
  );
  let originalTokens = 0;
  let condensedTokens = 0;
  for (const part of condensed) {
    for (const piece of part.pieces) {
      originalTokens += piece.originalTokens;
      condensedTokens += piece.condensedTokens;
    }
  }
  return { parts: condensed, originalTokens, condensedTokens, cached: allCached };
}

async function condenseOne(
  parameters: CondensePartsParameters,
  text: string,
  signal: AbortSignal,
  timeout: AbortSignal,
): Promise<{ piece: CondensedPiece; cached: boolean }> {
  const { format, tier, targetModel } = parameters;
  try {
    return await parameters.cache.get({ text, format, tier: tier.name, targetModel }, async () =>
      toPiece(
        await parameters.condenser.condense(text, {
          tier: tier.name,
          targetModel,
          format,
          timeoutMs: parameters.timeoutMs,
          signal,
        }),
      ),
    );
  } catch (error) {
    throw failureOf(error, timeout, parameters);
  }
}

function toPiece(condensed: CondensedContext): CondensedPiece {
  const { originalTokens, condensedTokens } = condensed.stats;
  if (condensed.format === 'text') {
    return { format: 'text', text: condensed.text, originalTokens, condensedTokens };
  }
  return {
    format: condensed.format,
    payload: condensed.toPayload(),
    originalTokens,
    condensedTokens,
  };
}

function failureOf(
  error: unknown,
  timeout: AbortSignal,
  parameters: CondensePartsParameters,
): CondenseFailure {
  if (error instanceof CondenseFailure) return error;
  const details = error instanceof Error ? error.message : String(error);
  if (timeout.aborted) {
    return new CondenseFailure('timeout', 'The subnet did not condense in time.', {
      details: `--proxy.condense-timeout is ${parameters.timeoutMs} ms`,
      cause: error,
    });
  }
  if (parameters.signal.aborted) {
    return new CondenseFailure('aborted', 'The client went away.', { cause: error });
  }
  if (error instanceof ClientError) {
    const reason =
      error.code === 'CLIENT_INVALID_RESPONSE'
        ? 'invalid_response'
        : error.code === 'CLIENT_TIMEOUT'
          ? 'timeout'
          : error.code === 'CLIENT_UNAVAILABLE' || error.code === 'CLIENT_NO_MINERS'
            ? 'unavailable'
            : error.code === 'CLIENT_ABORTED'
              ? 'aborted'
              : 'rejected';
    return new CondenseFailure(reason, error.shortMessage, { details, cause: error });
  }
  return new CondenseFailure('unavailable', 'Condensing failed.', { details, cause: error });
}
