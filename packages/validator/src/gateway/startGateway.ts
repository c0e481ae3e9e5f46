import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Dendrite,
  isSignalError,
  type ModelGeometry,
  scoreResponse,
  type TierConfig,
} from '@signal/core';
import type { Logger } from 'pino';
import type { EvaluationService } from '../evaluate/EvaluationService';
import type { ApiKeyStore } from '../gateway-keys/ApiKeyStore';
import { authorizeRequest } from '../gateway-keys/authorizeRequest';
import { InvalidApiKeyError, RateLimitedError } from '../gateway-keys/GatewayKeyError';
import type { RateLimiter } from '../gateway-keys/RateLimiter';
import type { MinerDirectory } from '../loop/MinerDirectory';
import type { ValidatorMetrics } from '../metrics/ValidatorMetrics';
import type { ScoreStateStore } from '../state/ScoreStateStore';
import { computeWeights } from '../weights/computeWeights';
import type { CondenseResponse } from './CondenseRequest';
import { GatewayError } from './GatewayError';
import { rankCandidates } from './rankCandidates';
import { readJsonBody } from './readJsonBody';
import { resolveCondenseRequest } from './resolveCondenseRequest';
import { routeCondense } from './routeCondense';

export interface GatewayDependencies {
  tiers: readonly TierConfig[];
  dendrite: Dendrite;
  evaluator: EvaluationService;
  store: ScoreStateStore;
  directory: MinerDirectory;
  keys: ApiKeyStore;
  limiter: RateLimiter;
  logger: Logger;
  metrics: ValidatorMetrics;
}

export interface GatewaySettings {
  host?: string;
  port?: number;
  /** Share of organic responses also scored like synthetic ones, in [0, 1]. Default 0.1. */
  organicScoredFraction?: number;
  /** Requests one miner may have in flight from this gateway. Default 4. */
  maxInFlightPerMiner?: number;
  /** Largest request body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Draws in [0, 1) deciding which organic responses are scored; injectable for tests. */
  random?: () => number;
}

