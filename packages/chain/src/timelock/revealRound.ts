import { epochIndex, firstBlockOfEpoch } from '../epochs/epochSchedule';
import { type BeaconInfo, QUICKNET } from './quicknet';

export interface RevealRoundParameters {
  tempo: number;
  currentBlock: number;
  /** The subnet's storage index (the netuid itself for mechanism 0). */
  netuid: number;
  /** `RevealPeriodEpochs`: how many epochs after the commit's the weights are revealed in. */
  revealPeriodEpochs: number;
  /** Seconds per block (12 on finney). */
  blockTimeSeconds: number;
  /** The time of `currentBlock`, Unix seconds (fractions allowed). */
  nowSeconds: number;
  /** The beacon whose rounds count (default quicknet). */
  beacon?: Pick<BeaconInfo, 'genesisTime' | 'periodSeconds'>;
}

/**
 * Blocks past the reveal epoch's first block at which the round must be out. The chain
 * ingests a round a few seconds after drand publishes it; aiming three blocks in leaves
 * the whole rest of the reveal epoch for the reveal.
 */
export const REVEAL_SECURITY_BLOCKS = 3;

/**
 * The drand round a commit made now is locked to, as bittensor-drand's `generate_commit`
 * computes it: the first block of the reveal epoch (`epoch(now) + RevealPeriodEpochs`) plus
 * three, turned into a time at `blockTimeSeconds` per block from now, turned into the last
 * round published by then (rounded down, so the chain has it when the reveal epoch runs).
 */
export function computeRevealRound(parameters: RevealRoundParameters): number {
  const { tempo, currentBlock, netuid, revealPeriodEpochs, blockTimeSeconds, nowSeconds } =
    parameters;
  const beacon = parameters.beacon ?? QUICKNET;
  const revealEpoch = epochIndex(netuid, tempo, currentBlock) + revealPeriodEpochs;
  const targetBlock = firstBlockOfEpoch(netuid, tempo, revealEpoch) + REVEAL_SECURITY_BLOCKS;
  const secondsUntil = Math.max(0, targetBlock - currentBlock) * blockTimeSeconds;
  const round = Math.floor((nowSeconds + secondsUntil - beacon.genesisTime) / beacon.periodSeconds);
  return Math.max(1, round);
}
