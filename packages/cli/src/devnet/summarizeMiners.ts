import type { Metagraph } from '@signal/chain';
import type { EpochReport, TaskFamily } from '@signal/validator';
import type { DevnetMinerReport } from './DevnetReport';
import type { DevnetMiner } from './minerLineup';

const mean = (values: readonly number[]): number =>
  values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * One line per devnet miner: its epoch means over every epoch that reached it, the weight of
 * the last epoch, and the incentive the chain paid after consensus.
 */
export function summarizeMiners(
  lineup: ReadonlyArray<DevnetMiner & { hotkey: string }>,
  epochs: readonly EpochReport[],
  metagraph: Metagraph,
  families: readonly TaskFamily[],
): DevnetMinerReport[] {
  // Fidelity is measured on continuation tasks only; without them it is unknown, not 0.
  const fidelityMeasured = families.includes('continuation');
  return lineup.map((miner) => {
    const neuron = metagraph.neurons.find((n) => n.hotkey === miner.hotkey);
    const rows = epochs.flatMap((epoch) => epoch.miners.filter((m) => m.hotkey === miner.hotkey));
    const last = rows.at(-1);
    return {
      uid: neuron?.uid ?? -1,
      hotkey: miner.hotkey,
      method: miner.method.method,
      ratio: miner.method.ratio,
      poor: miner.poor,
      accuracy: mean(rows.map((r) => r.accuracy)),
      fidelity: fidelityMeasured ? mean(rows.map((r) => r.fidelity)) : null,
      compression: mean(rows.map((r) => r.compression)),
      latency_ms: mean(rows.map((r) => r.latencyMs)),
      score: mean(rows.map((r) => r.score)),
      weight: last?.weight ?? 0,
      incentive: neuron?.incentive ?? 0,
    };
  });
}
