import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Keyring } from '@polkadot/keyring';
import { LocalChain } from '@signal/chain';
import {
  Condense,
  type CondenseSynapse,
  Dendrite,
  Inference,
  loadTiers,
  Metadata,
  sr25519Ready,
} from '@signal/core';
import { parseMinerConfig, type RunningMiner, startMiner } from '@signal/miner';
import { buildModel, type HostStats } from '@signal/runtime';
import pino from 'pino';

/*
 * The miner keeps serving while its model worker is busy: Metadata answers during a long
 * condense, a full model queue is a 503 with Retry-After, a request whose client left is
 * dropped from the queue, and errors raised in the worker keep their codes.
 */
const NETUID = 3;
const CONTEXT = 'a quiet harbour town keeps its lanterns lit through the winter nights. '.repeat(
  36,
);

let root: string;
let chain: LocalChain;
let miner: RunningMiner;
let dendrite: Dendrite;
let axon: { ip: string; port: number; hotkey: string };

beforeAll(async () => {
  await sr25519Ready();
  root = await mkdtemp(join(tmpdir(), 'signal-serving-'));
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const validator = keyring.addFromUri('//Alice');
  const minerKey = keyring.addFromUri('//Bob');
  const [small, tiny] = await Promise.all([
    buildModel({ arch: 'llama', size: 'small', seed: 5, outDir: join(root, 'small') }),
    buildModel({ arch: 'llama', size: 'tiny', seed: 5, outDir: join(root, 'tiny') }),
  ]);
  chain = await LocalChain.open({ blockTimeMs: 0 });
  await chain.createSubnet(NETUID, { tempo: 100 });
  await chain.register({
    netuid: NETUID,
    hotkey: validator.address,
    coldkey: validator.address,
    stake: 1000n * 1_000_000_000n,
  });
  await chain.register({ netuid: NETUID, hotkey: minerKey.address, coldkey: minerKey.address });
  const tiers = loadTiers([
    {
      name: 'long',
      maxContextChars: 4000,
      incentive: 1,
      supportingModels: ['small', 'tiny'],
      timeoutSeconds: 60,
      requestsPerEpoch: 64,
      minCondensedTokens: 1,
      maxCondensedTokens: 4000,
      minCompressionRate: 0.05,
      maxCompressionRate: 1,
      alpha: 0.1,
      maxPayloadBytes: 64 * 1024 * 1024,
    },
  ]);
  miner = await startMiner({
    config: parseMinerConfig({
      models: { small: { base_model_dir: small.dir }, tiny: { base_model_dir: tiny.dir } },
      tiers: { long: { method: 'knorm', ratio: 0.5 } },
      limits: { max_concurrency: 8, queue_size: 1, max_new_tokens: 8 },
    }),
    chain,
    netuid: NETUID,
    hotkey: minerKey,
    tiers,
    logger: pino({ level: 'silent' }),
    metrics: false,
    runtime: { threads: 1, workers: 1 },
  });
  dendrite = new Dendrite({ signer: validator });
  axon = { ip: '127.0.0.1', port: miner.port, hotkey: minerKey.address };
}, 120_000);

afterAll(async () => {
  await dendrite?.close();
  await miner?.close();
  await chain?.close();
  await rm(root, { recursive: true, force: true });
});

function condense(targetModel = 'small', signal?: AbortSignal) {
  const synapse: CondenseSynapse = Condense.schema.parse({
    context: CONTEXT,
    target_model: targetModel,
    tier: 'long',
  });
  return dendrite.call(axon, Condense, synapse, { timeout: 60, ...(signal ? { signal } : {}) });
}

async function until(predicate: (stats: HostStats) => boolean): Promise<void> {
  while (!predicate(miner.modelHost())) await nextTurn();
}

describe('serving while the model worker is busy', () => {
  it('answers Metadata while a long condense runs, before the condense finishes', async () => {
    let condensed = false;
    const running = condense().then((result) => {
      condensed = true;
      return result;
    });
    await until((stats) => stats.busy === 1);
    const metadata = await dendrite.call(axon, Metadata, Metadata.schema.parse({}), {
      timeout: 10,
    });
    expect(metadata.status).toBe(200);
    expect(metadata.ok && metadata.synapse.models).toEqual(['small', 'tiny']);
    expect(condensed).toBe(false);
    expect((await running).status).toBe(200);
  });

  it('refuses work beyond the model queue with 503 and Retry-After', async () => {
    const results = await Promise.all([condense(), condense(), condense()]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 503]);
    const refused = results.find((r) => r.status === 503)!;
    expect(refused.message).toMatch(/HOST_QUEUE_FULL/);
    expect(refused.ok === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await until((stats) => stats.busy === 0 && stats.queued === 0);
  });

  it('drops a queued request whose client went away before it runs', async () => {
    const running = condense();
    await until((stats) => stats.busy === 1);
    const client = new AbortController();
    const waiting = condense('small', client.signal);
    await until((stats) => stats.queued === 1);
    client.abort();
    expect((await waiting).status).toBe(499);
    await until((stats) => stats.queued === 0);
    expect(miner.modelHost().busy).toBe(1);
    expect((await running).status).toBe(200);
  });

  it('passes a typed error from inside the worker on with its code, as before', async () => {
    const tiny = await condense('tiny');
    expect(tiny.status).toBe(200);
    const payload = tiny.ok ? tiny.synapse.condensed : null;
    // A tiny-model cache relabelled for the small model: only the worker can tell it does not fit.
    const relabelled = { ...payload!, model: 'small' };
    const result = await dendrite.call(
      axon,
      Inference,
      Inference.schema.parse({
        model: 'small',
        prompt: 'x',
        condensed: relabelled,
        max_new_tokens: 2,
      }),
      { timeout: 30 },
    );
    expect(result.status).toBe(422);
    expect(result.message).toMatch(/^KV_PAYLOAD_INVALID: /);
  });
});