export interface RunningGateway {
  readonly port: number;
  close(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/**
 * The organic gateway on node:http: `POST /v1/condense` (Bearer API key, routed to the best
 * miner of the tier with failover), `GET /v1/health` and `GET /v1/miners`.
 */
export async function startGateway(
  deps: GatewayDependencies,
  settings: GatewaySettings = {},
): Promise<RunningGateway> {
  const organicFraction = settings.organicScoredFraction ?? 0.1;
  const maxInFlight = settings.maxInFlightPerMiner ?? 4;
  const maxBodyBytes = settings.maxBodyBytes ?? 1024 * 1024;
  const random = settings.random ?? Math.random;
  const inFlight = new Map<number, number>();
  const scoring = new Set<Promise<void>>();
  const geometries = new Map<string, Promise<ModelGeometry>>();
  const started = Date.now();

  const hold = (uid: number) => {
    inFlight.set(uid, (inFlight.get(uid) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight.set(uid, (inFlight.get(uid) ?? 1) - 1);
    };
  };

  const geometryOf = (model: string): Promise<ModelGeometry> | undefined => {
    if (!deps.evaluator.hasModel(model)) return undefined;
    let geometry = geometries.get(model);
    if (!geometry) {
      geometry = deps.evaluator.geometry(model);
      geometry.catch(() => geometries.delete(model));
      geometries.set(model, geometry);
    }
    return geometry;
  };

  const scoreOrganic = (
    miner: { uid: number; hotkey: string },
    tier: TierConfig,
    model: string,
    context: string,
    raw: unknown,
    latencyMs: number,
  ): void => {
    const job = deps.evaluator
      .evaluateOrganic({ context, tier, model, raw })
      .then((evaluation) => {
        const score = evaluation.valid
          ? scoreResponse({
              accuracy: evaluation.accuracy,
              originalTokens: evaluation.originalTokens,
              condensedTokens: evaluation.condensedTokens,
              alpha: tier.alpha,
              valid: true,
            })
          : 0;
        deps.store.record({
          uid: miner.uid,
          hotkey: miner.hotkey,
          tier: tier.name,
          score,
          latencyMs,
        });
      })
      .catch((error: unknown) => deps.logger.error({ err: error }, 'organic scoring failed'));
    scoring.add(job);
    job.finally(() => scoring.delete(job));
  };

  const condense = async (request: IncomingMessage): Promise<CondenseResponse> => {
    authorizeRequest({
      authorization: request.headers.authorization,
      keys: deps.keys,
      limiter: deps.limiter,
    });
    const body = await readJsonBody(request, maxBodyBytes);
    const resolved = resolveCondenseRequest(body, deps.tiers, (m) => deps.evaluator.hasModel(m));
    const candidates = rankCandidates(
      deps.directory.ofTier(resolved.tier.name),
      deps.store.state.miners,
      resolved.model,
      (uid) => inFlight.get(uid) ?? 0,
      maxInFlight,
      resolved.request.format,
    );
    // Decided per request, before routing, so a failure along the way counts as much as a success.
    const scored = deps.evaluator.hasModel(resolved.model) && random() < organicFraction;
    const routed = await routeCondense({
      dendrite: deps.dendrite,
      request: resolved.request,
      tier: resolved.tier,
      model: resolved.model,
      candidates,
      geometry: await geometryOf(resolved.model),
      hold,
      logger: deps.logger,
      ...(scored
        ? {
            onFailure: (miner: { uid: number; hotkey: string }, latencyMs: number | null) =>
              deps.store.record({
                uid: miner.uid,
                hotkey: miner.hotkey,
                tier: resolved.tier.name,
                score: 0,
                latencyMs,
              }),
          }
        : {}),
    });
    if (scored) {
      scoreOrganic(
        routed.miner,
        resolved.tier,
        resolved.model,
        resolved.request.context,
        routed.payload,
        routed.latencyMs,
      );
    }
    return {
      payload: routed.payload,
      miner_uid: routed.miner.uid,
      latency_ms: Math.round(routed.latencyMs * 1000) / 1000,
    };
  };

  const minersTable = () => {
    const metagraph = deps.directory.metagraph;
    const weights = metagraph
      ? computeWeights(deps.store.state, metagraph, deps.tiers)
      : { uids: [], weights: [] };
    const weightOf = new Map(weights.uids.map((uid, i) => [uid, weights.weights[i]!]));
    const scoreOf = new Map(deps.store.state.miners.map((m) => [m.uid, m]));
    return Object.fromEntries(
      deps.tiers.map((tier) => [
        tier.name,
        deps.directory.ofTier(tier.name).map((miner) => {
          const state = scoreOf.get(miner.uid);
          const current = state && state.hotkey === miner.hotkey && state.tier === tier.name;
          return {
            uid: miner.uid,
            hotkey: miner.hotkey,
            score: current ? state.score : 0,
            weight: weightOf.get(miner.uid) ?? 0,
            latency_ms: current ? state.lastLatencyMs : null,
          };
        }),
      ]),
    );
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0];
    let status = 200;
    try {
      if (path === '/v1/health' && request.method === 'GET') {
        sendJson(response, 200, {
          status: 'ok',
          uptime_s: Math.round((Date.now() - started) / 1000),
          miners: deps.directory.all().length,
          block: deps.directory.metagraph?.block ?? null,
        });
      } else if (path === '/v1/miners' && request.method === 'GET') {
        sendJson(response, 200, { tiers: minersTable() });
      } else if (path === '/v1/condense' && request.method === 'POST') {
        sendJson(response, 200, await condense(request));
      } else {
        throw new GatewayError('GATEWAY_NOT_FOUND', `No route for ${request.method} ${path}.`);
      }
    } catch (error) {
      if (error instanceof RateLimitedError) {
        status = 429;
        sendJson(response, 429, errorBody(error), {
          'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))),
        });
      } else if (error instanceof InvalidApiKeyError) {
        status = 401;
        deps.logger.info({ reason: error.reason }, 'gateway: refused API key');
        sendJson(response, 401, errorBody(error), { 'www-authenticate': 'Bearer' });
      } else if (error instanceof GatewayError) {
        status = error.status;
        sendJson(response, status, errorBody(error, error.field));
      } else {
        status = 500;
        deps.logger.error({ err: error }, 'gateway: unexpected error');
        sendJson(response, 500, {
          error: { code: 'GATEWAY_INTERNAL', message: 'Internal error.' },
        });
      }
    } finally {
      deps.metrics.gatewayRequests.inc({ status: String(status) });
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'gateway: response failed');
      response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port ?? 0, settings.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      await Promise.all([...scoring]);
    },
  };
}

function errorBody(error: unknown, field?: string): unknown {
  if (isSignalError(error)) {
    return {
      error: {
        code: error.code,
        message: error.shortMessage,
        ...(error.details ? { details: error.details } : {}),
        ...(field ? { field } : {}),
      },
    };
  }
  return { error: { code: 'GATEWAY_INTERNAL', message: 'Internal error.' } };
}
