import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { LocalChain } from '@signal/chain';
import { Dendrite, loadTiers, sr25519Ready, type TierConfig } from '@signal/core';
import { buildTestAdapter } from '@signal/lora';
import {
  type MinerConfigInput,
  parseMinerConfig,
  type RunningMiner,
  startMiner,
} from '@signal/miner';
import { buildModel } from '@signal/runtime';
import pino from 'pino';

export const NETUID = 7;
const TAO = 1_000_000_000n;

/**
 * A test tier per condenser setting, with a 400-character context cap, each on the built
 * models that can run its method (the miner refuses to start otherwise): snapkv needs the
 * query outputs only `tiny` has, soft tokens the embedder only `tiny-soft` has.
 */
export function testTiers(): readonly TierConfig[] {
  const all = ['tiny', 'tiny-lora', 'tiny-soft'];
  const tier = (name: string, incentive: number, supportingModels = all) => ({
    name,
    maxContextChars: 400,
    incentive,
    supportingModels,
    timeoutSeconds: 20,
    requestsPerEpoch: 64,
    minCondensedTokens: 1,
    maxCondensedTokens: 512,
    minCompressionRate: 0.05,
    maxCompressionRate: 1,
    alpha: 0.1,
    maxPayloadBytes: 8 * 1024 * 1024,
  });
  return loadTiers([
    tier('kv_full', 1),
    tier('kv_snap', 0, ['tiny', 'tiny-lora']),
    tier('kv_knorm', 0),
    tier('kv_stream', 0),
    tier('kv_random', 0),
    tier('kv_expected', 0),
    tier('kv_int8', 0),
    tier('kv_int4', 0),
    tier('kv_zip', 0),
    tier('kv_diff_windowed', 0),
    tier('text', 0),
    tier('soft', 0, ['tiny-soft']),
  ]);
}

export interface MinerFixture {
  readonly root: string;
  readonly chain: LocalChain;
  readonly tiers: readonly TierConfig[];
  readonly modelDir: string;
  readonly validator: KeyringPair;
  readonly minerKey: KeyringPair;
  readonly outsider: KeyringPair;
  readonly direct: KeyringPair;
  readonly miner: RunningMiner;
  readonly dendrite: Dendrite;
  readonly axon: { ip: string; port: number; hotkey: string };
  close(): Promise<void>;
}

/**
 * A LocalChain with a staked validator and a registered miner, tiny built models (one with
 * query outputs, one taking inputs_embeds, one with a LoRA adapter), and a miner serving them.
 */
export async function startFixture(): Promise<MinerFixture> {
  await sr25519Ready();
  const root = await mkdtemp(join(tmpdir(), 'signal-miner-'));
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const validator = keyring.addFromUri('//Alice');
  const minerKey = keyring.addFromUri('//Bob');
  const outsider = keyring.addFromUri('//Eve');
  const direct = keyring.addFromUri('//Ferdie');
  const [tiny, soft] = await Promise.all([
    buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 7,
      outDir: join(root, 'tiny'),
      exposeQueries: true,
    }),
    buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 7,
      outDir: join(root, 'soft'),
      inputsEmbeds: true,
    }),
  ]);
  const adapter = await buildTestAdapter(tiny.dir, {
    outDir: join(root, 'adapters', 'test-adapter'),
    seed: 3,
    config: { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj'] },
    amplitude: 0.3,
  });
  const chain = await LocalChain.open({ blockTimeMs: 0 });
  await chain.createSubnet(NETUID, { tempo: 100 });
  await chain.register({
    netuid: NETUID,
    hotkey: validator.address,
    coldkey: validator.address,
    stake: 1000n * TAO,
  });
  await chain.register({ netuid: NETUID, hotkey: minerKey.address, coldkey: minerKey.address });
  const input: MinerConfigInput = {
    models: {
      tiny: { base_model_dir: tiny.dir },
      'tiny-lora': { base_model_dir: tiny.dir, adapter: { dir: adapter.dir } },
      'tiny-soft': { base_model_dir: soft.dir },
    },
    tiers: {
      kv_full: { method: 'knorm', ratio: 0 },
      kv_snap: { method: 'snapkv', ratio: 0.25, window: 8 },
      kv_knorm: { method: 'knorm', ratio: 0.5 },
      kv_stream: { method: 'streaming_llm', ratio: 0.75 },
      kv_random: { method: 'random', ratio: 0.5 },
      kv_expected: { method: 'expected_attention', ratio: 0.5 },
      kv_int8: { method: 'knorm', ratio: 0, kv_format: 'int8' },
      kv_int4: { method: 'knorm', ratio: 0, kv_format: 'int4', prefill_chunk: 16 },
      kv_zip: { method: 'kvzip', ratio: 0.5, chunk_tokens: 32 },
      kv_diff_windowed: { method: 'keydiff', ratio: 0.75, prefill_window: 40 },
      text: { method: 'text', ratio: 0.5 },
      soft: { method: 'soft', ratio: 0.5 },
    },
    limits: {
      max_concurrency: 2,
      allowlist: [direct.address],
      allowlist_requests_per_epoch: 1,
      max_new_tokens: 32,
    },
    payload_dtype: 'float32',
  };
  const tiers = testTiers();
  const miner = await startMiner({
    config: parseMinerConfig(input),
    chain,
    netuid: NETUID,
    hotkey: minerKey,
    tiers,
    logger: pino({ level: 'silent' }),
    metrics: { port: 0 },
  });
  const dendrite = new Dendrite({ signer: validator });
  return {
    root,
    chain,
    tiers,
    modelDir: tiny.dir,
    validator,
    minerKey,
    outsider,
    direct,
    miner,
    dendrite,
    axon: { ip: '127.0.0.1', port: miner.port, hotkey: minerKey.address },
    async close() {
      await dendrite.close();
      await miner.close();
      await chain.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
