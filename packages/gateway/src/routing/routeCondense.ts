import {
  type CondensedPayload,
  type Dendrite,
  type ModelGeometry,
  PayloadError,
  type TierConfig,
  tierPayloadLimits,
  validatePayload,
} from '@signal/core';
import type { Logger } from 'pino';
import { GatewayError } from '../errors/GatewayError';
import type { MinerEntry } from '../miners/MinerView';
import { askMiner } from './askMiner';
import type { CondenseRequest } from './CondenseRequest';

/**
 * Statuses with which a miner refuses the request itself (its context does not fit the tier,
 * say): every honest miner would, so it is no fault of the miner and says nothing of its health.
 */
const REQUEST_REFUSALS = new Set([400, 413, 422]);

/** One miner that did not serve a request, and whether the failure was its fault. */
export interface MinerFailure {
  miner: MinerEntry;
  /** Its latency when it answered (with something invalid); null when it did not. */
  latencyMs: number | null;
  /** Its own `Retry-After` (a 429 or 503), to be honoured by every replica. */
  retryAfterMs?: number;
}

export interface RouteCondenseParameters {
  dendrite: Dendrite;
  request: CondenseRequest;
  tier: TierConfig;
  model: string;
  /** Best first. */
  candidates: readonly MinerEntry[];
  /** The model's geometry when the validator published it, to refuse misshapen caches. */
  geometry: ModelGeometry | undefined;
  /** Marks a miner busy for the duration of one attempt. */
  hold: (uid: number) => () => void;
  logger: Logger;
  /**
   * Told of every miner that failed this request (an error, a timeout, an invalid payload, a
   * 429/503), never of one that refused the request itself (400/413/422).
   */
  onFailure?: (failure: MinerFailure) => void;
  now?: () => number;
}

export interface RoutedCondense {
  miner: MinerEntry;
  payload: CondensedPayload;
  latencyMs: number;
}

/**
 * Tries the candidates in order until one returns a payload that passes core's validation
 * (and has the requested format), all within the tier's deadline. A miner that fails,
 * answers badly or times out hands the request to the next. When every miner tried refused
 * the request itself, the caller gets GATEWAY_MINERS_REFUSED (422) with the miners' code,
 * not a 502: the request, not the subnet, is at fault.
 */
export async function routeCondense({
  dendrite,
  request,
  tier,
  model,
  candidates,
  geometry,
  hold,
  logger,
  onFailure,
  now = () => performance.now(),
}: RouteCondenseParameters): Promise<RoutedCondense> {
  if (candidates.length === 0) {
    throw new GatewayError('GATEWAY_NO_MINER', `No miner of tier ${tier.name} is available.`, {
      details: `model ${model}`,
    });
  }
  const deadline = now() + tier.timeoutSeconds * 1000;
  const limits = tierPayloadLimits(tier, { expectedModel: model, geometry });
  const failures: string[] = [];
  /** The codes of the miners that refused the request itself; the rest failed it. */
  const refusals: string[] = [];
  let failedOtherwise = false;
  for (const miner of candidates) {
    const remaining = (deadline - now()) / 1000;
    if (remaining <= 0.05) break;
    const release = hold(miner.uid);
    let answer: Awaited<ReturnType<typeof askMiner>>;
    try {
      answer = await askMiner(dendrite, miner, {
        context: request.context,
        model,
        tier: tier.name,
        timeoutSeconds: remaining,
      });
    } finally {
      release();
    }
    if (!answer.ok) {
      failures.push(`uid ${miner.uid}: ${answer.status} ${answer.message}`);
      if (answer.answered && REQUEST_REFUSALS.has(answer.status)) {
        refusals.push(answer.code ?? `HTTP ${answer.status}`);
        continue;
      }
      failedOtherwise = true;
      // A timeout only counts against a miner that was given the tier's whole timeout.
      const fullTime = remaining >= tier.timeoutSeconds - 0.05;
      if (answer.status !== 408 || fullTime) {
        onFailure?.({
          miner,
          latencyMs: null,
          ...(answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs }),
        });
      }
      continue;
    }
    try {
      const payload = validatePayload(answer.raw, limits);
      if (request.format !== undefined && payload.format !== request.format) {
        // Another format is no fault of a miner that serves it; it is just not this client's.
        failures.push(`uid ${miner.uid}: returned ${payload.format}, not ${request.format}`);
        failedOtherwise = true;
        continue;
      }
      return { miner, payload, latencyMs: answer.latencyMs };
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      failures.push(`uid ${miner.uid}: ${error.code} at ${error.path}`);
      failedOtherwise = true;
      onFailure?.({ miner, latencyMs: answer.latencyMs });
    }
  }
  if (refusals.length > 0 && !failedOtherwise) {
    const code = mostCommon(refusals);
    throw new GatewayError(
      'GATEWAY_MINERS_REFUSED',
      `Every miner tried refused this request for tier ${tier.name} (${code}).`,
      { details: failures.join('; ') },
    );
  }
  logger.warn({ tier: tier.name, failures }, 'organic request failed on every miner tried');
  throw new GatewayError('GATEWAY_MINERS_FAILED', 'No miner returned a valid payload in time.', {
    details: failures.join('; ') || 'the deadline passed before any miner could be tried',
  });
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}
