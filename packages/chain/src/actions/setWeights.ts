import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { bool, u16, u64, Vec } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, decodeAddress } from '@polkadot/util-crypto';
import type { SetWeightsParameters, SetWeightsResult } from '../ChainClient';
import { commitEpochOf } from '../epochs/epochSchedule';
import { ChainRequestError } from '../errors/ChainErrors';
import { queryStorage } from '../subtensor/queryStorage';
import { resolveBlock } from '../subtensor/resolveBlock';
import type { SubtensorContext } from '../subtensor/SubtensorContext';
import { type LandedCheck, submitExtrinsic } from '../subtensor/submitExtrinsic';
import { subtensorTx } from '../subtensor/subtensorTx';
import { computeRevealRound } from '../timelock/revealRound';
import { encryptWeightsCommit } from '../timelock/weightsCommit';
import {
  checkSetWeights,
  type EmitWeights,
  type SetWeightsContext,
} from '../weights/checkSetWeights';
import { checkWeightsCommit } from '../weights/checkWeightsCommit';
import { commitRevealStateAt, getCommitRevealState } from './getCommitRevealState';
import { getHyperparameters } from './getHyperparameters';
import { getUidOf } from './getRegistration';
import { getWeightsOf } from './getWeightsOf';

/** `SubtensorModule.set_weights(netuid, dests, weights, version_key)` with already-emitted u16 values. */
export function buildSetWeightsExtrinsic(
  context: SubtensorContext,
  netuid: number,
  emit: EmitWeights,
  versionKey: bigint | number,
): SubmittableExtrinsic<'promise'> {
  return subtensorTx(context, 'setWeights', [netuid, emit.uids, emit.weights, BigInt(versionKey)]);
}

/** Which timelocked commit call the runtime has: mechanisms (current) or the plain one. */
export type TimelockedCommitCall =
  | 'commit_timelocked_mechanism_weights'
  | 'commit_timelocked_weights';

/** Reads from the metadata which timelocked commit call exists, preferring the mechanism one. */
export function timelockedCommitCall(context: SubtensorContext): TimelockedCommitCall {
  const calls = (context.api.tx as unknown as Record<string, Record<string, unknown>>)
    .subtensorModule;
  if (calls?.commitTimelockedMechanismWeights) return 'commit_timelocked_mechanism_weights';
  if (calls?.commitTimelockedWeights) return 'commit_timelocked_weights';
  throw new ChainRequestError('subtensorModule.commit_timelocked_weights', {
    details:
      'The runtime has neither commit_timelocked_mechanism_weights nor commit_timelocked_weights.',
  });
}

/**
 * `commit_timelocked_mechanism_weights(netuid, mecid = 0, commit, reveal_round,
 * commit_reveal_version)`, or `commit_timelocked_weights(netuid, commit, reveal_round,
 * commit_reveal_version)` on a runtime without mechanisms.
 */
export function buildWeightsCommitExtrinsic(
  context: SubtensorContext,
  netuid: number,
  commit: Uint8Array,
  revealRound: number,
  version: number,
): SubmittableExtrinsic<'promise'> {
  const bytes = u8aToHex(commit);
  return timelockedCommitCall(context) === 'commit_timelocked_mechanism_weights'
    ? subtensorTx(context, 'commitTimelockedMechanismWeights', [
        netuid,
        0,
        bytes,
        revealRound,
        version,
      ])
    : subtensorTx(context, 'commitTimelockedWeights', [netuid, bytes, revealRound, version]);
}

/** The non-zero [uid, weight] pairs of a weight row, in uid order, as a comparable string. */
function nonZeroRow(pairs: ReadonlyArray<readonly [number, number]>): string {
  return JSON.stringify(pairs.filter(([, weight]) => weight > 0).sort(([a], [b]) => a - b));
}

/**
 * Whether `set_weights` landed after its outcome was lost: the signer's `LastUpdate` moved
 * past the one read before sending and its row in `Weights` is the one sent. The block is
 * that `LastUpdate`.
 */
function setWeightsLanded(
  netuid: number,
  hotkey: string,
  lastUpdateBefore: number,
  emit: EmitWeights,
): LandedCheck {
  const sent = nonZeroRow(emit.uids.map((uid, i) => [uid, emit.weights[i]!] as const));
  return async (context) => {
    const head = await resolveBlock(context);
    const uid = await getUidOf(context, netuid, hotkey, head.hash);
    if (uid === null) return null;
    const lastUpdates = (await queryStorage(
      context,
      'subtensorModule',
      'lastUpdate',
      [netuid],
      head.hash,
    )) as Vec<u64>;
    const lastUpdate = lastUpdates[uid]?.toNumber() ?? 0;
    if (lastUpdate <= lastUpdateBefore) return null;
    const row = await getWeightsOf(context, netuid, uid, head.hash);
    return nonZeroRow(row) === sent ? lastUpdate : null;
  };
}

