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
import type { MinerTarget } from '../query/MinerTarget';
import { queryCondense } from '../query/queryCondense';
import type { CondenseRequest } from './CondenseRequest';
import { GatewayError } from './GatewayError';

export interface RouteCondenseParameters {
  dendrite: Dendrite;
  request: CondenseRequest;
  tier: TierConfig;
  model: string;
  /** Best first. */
  candidates: readonly MinerTarget[];
  /** The model's geometry when the validator holds it, to refuse misshapen caches. */
  geometry: ModelGeometry | undefined;
  /** Marks a miner busy for the duration of one attempt. */
  hold: (uid: number) => () => void;
  logger: Logger;
  /** Told of every miner that failed this request (error, invalid payload or wrong format). */
  onFailure?: (miner: MinerTarget, latencyMs: number | null) => void;
  now?: () => number;
}

export interface RoutedCondense {
  miner: MinerTarget;
  payload: CondensedPayload;
  latencyMs: number;
}

/**
 * Tries the candidates in order until one returns a payload that passes core's validation
 * (and has the requested format), all within the tier's deadline. A miner that fails,
 * answers badly or times out hands the request to the next.
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
  for (const miner of candidates) {
    const remaining = (deadline - now()) / 1000;
    if (remaining <= 0.05) break;
    const release = hold(miner.uid);
    let outcome: Awaited<ReturnType<typeof queryCondense>>;
    try {
      outcome = await queryCondense({
        dendrite,
        miner,
        context: request.context,
        targetModel: model,
        tier: tier.name,
        timeoutSeconds: remaining,
      });
    } finally {
      release();
    }
    if (!outcome.ok) {
      failures.push(`uid ${miner.uid}: ${outcome.status} ${outcome.message}`);
      // A timeout only counts against a miner that was given the tier's whole timeout.
      const fullTime = remaining >= tier.timeoutSeconds - 0.05;
      if (outcome.status !== 408 || fullTime) onFailure?.(miner, null);
      continue;
    }
    try {
      const payload = validatePayload(outcome.raw, limits);
      if (request.format !== undefined && payload.format !== request.format) {
        // Another format is no fault of a miner that serves it; it is just not this client's.
        failures.push(`uid ${miner.uid}: returned ${payload.format}, not ${request.format}`);
        continue;
      }
      return { miner, payload, latencyMs: outcome.latencyMs };
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      failures.push(`uid ${miner.uid}: ${error.code} at ${error.path}`);
      onFailure?.(miner, outcome.latencyMs);
    }
  }
  logger.warn({ tier: tier.name, failures }, 'organic request failed on every miner tried');
  throw new GatewayError('GATEWAY_MINERS_FAILED', 'No miner returned a valid payload in time.', {
    details: failures.join('; ') || 'the deadline passed before any miner could be tried',
  });
}
