import type { MetagraphIndex } from './MetagraphIndex';
import type { NeuronView } from './NeuronView';
import { RequestRefusedError } from './RequestRefusedError';

export interface AdmissionPolicy {
  /** Minimum validator stake (rao) for work requests. */
  readonly minValidatorStake: bigint;
  /** Hotkeys admitted without registration, permit or stake: direct clients. */
  readonly allowlist: ReadonlySet<string>;
}

/**
 * What the caller asks for: `work` (Condense, Inference) must meet the stake minimum;
 * `metadata` is never refused to a registered validator, whatever its stake.
 */
export type RequestPurpose = 'work' | 'metadata';

export type Admission =
  | {
      readonly admitted: true;
      readonly as: 'validator';
      readonly hotkey: string;
      readonly neuron: NeuronView;
    }
  | {
      readonly admitted: true;
      readonly as: 'allowlisted';
      readonly hotkey: string;
      readonly neuron: NeuronView | undefined;
    }
  | { readonly admitted: false; readonly refusal: RequestRefusedError };

/**
 * The blacklist decision. A registered neuron with a validator permit (and, for work, enough
 * stake) is admitted as a validator; otherwise an allowlisted hotkey is admitted as a direct
 * client; everyone else is refused with 403 and the reason.
 */
export function admitCaller(
  hotkey: string,
  metagraph: MetagraphIndex,
  policy: AdmissionPolicy,
  purpose: RequestPurpose = 'work',
): Admission {
  const neuron = metagraph.byHotkey.get(hotkey);
  const stakeOk =
    neuron !== undefined && (purpose === 'metadata' || neuron.stake >= policy.minValidatorStake);
  if (neuron?.validatorPermit && stakeOk)
    return { admitted: true, as: 'validator', hotkey, neuron };
  if (policy.allowlist.has(hotkey)) return { admitted: true, as: 'allowlisted', hotkey, neuron };
  if (neuron === undefined) {
    return refuse(
      new RequestRefusedError(
        'MINER_UNREGISTERED_HOTKEY',
        hotkey,
        `Hotkey ${hotkey} is not registered on this subnet.`,
      ),
    );
  }
  if (!neuron.validatorPermit) {
    return refuse(
      new RequestRefusedError(
        'MINER_NO_VALIDATOR_PERMIT',
        hotkey,
        `Hotkey ${hotkey} (uid ${neuron.uid}) has no validator permit.`,
      ),
    );
  }
  return refuse(
    new RequestRefusedError(
      'MINER_STAKE_TOO_LOW',
      hotkey,
      `Hotkey ${hotkey} (uid ${neuron.uid}) has stake below this miner's minimum.`,
      `Stake ${neuron.stake} rao; the minimum is ${policy.minValidatorStake} rao.`,
    ),
  );
}

function refuse(refusal: RequestRefusedError): Admission {
  return { admitted: false, refusal };
}
