import { hexToU8a, u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import { isSignalError } from '@signal/core';
import type { Hyperparameters } from '../ChainClient';
import { epochIndex } from '../epochs/epochSchedule';
import { LocalBeacon } from '../timelock/LocalBeacon';
import { decryptWeightsCommit } from '../timelock/weightsCommit';
import { checkWeights } from '../weights/checkSetWeights';
import { TIMELOCK_COMMIT_VERSION } from '../weights/checkWeightsCommit';
import type {
  LocalChainState,
  LocalCommitReveal,
  LocalRevealEvent,
  LocalSubnet,
} from './LocalChainState';

/** quicknet's round period, which the local beacon keeps too. */
const BEACON_PERIOD_SECONDS = 3;
/** How many reveal events a subnet keeps. */
const REVEAL_LOG_LENGTH = 64;

/** A fresh clock and beacon, with genesis now (Unix seconds). */
export function newCommitReveal(blockSeconds: number): LocalCommitReveal {
  const genesisTime = Math.floor(Date.now() / 1000);
  return {
    version: TIMELOCK_COMMIT_VERSION,
    genesisTime,
    blockSeconds,
    beaconSecretKeyHex: LocalBeacon.generate(genesisTime, BEACON_PERIOD_SECONDS).secretKeyHex,
    beaconPeriodSeconds: BEACON_PERIOD_SECONDS,
  };
}

export function beaconOf(cr: LocalCommitReveal): LocalBeacon {
  return LocalBeacon.fromSecretKey(cr.beaconSecretKeyHex, cr.genesisTime, cr.beaconPeriodSeconds);
}

/** Unix seconds of `block` on the chain's own clock. */
export function chainTimeOf(cr: LocalCommitReveal, block: number): number {
  return cr.genesisTime + block * cr.blockSeconds;
}

/** The newest beacon round the chain holds at `block`: every round published by its time. */
export function lastStoredRoundAt(cr: LocalCommitReveal, block: number): number {
  return beaconOf(cr).roundAt(chainTimeOf(cr, block));
}

function logReveal(subnet: LocalSubnet, event: LocalRevealEvent): void {
  subnet.reveals.push(event);
  if (subnet.reveals.length > REVEAL_LOG_LENGTH)
    subnet.reveals.splice(0, subnet.reveals.length - REVEAL_LOG_LENGTH);
}

/**
 * What the pallet does for a subnet at every block: commits filed before the reveal epoch
 * (`current epoch − RevealPeriodEpochs`) have expired and go; those filed in it are opened
 * with the beacon's signature of their round once the chain holds that pulse (until then
 * they wait, block after block), checked to carry the committer's own hotkey, and applied
 * with `set_weights`' rules minus the rate limit. A commit that fails is dropped.
 */
export function revealCommits(
  state: LocalChainState,
  subnet: LocalSubnet,
  hyperparameters: Hyperparameters,
): void {
  const cr = state.commitReveal;
  if (!cr || subnet.commits.length === 0) return;
  const { tempo, commitRevealPeriod } = subnet.hyperparameters;
  const block = state.block;
  const current = epochIndex(subnet.netuid, tempo, block);
  const revealEpoch = current - commitRevealPeriod;
  const stored = lastStoredRoundAt(cr, block);
  const beacon = beaconOf(cr);
  const waiting = [];
  for (const commit of subnet.commits) {
    const event = {
      hotkey: commit.hotkey,
      epoch: commit.epoch,
      revealRound: commit.revealRound,
      block,
    };
    if (commit.epoch < revealEpoch) {
      logReveal(subnet, {
        ...event,
        outcome: 'expired',
        reason: `round ${commit.revealRound} was not ingested during reveal epoch ${commit.epoch + commitRevealPeriod}`,
      });
      continue;
    }
    if (commit.epoch !== revealEpoch || commit.revealRound > stored) {
      waiting.push(commit);
      continue;
    }
    try {
      const payload = decryptWeightsCommit(
        hexToU8a(commit.commitHex),
        beacon.sign(commit.revealRound),
      );
      if (u8aToHex(payload.hotkey) !== u8aToHex(decodeAddress(commit.hotkey))) {
        throw new Error('the payload names another hotkey than the committer');
      }
      const caller = subnet.neurons.find((n) => n.hotkey === commit.hotkey);
      const emit = checkWeights(
        {
          hyperparameters,
          n: subnet.neurons.length,
          hotkey: commit.hotkey,
          callerUid: caller?.uid ?? null,
          hasValidatorPermit: caller?.validatorPermit ?? false,
          lastUpdate: caller?.lastUpdate ?? 0,
          currentBlock: block,
        },
        { uids: payload.uids, weights: payload.values, versionKey: payload.versionKey },
        'none',
      );
      caller!.weights = emit.uids.map((uid, i) => [uid, emit.weights[i]!]);
      logReveal(subnet, { ...event, outcome: 'revealed' });
    } catch (error) {
      const reason = isSignalError(error)
        ? `${error.code}: ${error.shortMessage}`
        : error instanceof Error
          ? error.message
          : String(error);
      logReveal(subnet, { ...event, outcome: 'dropped', reason });
    }
  }
  subnet.commits = waiting;
}
