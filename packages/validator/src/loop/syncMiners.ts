import type { ChainClient, Metagraph, NeuronInfo } from '@signal/chain';
import type { Dendrite, TierConfig } from '@signal/core';
import type { MinerTarget } from '../query/MinerTarget';
import { queryMetadata } from '../query/queryMetadata';

export interface SyncMinersParameters {
  chain: ChainClient;
  netuid: number;
  dendrite: Dendrite;
  /** Our own hotkey: never queried. */
  selfHotkey: string;
  tiers: readonly TierConfig[];
  metadataTimeoutSeconds: number;
  concurrency: number;
}

export interface SyncResult {
  metagraph: Metagraph;
  /** Serving miners whose Metadata named a tier we know. */
  miners: MinerTarget[];
  /** Serving neurons that did not answer Metadata, or named an unknown tier. */
  silent: NeuronInfo[];
}

function isServing(neuron: NeuronInfo): boolean {
  return neuron.axon.port > 0 && neuron.axon.ip !== '0.0.0.0' && neuron.axon.ip !== '::';
}

/** Metadata answers are small: a sync asks this many miners at once. */
export const METADATA_CONCURRENCY = 32;

/** Syncs the metagraph and asks every serving neuron (but us) for its Metadata. */
export async function syncMiners({
  chain,
  netuid,
  dendrite,
  selfHotkey,
  tiers,
  metadataTimeoutSeconds,
  concurrency,
}: SyncMinersParameters): Promise<SyncResult> {
  const metagraph = await chain.metagraph(netuid);
  const candidates = metagraph.neurons.filter(
    (neuron) => neuron.hotkey !== selfHotkey && isServing(neuron),
  );
  const known = new Set(tiers.map((tier) => tier.name));
  const miners: MinerTarget[] = [];
  const silent: NeuronInfo[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < candidates.length) {
      const neuron = candidates[next++]!;
      const axon = { ip: neuron.axon.ip, port: neuron.axon.port, hotkey: neuron.hotkey };
      const metadata = await queryMetadata(dendrite, axon, metadataTimeoutSeconds);
      if (metadata?.tier && known.has(metadata.tier)) {
        miners.push({
          uid: neuron.uid,
          hotkey: neuron.hotkey,
          axon,
          tier: metadata.tier,
          models: metadata.models,
          methods: metadata.methods,
          binaryRoute: metadata.binaryRoute,
        });
      } else silent.push(neuron);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  miners.sort((a, b) => a.uid - b.uid);
  return { metagraph, miners, silent };
}
