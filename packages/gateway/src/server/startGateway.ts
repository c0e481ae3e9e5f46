import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Dendrite, isSignalError } from '@signal/core';
import type { Logger } from 'pino';
import { GatewayError } from '../errors/GatewayError';
import { InvalidApiKeyError, RateLimitedError } from '../errors/GatewayKeyError';
import { GatewayStoreError } from '../errors/GatewayStoreError';
import { readJsonBody } from '../http/readJsonBody';
import { errorBody, sendJson } from '../http/sendJson';
import { authenticate } from '../keys/authenticate';
import { MinerViewCache } from '../miners/MinerViewCache';
import { rankCandidates } from '../miners/rankCandidates';
import { resolveCondenseRequest } from '../routing/resolveCondenseRequest';
import { type MinerFailure, routeCondense } from '../routing/routeCondense';
import type { AdmissionTicket, GatewayStore } from '../store/GatewayStore';
import { statusClass } from '../store/usageQueries';
import { SettlementQueue } from '../usage/SettlementQueue';
import type { GatewayMetrics } from './GatewayMetrics';
import type { OrganicScoring } from './OrganicScoring';
import { receiveTimeouts } from './receiveTimeouts';

export interface GatewayDependencies {
  store: GatewayStore;
  /** Signs requests to miners, with the validator's hotkey. */
  dendrite: Dendrite;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Only a gateway inside the validator's process scores organic responses. */
  organic?: OrganicScoring;
}

export interface GatewaySettings {
  host?: string;
  port?: number;
  /** Requests one miner may have in flight from this replica. Default 4. */
  maxInFlightPerMiner?: number;
  /** Largest request body. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Admit requests without limits while the store is unreachable (keys already verified on
   * this replica still authenticate). Default false: such requests get 503.
   */
  failOpen?: boolean;
  /** How often the miner view is polled while no request brings its version. Default 5 s. */
  viewPollMs?: number;
  /**
   * Milliseconds a client has to send its whole header block (default 10 000). A client that
   * trickles its headers (slow loris) is answered 408 and dropped when they pass.
   */
  headersTimeoutMs?: number;
  /**
   * Milliseconds a client has to send its whole request, headers and body (default 30 000,
   * at least `headersTimeoutMs`). A body that never finishes is answered 408 and dropped.
   * Routing to miners after the body has arrived is not bound by it.
   */
  requestTimeoutMs?: number;
}

export interface RunningGateway {
  readonly port: number;
  /** Re-reads the miner view now (a validator in the same process calls it after publishing). */
  refreshView(): Promise<void>;
  /** Resolves once every settlement this replica made has reached the store (if it is up). */
  flushUsage(): Promise<void>;
  close(): Promise<void>;
}

const KEEP_ALIVE_MS = 65_000;

const STORE_DOWN = new GatewayStoreError(
  'GATEWAY_STORE_UNAVAILABLE',
  'The gateway cannot reach its store; no request is admitted until it is back.',
  { details: 'retry shortly' },
);

/**
 * The organic gateway on node:http: `POST /v1/condense` (Bearer API key, admitted by the
 * store's limits, routed to the best miner of the tier with failover and metered per key),
 * `GET /v1/health` and `GET /v1/miners`. Any number of these, on any machines, can share
 * one Redis store.
 */
