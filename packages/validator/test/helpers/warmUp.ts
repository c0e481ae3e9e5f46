import type { KeyringPair } from '@polkadot/keyring/types';
import type { LocalChain } from '@signal/chain';
import { Condense, Dendrite } from '@signal/core';
import { NETUID } from './subnet';
import { MODEL_NAME } from './tinyModel';

/** Sends each miner one Condense with a generous timeout so its model is loaded. */
export async function warmUp(
  signer: KeyringPair,
  uids: readonly number[],
  chain: LocalChain,
  tier: string,
): Promise<void> {
  const metagraph = await chain.metagraph(NETUID);
  const dendrite = new Dendrite({ signer });
  try {
    const results = await Promise.all(
      uids.map((uid) => {
        const neuron = metagraph.neurons[uid]!;
        return dendrite.call(
          { ip: neuron.axon.ip, port: neuron.axon.port, hotkey: neuron.hotkey },
          Condense,
          {
            context: 'Warm up the model.',
            target_model: MODEL_NAME,
            tier,
            adapter: null,
            condensed: null,
          },
          { timeout: 60 },
        );
      }),
    );
    const failed = results.filter((result) => !result.ok);
    if (failed.length > 0)
      throw new Error(`warm-up failed: ${failed.map((r) => r.message).join('; ')}`);
  } finally {
    await dendrite.close();
  }
}
