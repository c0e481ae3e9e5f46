import type { NeuronView } from './NeuronView';
import { PolicyInputError } from './PolicyInputError';

/** A metagraph snapshot indexed for per-request decisions: built once per refresh. */
export interface MetagraphIndex {
  readonly byHotkey: ReadonlyMap<string, NeuronView>;
  /** Total stake (rao) of neurons holding a validator permit: the base of stake shares. */
  readonly validatorStake: bigint;
  /** Neurons holding a validator permit. */
  readonly validatorCount: number;
}

export function indexMetagraph(neurons: readonly NeuronView[]): MetagraphIndex {
  const byHotkey = new Map<string, NeuronView>();
  let validatorStake = 0n;
  let validatorCount = 0;
  for (const [position, neuron] of neurons.entries()) {
    if (typeof neuron.hotkey !== 'string' || neuron.hotkey.length === 0) {
      throw new PolicyInputError(`Neuron at position ${position} has no hotkey.`);
    }
    if (typeof neuron.stake !== 'bigint' || neuron.stake < 0n) {
      throw new PolicyInputError(
        `Neuron ${neuron.hotkey} has stake ${String(neuron.stake)}.`,
        'Stake is a non-negative bigint in rao.',
      );
    }
    if (byHotkey.has(neuron.hotkey)) {
      throw new PolicyInputError(`Hotkey ${neuron.hotkey} appears twice in the metagraph.`);
    }
    byHotkey.set(neuron.hotkey, neuron);
    if (neuron.validatorPermit) {
      validatorStake += neuron.stake;
      validatorCount++;
    }
  }
  return { byHotkey, validatorStake, validatorCount };
}