export async function startGateway(
  deps: GatewayDependencies,
  settings: GatewaySettings = {},
): Promise<RunningGateway> {
  const { store, logger, metrics } = deps;
  const maxInFlight = settings.maxInFlightPerMiner ?? 4;
  const maxBodyBytes = settings.maxBodyBytes ?? 1024 * 1024;
  const failOpen = settings.failOpen ?? false;
  const timeouts = receiveTimeouts(settings);
  const inFlight = new Map<number, number>();
  /** Hotkeys this replica has seen fail or cool down: a success of theirs clears the store's count. */
  const troubled = new Set<string>();
  let cooldowns: ReadonlyMap<string, number> = new Map();
  let cooldownsAt = performance.now();
  const started = Date.now();
  const views = new MinerViewCache(store, logger);
  const settlements = new SettlementQueue(store, logger);
  metrics.storeUp.set(store.available ? 1 : 0);
  const unsubscribe = store.onAvailability((available) => {
    metrics.storeUp.set(available ? 1 : 0);
    logger[available ? 'info' : 'warn'](
      { store: store.description },
      available ? 'gateway: store reachable' : 'gateway: store unreachable',
    );
    if (available) views.refresh();
  });
  await views.start(settings.viewPollMs ?? 5_000);

  const hold = (uid: number) => {
    inFlight.set(uid, (inFlight.get(uid) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight.set(uid, (inFlight.get(uid) ?? 1) - 1);
    };
  };

  const coolingDown = (hotkey: string) => {
    const left = cooldowns.get(hotkey);
    return left !== undefined && left > performance.now() - cooldownsAt;
  };

  const minerFailed = (failure: MinerFailure) => {
    troubled.add(failure.miner.hotkey);
    store
      .recordMinerOutcome(failure.miner.hotkey, {
        ok: false,
        ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'gateway: miner outcome not stored'));
  };

  const credential = async (id: string) => {
    try {
      return await store.credential(id);
    } catch (error) {
      if (isSignalError(error, 'GATEWAY_STORE_UNAVAILABLE')) throw STORE_DOWN;
      throw error;
    }
  };

  const meter = (
    keyId: string,
    ticket: AdmissionTicket | undefined,
    status: number,
    tokensIn = 0,
    tokensOut = 0,
  ) => {
    settlements.submit({
      id: randomUUID(),
      keyId,
      ...(ticket ? { ticket } : {}),
      status,
      tokensIn,
      tokensOut,
    });
    metrics.keyRequests.inc({ key_id: keyId, class: statusClass(status) ?? String(status) });
    if (tokensIn > 0) metrics.keyTokens.inc({ key_id: keyId, direction: 'in' }, tokensIn);
    if (tokensOut > 0) metrics.keyTokens.inc({ key_id: keyId, direction: 'out' }, tokensOut);
    metrics.pendingSettlements.set(settlements.pending);
  };

  /** Admits the request or throws the refusal; undefined ticket: admitted fail-open. */
  const admit = async (keyId: string, reserveTokens: number) => {
    let admission: Awaited<ReturnType<GatewayStore['admit']>>;
    try {
      admission = await store.admit({ keyId, reserveTokens });
    } catch (error) {
      if (!isSignalError(error, 'GATEWAY_STORE_UNAVAILABLE')) throw error;
      if (failOpen) {
        logger.warn({ keyId }, 'gateway: admitted without limits, the store is unreachable');
        return undefined;
      }
      throw STORE_DOWN;
    }
    if (!admission.admitted) {
      if (admission.reason === 'unknown' || admission.reason === 'revoked') {
        throw new InvalidApiKeyError(admission.reason);
      }
      metrics.rateLimited.inc({ key_id: keyId, limit: admission.reason });
      throw new RateLimitedError(keyId, admission.reason, admission.retryAfterMs);
    }
    cooldowns = admission.cooldowns;
    cooldownsAt = performance.now();
    for (const hotkey of cooldowns.keys()) troubled.add(hotkey);
    views.noteVersion(admission.minerViewVersion);
    return admission.ticket;
  };

  const condense = async (request: IncomingMessage) => {
    const key = await authenticate(request.headers.authorization, credential);
    if (!key.scopes.includes('condense')) {
      throw new GatewayError('GATEWAY_FORBIDDEN', 'This API key may not condense.', {
        details: `key ${key.id} has scopes ${key.scopes.join(', ')}`,
      });
    }
    let ticket: AdmissionTicket | undefined;
    let admitted = false;
    try {
      const view = views.view;
      if (!view) {
        throw new GatewayError('GATEWAY_NO_MINER_VIEW', 'The gateway has no miner view yet.', {
          details: 'the validator has not published its miners to this gateway store',
        });
      }
      const body = await readJsonBody(request, maxBodyBytes);
      const resolved = resolveCondenseRequest(body, view.tiers, view.defaultModels);
      ticket = await admit(key.id, resolved.tier.maxCondensedTokens);
      admitted = true;
      const scored = deps.organic?.sample(resolved.model) ?? false;
      const routed = await routeCondense({
        dendrite: deps.dendrite,
        request: resolved.request,
        tier: resolved.tier,
        model: resolved.model,
        candidates: rankCandidates({
          miners: (views.view ?? view).miners.filter((m) => m.tier === resolved.tier.name),
          model: resolved.model,
          inFlight: (uid) => inFlight.get(uid) ?? 0,
          maxInFlight,
          coolingDown,
          format: resolved.request.format,
        }),
        geometry: view.geometries[resolved.model],
        hold,
        logger,
        onFailure: (failure) => {
          minerFailed(failure);
          if (scored) deps.organic?.failed(failure.miner, resolved.tier, failure.latencyMs);
        },
      });
      if (troubled.delete(routed.miner.hotkey)) {
        store
          .recordMinerOutcome(routed.miner.hotkey, { ok: true })
          .catch((error: unknown) => logger.warn({ err: error }, 'gateway: miner outcome lost'));
      }
      if (scored) {
        deps.organic?.succeeded({
          miner: routed.miner,
          tier: resolved.tier,
          model: resolved.model,
          context: resolved.request.context,
          payload: routed.payload,
          latencyMs: routed.latencyMs,
        });
      }
      meter(key.id, ticket, 200, routed.payload.original_tokens, routed.payload.condensed_tokens);
      return {
        payload: routed.payload,
        miner_uid: routed.miner.uid,
        latency_ms: Math.round(routed.latencyMs * 1000) / 1000,
      };
    } catch (error) {
      // Refused or failed requests are metered too; a store outage before admission is not.
      const status = statusOf(error);
      if (admitted || !(error instanceof GatewayStoreError)) meter(key.id, ticket, status);
      throw error;
    }
  };

  const minersTable = () => {
    const view = views.view;
    if (!view) return {};
    return Object.fromEntries(
      view.tiers.map((tier) => [
        tier.name,
        view.miners
          .filter((miner) => miner.tier === tier.name)
          .map((miner) => ({
            uid: miner.uid,
            hotkey: miner.hotkey,
            score: miner.score,
            weight: miner.weight,
            latency_ms: miner.latencyMs,
            cooling_down: coolingDown(miner.hotkey),
          })),
      ]),
    );
  };

  const health = () => {
    const view = views.view;
    const up = store.available || failOpen;
    return {
      status: up ? 200 : 503,
      body: {
        status: store.available ? 'ok' : up ? 'degraded' : 'unavailable',
        store: store.available ? 'up' : 'down',
        uptime_s: Math.round((Date.now() - started) / 1000),
        miners: view?.miners.length ?? 0,
        block: view?.block ?? null,
      },
    };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0];
    let status = 200;
    try {
      if (path === '/v1/health' && request.method === 'GET') {
        const { status: code, body } = health();
        status = code;
        sendJson(response, code, body);
      } else if (path === '/v1/miners' && request.method === 'GET') {
        sendJson(response, 200, { tiers: minersTable() });
      } else if (path === '/v1/condense' && request.method === 'POST') {
        sendJson(response, 200, await condense(request));
      } else {
        throw new GatewayError('GATEWAY_NOT_FOUND', `No route for ${request.method} ${path}.`);
      }
    } catch (error) {
      status = statusOf(error);
      // node:http has answered (408) and closed the connection, or the client has gone.
      if (request.socket.destroyed) return;
      if (error instanceof RateLimitedError) {
        sendJson(response, 429, errorBody(error), {
          'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))),
        });
      } else if (error instanceof InvalidApiKeyError) {
        logger.debug({ reason: error.reason }, 'gateway: refused API key');
        sendJson(response, 401, errorBody(error), { 'www-authenticate': 'Bearer' });
      } else if (error instanceof GatewayStoreError && status === 503) {
        sendJson(response, 503, errorBody(error), { 'retry-after': '1' });
      } else if (error instanceof GatewayError) {
        sendJson(response, status, errorBody(error, error.field));
      } else {
        logger.error({ err: error }, 'gateway: unexpected error');
        sendJson(response, 500, errorBody(undefined));
      }
    } finally {
      metrics.requests.inc({ status: String(status) });
    }
  };

  const server = createServer(timeouts, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'gateway: response failed');
      response.destroy();
    });
  });
  // Idle keep-alive sockets outlive a load balancer's (typically 60 s), so the gateway never
  // closes one that a client or balancer is about to reuse. node:http counts the header
  // timeout from a request's first byte, not over the idle time between requests, so it need
  // not exceed the keep-alive time.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settings.port ?? 0, settings.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    views.close();
    settlements.close();
    unsubscribe();
    throw error;
  }
  return {
    port: (server.address() as AddressInfo).port,
    refreshView: () => views.refresh(),
    flushUsage: () => settlements.flush(),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      views.close();
      await settlements.flush();
      settlements.close();
      unsubscribe();
    },
  };
}

function statusOf(error: unknown): number {
  if (
    error instanceof GatewayError ||
    error instanceof RateLimitedError ||
    error instanceof InvalidApiKeyError ||
    error instanceof GatewayStoreError
  ) {
    return error.status;
  }
  return 500;
}
