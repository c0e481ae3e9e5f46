import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { LocalChain } from '@signal/chain';
import { FileGatewayStore } from '@signal/gateway';
import { loadScoreState, type RunningValidator, startValidator } from '@signal/validator';
import { type FakeMiner, startFakeMiner } from '../helpers/fakeMiner';
import { devKey } from '../helpers/keys';
import { localSubnet, NETUID, silent, startHonestMiner } from '../helpers/subnet';
import { testTiers } from '../helpers/testTiers';
import { MODEL_NAME, tinyModel } from '../helpers/tinyModel';
import { warmUp } from '../helpers/warmUp';

jest.setTimeout(60_000);

const tiers = testTiers({ timeoutSeconds: 3 });
let model: Awaited<ReturnType<typeof tinyModel>>;
let chain: LocalChain;
let validatorKey: KeyringPair;
let dir: string;
let validator: RunningValidator;
let broken: FakeMiner;
let honestUid: number;
let key: string;
let limitedKey: string;
const closers: Array<() => Promise<void>> = [];

const context =
  'The harbour master counted forty ships at dawn. By noon the fog had lifted and the pier was busy with traders.';

beforeAll(async () => {
  model = await tinyModel();
  ({ chain, validator: validatorKey } = await localSubnet());
  dir = await mkdtemp(join(tmpdir(), 'signal-gateway-'));
  // Registered first, so with no scores yet it is the first miner the gateway tries.
  broken = await startFakeMiner({
    chain,
    netuid: NETUID,
    hotkey: await devKey('//miner-broken'),
    tier: tiers[0]!.name,
    model: MODEL_NAME,
    behaviour: { kind: 'broken' },
  });
  closers.push(broken.close);
  const honest = await startHonestMiner({
    chain,
    keyPath: '//miner-honest',
    modelDir: model.dir,
    tiers,
    method: { method: 'knorm', ratio: 0.5 },
  });
  honestUid = honest.uid;
  closers.push(() => honest.close());
  await warmUp(validatorKey, [honestUid], chain, tiers[0]!.name);

  const keys = await FileGatewayStore.open(join(dir, 'gateway'), { role: 'admin' });
  key = (
    await keys.createKey({ name: 'app', limits: { requestsPerMinute: 100, tokensPerDay: null } })
  ).key;
  limitedKey = (
    await keys.createKey({ name: 'tight', limits: { requestsPerMinute: null, tokensPerDay: 1 } })
  ).key;
  await keys.close();

  validator = await startValidator({
    chain,
    netuid: NETUID,
    hotkey: validatorKey,
    tiers,
    models: { [MODEL_NAME]: model.dir },
    stateFile: join(dir, 'scores.json'),
    seed: 1,
    gateway: { store: { dir: join(dir, 'gateway') }, organicScoredFraction: 1 },
    metrics: false,
    logger: silent,
  });
});

afterAll(async () => {
  await validator?.close();
  for (const close of closers) await close();
  await chain?.close();
  await model?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

function url(path: string): string {
  return `http://127.0.0.1:${validator.gatewayPort}${path}`;
}

function condense(body: unknown, bearer: string | null = key): Promise<Response> {
  return fetch(url('/v1/condense'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

it('answers health', async () => {
  const response = await fetch(url('/v1/health'));
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ok', miners: 2 });
});

it('routes to a miner, failing over when the first one breaks', async () => {
  const response = await condense({ context, format: 'kv' });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    payload: { format: string; model: string; kept: number };
    miner_uid: number;
    latency_ms: number;
  };
  expect(body.miner_uid).toBe(honestUid);
  expect(body.payload).toMatchObject({ format: 'kv', model: MODEL_NAME });
  expect(body.latency_ms).toBeGreaterThan(0);
  expect(broken.requests()).toBe(1);
});

it('refuses a missing or unknown key with 401', async () => {
  const missing = await condense({ context }, null);
  expect(missing.status).toBe(401);
  expect(missing.headers.get('www-authenticate')).toBe('Bearer');
  const unknown = await condense({ context }, `sig_${'0'.repeat(12)}_${'A'.repeat(43)}`);
  expect(unknown.status).toBe(401);
  expect(await unknown.json()).toMatchObject({ error: { code: 'GATEWAY_KEY_INVALID' } });
});

it.each([
  ['a missing context', { tier: 'research' }, 'context'],
  ['an unknown field', { context, colour: 'red' }, 'colour'],
  ['an unknown tier', { context, tier: 'gold' }, 'tier'],
  ['a model the tier does not serve', { context, target_model: 'gpt' }, 'target_model'],
  ['a context too long for the tier', { context: 'x'.repeat(1000), tier: 'research' }, 'context'],
  ['a body that is not JSON', '{"context":', 'body'],
  // JSON can carry a lone surrogate; UTF-8, and so the synapse's body hash, cannot.
  ['a context holding a lone surrogate', `{"context":"fine text \\ud800 here"}`, 'context'],
])('refuses %s with 400 naming the field', async (_name, body, field) => {
  const response = await condense(body);
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ error: { code: 'GATEWAY_BAD_REQUEST', field } });
});

it('answers 429 with Retry-After once a key is over its limit', async () => {
  // A budget smaller than one request of the tier can hold: refused until the next UTC day.
  const limited = await condense({ context }, limitedKey);
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await limited.json()).toMatchObject({ error: { code: 'GATEWAY_RATE_LIMITED' } });
});

it('lists the tier table of miners', async () => {
  const response = await fetch(url('/v1/miners'));
  const body = (await response.json()) as { tiers: Record<string, Array<{ uid: number }>> };
  expect(body.tiers.research!.map((m) => m.uid).sort()).toEqual([broken.uid, honestUid].sort());
});

it('scores organic responses into the persisted state', async () => {
  await validator.close();
  const state = await loadScoreState(join(dir, 'scores.json'));
  const entry = state.miners.find((m) => m.uid === honestUid);
  expect(entry?.observations).toBe(1);
  expect(entry?.score).toBeGreaterThan(0);
  // The miner that broke on the same request was scored too: a zero.
  expect(state.miners.find((m) => m.uid === broken.uid)).toMatchObject({
    observations: 1,
    zeroScores: 1,
    score: 0,
  });
});
