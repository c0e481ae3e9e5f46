import { Condense } from './Condense';
import { Inference } from './Inference';
import { Metadata } from './Metadata';
import { SynapseError } from './SynapseError';

/** Every synapse Signal serves, by class name (which is also its HTTP route). */
export const synapses = { Condense, Inference, Metadata } as const;

export type SynapseName = keyof typeof synapses;

export function isSynapseName(name: string): name is SynapseName {
  return Object.hasOwn(synapses, name);
}

/** Looks a synapse up by name (a route, a config value), or throws `SYNAPSE_UNKNOWN` listing the known ones. */
export function getSynapse<Name extends SynapseName>(name: Name): (typeof synapses)[Name];
export function getSynapse(name: string): (typeof synapses)[SynapseName];
export function getSynapse(name: string): (typeof synapses)[SynapseName] {
  if (!isSynapseName(name)) {
    throw new SynapseError('SYNAPSE_UNKNOWN', `Unknown synapse "${name}".`, {
      details: `Known synapses: ${Object.keys(synapses).join(', ')}.`,
    });
  }
  return synapses[name];
}