/** Whether a timelocked commit landed after its outcome was lost: the chain holds it. */
function commitLanded(
  netuid: number,
  hotkey: string,
  commitHash: string,
  blockTimeSeconds: number,
): LandedCheck {
  return async (context) => {
    const state = await getCommitRevealState(context, netuid, blockTimeSeconds);
    const held = state.commits.find((c) => c.hotkey === hotkey && c.commitHash === commitHash);
    return held ? held.block : null;
  };
}

export interface SetWeightsOptions {
  inclusionTimeoutMs: number;
  /** Seconds per block for the reveal-round formula (12 on finney). */
  blockTimeSeconds: number;
}

/**
 * Sets the signer's weights on a subnet, taking the path the chain asks for: `set_weights`
 * when commit-reveal is off, a commit timelocked to a drand quicknet round when it is on
 * (the chain reveals it itself in the reveal epoch). The runtime's admission rules run
 * first against live state read at one block (rate limit, min/max weights, version key,
 * commit-reveal version, unrevealed commits), so a doomed call is refused with a typed
 * error naming the pallet's error before it costs a fee; then it waits for inclusion.
 * When the websocket drops after sending, the chain is checked for these weights (or this
 * commit) before anything is sent again (see submitExtrinsic), so one call never lands twice.
 */
export async function setWeights(
  context: SubtensorContext,
  parameters: SetWeightsParameters,
  options: SetWeightsOptions,
): Promise<SetWeightsResult> {
  const { netuid, signer } = parameters;
  const head = await resolveBlock(context);
  const [hyperparameters, callerUid, n, lastUpdates, permits] = await Promise.all([
    getHyperparameters(context, netuid, head.hash),
    getUidOf(context, netuid, signer.address, head.hash),
    queryStorage(context, 'subtensorModule', 'subnetworkN', [netuid], head.hash) as Promise<u16>,
    queryStorage(context, 'subtensorModule', 'lastUpdate', [netuid], head.hash) as Promise<
      Vec<u64>
    >,
    queryStorage(context, 'subtensorModule', 'validatorPermit', [netuid], head.hash) as Promise<
      Vec<bool>
    >,
  ]);
  const checks: SetWeightsContext = {
    hyperparameters,
    n: n.toNumber(),
    hotkey: signer.address,
    callerUid,
    hasValidatorPermit: callerUid === null ? false : (permits[callerUid]?.isTrue ?? false),
    lastUpdate: callerUid === null ? 0 : (lastUpdates[callerUid]?.toNumber() ?? 0),
    currentBlock: head.number,
  };
  if (!hyperparameters.commitRevealWeightsEnabled) {
    const emit = checkSetWeights(checks, parameters);
    const extrinsic = buildSetWeightsExtrinsic(context, netuid, emit, parameters.versionKey);
    const inclusion = await submitExtrinsic(
      context,
      extrinsic,
      signer,
      options.inclusionTimeoutMs,
      setWeightsLanded(netuid, signer.address, checks.lastUpdate, emit),
    );
    return { path: 'set_weights', ...emit, block: inclusion.blockNumber };
  }
  const state = await commitRevealStateAt(context, head, hyperparameters, options.blockTimeSeconds);
  const emit = checkWeightsCommit(
    {
      ...checks,
      commitRevealVersion: state.version,
      unrevealedCommits: state.commits.filter(
        (c) => c.hotkey === signer.address && c.epoch === state.commitEpoch,
      ).length,
    },
    parameters,
  );
  const revealRound = computeRevealRound({
    tempo: state.tempo,
    currentBlock: head.number,
    netuid,
    revealPeriodEpochs: state.revealPeriodEpochs,
    blockTimeSeconds: state.blockTimeSeconds,
    nowSeconds: state.nowSeconds,
    beacon: state.beacon,
  });
  const commit = encryptWeightsCommit({
    hotkey: decodeAddress(signer.address),
    uids: emit.uids,
    values: emit.weights,
    versionKey: BigInt(parameters.versionKey),
    round: revealRound,
    beaconPublicKeyHex: state.beacon.publicKeyHex,
  });
  const extrinsic = buildWeightsCommitExtrinsic(
    context,
    netuid,
    commit,
    revealRound,
    state.version,
  );
  const commitHash = blake2AsHex(commit, 256);
  const inclusion = await submitExtrinsic(
    context,
    extrinsic,
    signer,
    options.inclusionTimeoutMs,
    commitLanded(netuid, signer.address, commitHash, options.blockTimeSeconds),
  );
  const epoch = commitEpochOf(netuid, state.tempo, inclusion.blockNumber);
  return {
    path: 'commit',
    ...emit,
    block: inclusion.blockNumber,
    commit: {
      epoch,
      revealEpoch: epoch + state.revealPeriodEpochs,
      revealRound,
      commitHash,
      version: state.version,
    },
  };
}
