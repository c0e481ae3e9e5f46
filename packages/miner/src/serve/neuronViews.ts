import type { Metagraph } from '@signal/chain';
import type { NeuronView } from '../policy/NeuronView';

/** The policy's view of a chain metagraph: hotkey, total stake in rao and permit per uid. */
export function neuronViews(metagraph: Metagraph): NeuronView[] {
  return metagraph.neurons.map((neuron) => ({
    uid: neuron.uid,
    hotkey: neuron.hotkey,
    stake: neuron.stake.total,
    validatorPermit: neuron.validatorPermit,
  }));
}
