import type { TierConfig } from '@signal/core';
import type { Logger } from 'pino';
import type { ProxyMetrics } from '../metrics/ProxyMetrics';
import { ApiError } from '../openai/ApiError';
import type { ChatCompletionRequest } from '../openai/ChatCompletionRequest';
import type { CondenseCache } from './CondenseCache';
import { CondenseFailure } from './CondenseFailure';
import type { CondensePolicy } from './CondensePolicy';
import { type Condenser, condenseParts } from './condenseParts';
import type { TokenCounter } from './countTokens';
import { findLongParts } from './findLongParts';
import { rewriteChat } from './rewriteChat';

export interface PrepareChatParameters {
  body: ChatCompletionRequest;
  condenser: Condenser | undefined;
  policy: CondensePolicy;
  tier: TierConfig;
  targetModel: string;
  cache: CondenseCache;
  countTokens: TokenCounter;
  condenseTimeoutMs: number;
  requireCondense: boolean;
  signal: AbortSignal;
  metrics: ProxyMetrics;
  logger: Logger;
}

/** What `x-signal-condense` says the proxy did with a chat request. */
export type CondenseOutcome = 'condensed' | 'cached' | 'skipped' | 'fallback' | 'off';

export interface PreparedChat {
  /** The body to forward: rewritten, or the original. */
  body: ChatCompletionRequest;
  /** Whether `body` differs from the original. */
  condensed: boolean;
  headers: Record<string, string>;
}

function signalHeaders(
  outcome: CondenseOutcome,
  originalTokens: number,
  condensedTokens: number,
  ms: number,
): Record<string, string> {
  return {
    'x-signal-condense': outcome,
    'x-signal-original-tokens': String(originalTokens),
    'x-signal-condensed-tokens': String(condensedTokens),
    'x-signal-condense-ms': String(Math.round(ms)),
  };
}

/**
 * Decides what to forward for a chat request: with no long part, the request as sent; with
 * long parts, the request rewritten from what the subnet condensed them to. A failure on
 * the subnet's side is logged with its reason and the original goes out instead, unless
 * the proxy must condense, in which case the caller gets a 502.
 */
export async function prepareChat(parameters: PrepareChatParameters): Promise<PreparedChat> {
  const { body, condenser, policy, metrics, logger } = parameters;
  if (!condenser) {
    return { body, condensed: false, headers: signalHeaders('off', 0, 0, 0) };
  }
  const parts = findLongParts(body.messages, policy, parameters.countTokens);
  if (parts.length === 0) {
    metrics.condense.inc({ outcome: 'skipped' });
    return { body, condensed: false, headers: signalHeaders('skipped', 0, 0, 0) };
  }
  const started = performance.now();
  try {
    const condensed = await condenseParts({
      parts,
      format: policy.format,
      tier: parameters.tier,
      targetModel: parameters.targetModel,
      condenser,
      cache: parameters.cache,
      timeoutMs: parameters.condenseTimeoutMs,
      signal: parameters.signal,
    });
    const rewritten = rewriteChat(
      body,
      condensed,
      policy.format,
      parts.map((part) => part.index),
    );
    const ms = performance.now() - started;
    const outcome = condensed.cached ? 'cached' : 'condensed';
    metrics.condense.inc({ outcome });
    metrics.condenseSeconds.observe(ms / 1000);
    metrics.tokens.inc({ kind: 'original' }, condensed.originalTokens);
    metrics.tokens.inc({ kind: 'condensed' }, condensed.condensedTokens);
    logger.debug(
      {
        parts: parts.length,
        outcome,
        original: condensed.originalTokens,
        condensed: condensed.condensedTokens,
        ms,
      },
      'proxy: condensed',
    );
    return {
      body: rewritten,
      condensed: true,
      headers: signalHeaders(outcome, condensed.originalTokens, condensed.condensedTokens, ms),
    };
  } catch (error) {
    if (!(error instanceof CondenseFailure)) throw error;
    const ms = performance.now() - started;
    if (parameters.requireCondense) {
      metrics.condense.inc({ outcome: 'refused' });
      throw new ApiError('API_CONDENSE_FAILED', 'The subnet could not condense this request.', {
        details: `${error.reason}: ${error.message.split('\n').join(' ')}`,
        openaiCode: `condense_${error.reason}`,
        cause: error,
      });
    }
    metrics.condense.inc({ outcome: 'fallback' });
    metrics.fallbacks.inc({ reason: error.reason });
    logger.warn(
      { reason: error.reason, err: error, parts: parts.length },
      'proxy: condensing failed; forwarding the request as sent',
    );
    return { body, condensed: false, headers: signalHeaders('fallback', 0, 0, ms) };
  }
}
