import type { KeyringPair } from '@polkadot/keyring/types';
import { LocalChain } from '@signal/chain';
import type { TierConfig } from '@signal/core';
import {
  type MinerConfigInput,
  parseMinerConfig,
  type RunningMiner,
  startMiner,
} from '@signal/miner';
import { pino } from 'pino';
import { devKey } from './keys';
import { MODEL_NAME } from './tinyModel';

export const NETUID = 7;
export const silent = pino({ level: 'silent' });

/** A LocalChain with one subnet and a staked validator hotkey (so it holds a permit). */
export async function localSubnet(): Promise<{ chain: LocalChain; validator: KeyringPair }> {
  const chain = await LocalChain.open({ blockTimeMs: 0 });
  await chain.createSubnet(NETUID, { weightsRateLimit: 2, tempo: 1000 });
  const validator = await devKey('//validator');
  await chain.register({
    netuid: NETUID,
    hotkey: validator.address,
    coldkey: validator.address,
    stake: 1_000_000_000_000n,
  });
  return { chain, validator };
}

/** Registers a hotkey and starts a real miner (`@signal/miner`) running one condenser. */
export async function startHonestMiner(options: {
  chain: LocalChain;
  keyPath: string;
  modelDir: string;
  tiers: readonly TierConfig[];
  /** A tier method as a config file writes it (defaults may be left out). */
  method: MinerConfigInput['tiers'][string];
}): Promise<RunningMiner & { uid: number }> {
  const hotkey = await devKey(options.keyPath);
  const uid = await options.chain.register({
    netuid: NETUID,
    hotkey: hotkey.address,
    coldkey: hotkey.address,
  });
  const config = parseMinerConfig({
    models: { [MODEL_NAME]: { base_model_dir: options.modelDir } },
    tiers: { [options.tiers[0]!.name]: options.method },
    metrics_port: 0,
    limits: { max_concurrency: 2, model_memory_mb: 256 },
  });
  const miner = await startMiner({
    config,
    chain: options.chain,
    netuid: NETUID,
    hotkey,
    tiers: options.tiers,
    logger: silent,
    metrics: false,
    shutdownGraceMs: 0,
  });
  return Object.assign(miner, { uid });
}
