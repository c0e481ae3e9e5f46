import type { MinerNeuron } from './MetagraphReader';

/** An axon is reachable once served: the chain stores 0.0.0.0:0 until then. */
function isServed(neuron: MinerNeuron): boolean {
  return neuron.axon.port > 0 && neuron.axon.ip !== '0.0.0.0' && neuron.axon.ip !== '::';
}

/**
 * Miners worth asking, best first: served axons ranked by incentive (the chain's own
 * verdict on answer quality), ties to the lower uid; our own hotkey is never asked.
 */
export function rankMiners(neurons: readonly MinerNeuron[], ownHotkey: string): MinerNeuron[] {
  return neurons
    .filter((neuron) => isServed(neuron) && neuron.hotkey !== ownHotkey)
    .sort((a, b) => b.incentive - a.incentive || a.uid - b.uid);
}

/** The `count` miners attempt `attempt` asks: later attempts move on down the ranking. */
export function minersForAttempt<T>(ranked: readonly T[], attempt: number, count: number): T[] {
  const k = Math.min(count, ranked.length);
  const start = (attempt * k) % Math.max(1, ranked.length);
  return Array.from({ length: k }, (_, i) => ranked[(start + i) % ranked.length] as T);
}
