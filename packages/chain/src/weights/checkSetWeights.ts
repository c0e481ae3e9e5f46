import { convertWeightsAndUidsForEmit } from '@signal/core';
import type { Hyperparameters } from '../ChainClient';
import { NotRegisteredError } from '../errors/ChainErrors';
import { CommitRevealRequiredError, WeightsRejectedError } from '../errors/WeightsErrors';
import { U16_MAX } from '../metagraph/Metagraph';

/** What the chain knows about the subnet and the caller when weights arrive. */
export interface SetWeightsContext {
  hyperparameters: Hyperparameters;
  /** Number of uids on the subnet. */
  n: number;
  hotkey: string;
  /** The caller's uid, or null when the hotkey is not registered. */
  callerUid: number | null;
  /** Whether the caller's uid holds a validator permit. */
  hasValidatorPermit: boolean;
  /** Block of the caller's last weight update or commit (0 = never). */
  lastUpdate: number;
  currentBlock: number;
}

export interface SetWeightsRequest {
  uids: readonly number[];
  weights: readonly number[];
  versionKey: bigint | number;
}

export interface EmitWeights {
  uids: number[];
  weights: number[];
}

/**
 * Applies the subtensor pallet's `set_weights` admission rules to a request and returns the
 * u16 vector to emit. Subtensor runs it before submitting (so a doomed extrinsic never pays
 * fees) and LocalChain runs it as its runtime, so both refuse the same inputs the same way.
 */
export function checkSetWeights(
  context: SetWeightsContext,
  request: SetWeightsRequest,
): EmitWeights {
  if (context.hyperparameters.commitRevealWeightsEnabled) {
    throw new CommitRevealRequiredError(context.hyperparameters.netuid);
  }
  return checkWeights(context, request, 'SettingWeightsTooFast');
}

/**
 * The rules a weight vector must meet when the chain applies it: `set_weights`' checks,
 * with the rate limit of the call that carries it (`CommittingWeightsTooFast` for a commit),
 * or none for a reveal, which the pallet applies without one.
 */
export function checkWeights(
  context: SetWeightsContext,
  request: SetWeightsRequest,
  rateLimit: 'SettingWeightsTooFast' | 'CommittingWeightsTooFast' | 'none',
): EmitWeights {
  const { hyperparameters: hp } = context;
  if (request.uids.length !== request.weights.length) {
    throw new WeightsRejectedError(
      'WeightVecNotEqualSize',
      `${request.uids.length} uids but ${request.weights.length} weights.`,
    );
  }
  if (request.uids.length === 0) {
    throw new WeightsRejectedError('EmptyWeights', 'No uids given; there is nothing to set.');
  }
  const badWeight = request.weights.findIndex((w) => !Number.isFinite(w) || w < 0);
  if (badWeight >= 0) {
    throw new WeightsRejectedError(
      'InvalidWeightValue',
      `weights[${badWeight}] = ${request.weights[badWeight]}; weights must be finite and ≥ 0.`,
    );
  }
  const versionKey = BigInt(request.versionKey);
  if (hp.weightsVersion !== 0n && versionKey < hp.weightsVersion) {
    throw new WeightsRejectedError(
      'IncorrectWeightVersionKey',
      `version_key ${versionKey} is below the subnet's ${hp.weightsVersion}.`,
    );
  }
  if (context.callerUid === null) throw new NotRegisteredError(hp.netuid, context.hotkey);
  if (
    rateLimit !== 'none' &&
    context.lastUpdate > 0 &&
    context.currentBlock - context.lastUpdate < hp.weightsRateLimit
  ) {
    const wait = hp.weightsRateLimit - (context.currentBlock - context.lastUpdate);
    throw new WeightsRejectedError(
      rateLimit,
      `Last update at block ${context.lastUpdate}, rate limit ${hp.weightsRateLimit} blocks: wait ${wait} more.`,
    );
  }
  const seen = new Set<number>();
  for (const uid of request.uids) {
    if (!Number.isInteger(uid) || uid < 0 || uid >= context.n) {
      throw new WeightsRejectedError(
        'UidVecContainInvalidOne',
        `uid ${uid} is not on the subnet (n = ${context.n}).`,
      );
    }
    if (seen.has(uid)) throw new WeightsRejectedError('DuplicateUids', `uid ${uid} appears twice.`);
    seen.add(uid);
  }
  if (request.uids.length > context.n) {
    throw new WeightsRejectedError(
      'UidsLengthExceedUidsInSubNet',
      `${request.uids.length} uids for a subnet of ${context.n}.`,
    );
  }
  const emit = convertWeightsAndUidsForEmit(request.uids, request.weights);
  const selfWeightOnly = emit.uids.length === 1 && emit.uids[0] === context.callerUid;
  if (!selfWeightOnly && !context.hasValidatorPermit) {
    throw new WeightsRejectedError(
      'NeuronNoValidatorPermit',
      `uid ${context.callerUid} holds no validator permit, so it may only weight itself.`,
    );
  }
  if (!selfWeightOnly && emit.uids.length < Math.min(hp.minAllowedWeights, context.n)) {
    throw new WeightsRejectedError(
      'WeightVecLengthIsLow',
      `${emit.uids.length} non-zero weights; the subnet requires at least ${hp.minAllowedWeights}.`,
    );
  }
  if (!selfWeightOnly && hp.maxWeightsLimit < U16_MAX) {
    // The runtime normalises to sum u16::MAX and caps each entry at MaxWeightsLimit.
    const sum = emit.weights.reduce((acc, w) => acc + w, 0);
    const heaviest = Math.max(0, ...emit.weights);
    const share = sum === 0 ? 0 : Math.floor((heaviest * U16_MAX) / sum);
    if (share > hp.maxWeightsLimit) {
      throw new WeightsRejectedError(
        'MaxWeightExceeded',
        `The heaviest weight is ${share}/65535 of the total; the subnet caps it at ${hp.maxWeightsLimit}.`,
      );
    }
  }
  return emit;
}
