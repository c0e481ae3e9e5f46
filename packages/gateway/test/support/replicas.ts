import { randomBytes } from 'node:crypto';
import { Dendrite, loadTiers, type TierConfig } from '@signal/core';
import {
  GatewayMetrics,
  type GatewayStore,
  type MinerEntry,
  type MinerView,
  RedisGatewayStore,
  type RunningGateway,
  startGateway,
} from '@signal/gateway';
import { pino } from 'pino';
import { devKey } from './stubMiner';

export const MODEL = 'stub/model';
export const silent = pino({ level: 'silent' });

export const TIERS: readonly TierConfig[] = loadTiers([
  {
    name: 'research',
    maxContextChars: 2_000,
    incentive: 1,
    supportingModels: [MODEL],
    timeoutSeconds: 5,
    requestsPerEpoch: 4,
    minCondensedTokens: 1,
    maxCondensedTokens: 64,
    minCompressionRate: 0.01,
    maxCompressionRate: 1,
    alpha: 0.1,
    maxPayloadBytes: 64 * 1024,
  },
]);

export function viewOf(miners: readonly MinerEntry[], block = 1): MinerView {
  return {
    schemaVersion: 1,
    netuid: 7,
    block,
    publishedAt: Date.now(),
    validatorHotkey: 'validator',
    tiers: [...TIERS],
    defaultModels: { research: MODEL },
    geometries: {},
    miners: [...miners],
  };
}

export interface Replica {
  readonly gateway: RunningGateway;
  readonly store: GatewayStore;
  readonly metrics: GatewayMetrics;
  url(path: string): string;
  close(): Promise<void>;
}

/** A namespace of its own on a shared Redis, so tests never see each other's keys. */
export function namespace(): string {
  return `test:${randomBytes(6).toString('hex')}`;
}

export function openRedisStore(url: string, ns: string, wait = true): Promise<RedisGatewayStore> {
  return RedisGatewayStore.open({ url, namespace: ns, waitForConnection: wait });
}

/** One gateway replica on its own store connection and dendrite, signing as the validator. */
export async function startReplica(
  store: GatewayStore,
  settings: { failOpen?: boolean; maxInFlightPerMiner?: number } = {},
): Promise<Replica> {
  const dendrite = new Dendrite({ signer: await devKey('//validator') });
  const metrics = new GatewayMetrics();
  const gateway = await startGateway(
    { store, dendrite, logger: silent, metrics },
    { maxInFlightPerMiner: 256, ...settings },
  );
  return {
    gateway,
    store,
    metrics,
    url: (path) => `http://127.0.0.1:${gateway.port}${path}`,
    close: async () => {
      await gateway.close();
      await store.close();
      await dendrite.close();
    },
  };
}

export const CONTEXT =
  'The harbour master counted forty ships at dawn. By noon the fog had lifted and the pier was busy.';

export function condense(replica: Replica, key: string, body: unknown = { context: CONTEXT }) {
  return fetch(replica.url('/v1/condense'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}

/** Resolves when `store.available` becomes `wanted` (at once if it already is). */
export function untilAvailability(store: GatewayStore, wanted: boolean): Promise<void> {
  if (store.available === wanted) return Promise.resolve();
  return new Promise((resolve) => {
    const off = store.onAvailability((available) => {
      if (available === wanted) {
        off();
        resolve();
      }
    });
  });
}
