import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Keyring } from '@polkadot/keyring';
import { type ChainClient, LocalChain } from '@signal/chain';
import { Condense, Dendrite, Metadata, sr25519Ready } from '@signal/core';
import { parseMinerConfig, type RunningMiner, startMiner } from '@signal/miner';
import { buildModel } from '@signal/runtime';
import pino from 'pino';
import { testTiers } from './fixture';

const NETUID = 2;
const TAO = 1_000_000_000n;

/** A ChainClient that counts metagraph reads, to watch the refresh loop. */
function counting(chain: LocalChain): { client: ChainClient; reads: () => number } {
  let reads = 0;
  const client = new Proxy(chain, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === 'metagraph') {
        return (...args: Parameters<LocalChain['metagraph']>) => {
          reads++;
          return target.metagraph(...args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { client, reads: () => reads };
}

function logLines(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('miner policy against the chain', () => {
  let chain: LocalChain;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  let config: ReturnType<typeof parseMinerConfig>;
  let root: string;

  beforeAll(async () => {
    await sr25519Ready();
    chain = await LocalChain.open({ blockTimeMs: 0 });
    await chain.createSubnet(NETUID);
    root = await mkdtemp(join(tmpdir(), 'signal-miner-policy-'));
    // The miner reads every model directory at start (sessions open lazily, on a first request).
    const tiny = await buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 1,
      outDir: join(root, 'tiny'),
    });
    config = parseMinerConfig({
      models: { tiny: { base_model_dir: tiny.dir } },
      tiers: { kv_knorm: { method: 'knorm', ratio: 0.5 } },
      limits: { min_validator_stake: '100' },
      metagraph_refresh_seconds: 0.05,
    });
  });

  afterAll(async () => {
    await chain.close();
    await rm(root, { recursive: true, force: true });
  });

  it('refuses to start with an unregistered hotkey', async () => {
    await expect(
      startMiner({
        config,
        chain,
        netuid: NETUID,
        hotkey: keyring.addFromUri('//Nobody'),
        tiers: testTiers(),
        logger: pino({ level: 'silent' }),
        metrics: false,
      }),
    ).rejects.toMatchObject({ code: 'MINER_NOT_REGISTERED' });
  });

  it('answers Metadata to any registered validator, work only above the stake minimum, and follows the metagraph', async () => {
    const minerKey = keyring.addFromUri('//Charlie');
    const small = keyring.addFromUri('//Dave');
    const late = keyring.addFromUri('//Ferdie');
    await chain.register({ netuid: NETUID, hotkey: minerKey.address, coldkey: minerKey.address });
    await chain.register({
      netuid: NETUID,
      hotkey: small.address,
      coldkey: small.address,
      stake: 5n * TAO,
    });
    const { client, reads } = counting(chain);
    const first = logLines();
    const options = {
      config,
      chain: client,
      netuid: NETUID,
      hotkey: minerKey,
      tiers: testTiers(),
      metrics: false as const,
    };
    let miner: RunningMiner = await startMiner({ ...options, logger: first.logger });
    const dendrite = new Dendrite({ signer: small });
    const lateDendrite = new Dendrite({ signer: late });
    try {
      const axon = () => ({ ip: '127.0.0.1', port: miner.port, hotkey: minerKey.address });
      const metadata = await dendrite.call(axon(), Metadata, Metadata.schema.parse({}));
      expect(metadata.status).toBe(200);
      const work = await dendrite.call(
        axon(),
        Condense,
        Condense.schema.parse({ context: 'hello', target_model: 'tiny', tier: 'kv_knorm' }),
      );
      expect(work.status).toBe(403);
      expect(work.message).toMatch(/stake below/);

      expect((await lateDendrite.call(axon(), Metadata, Metadata.schema.parse({}))).status).toBe(
        403,
      );
      await chain.register({
        netuid: NETUID,
        hotkey: late.address,
        coldkey: late.address,
        stake: 500n * TAO,
      });
      await miner.refreshMetagraph();
      expect((await lateDendrite.call(axon(), Metadata, Metadata.schema.parse({}))).status).toBe(
        200,
      );

      // The refresh loop runs while the miner serves and stops with it.
      const before = reads();
      await sleep(200);
      expect(reads()).toBeGreaterThan(before);
      const port = miner.port;
      await miner.close();
      const stopped = reads();
      await sleep(200);
      expect(reads()).toBe(stopped);
      expect(first.lines.find((line) => line.msg === 'miner serving')?.served).toBe('submitted');

      // Restarting on the same address leaves the chain alone.
      const second = logLines();
      miner = await startMiner({ ...options, axon: { port }, logger: second.logger });
      expect(second.lines.find((line) => line.msg === 'miner serving')?.served).toBe('unchanged');
    } finally {
      await dendrite.close();
      await lateDendrite.close();
      await miner.close();
    }
  });
});
