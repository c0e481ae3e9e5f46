import type { KeyringPair } from '@polkadot/keyring/types';
import type { LocalChain } from '@signal/chain';
import {
  Axon,
  Condense,
  type CondenseSynapse,
  encodeTensor,
  Metadata,
  WIRE_VERSION,
} from '@signal/core';

/**
 * What a misbehaving miner does with `Condense`. These stand in for real miners gone wrong,
 * at the wire boundary: they speak the real protocol through core's Axon.
 */
export type FakeBehaviour =
  /** Right shapes, random values far beyond float16's range: garbage with infinities. */
  | { kind: 'garbage'; layers: number; kvHeads: number; headDim: number }
  /** Answers only after the caller has given up. */
  | { kind: 'timeout' }
  /** A well-formed cache far over the tier's byte ceiling. */
  | { kind: 'oversized'; layers: number; kvHeads: number; headDim: number; tokens: number }
  /** Refuses every Condense with a 500. */
  | { kind: 'broken' };

export interface FakeMiner {
  uid: number;
  hotkey: string;
  port: number;
  requests: () => number;
  close: () => Promise<void>;
}

function kvPayload(
  model: string,
  layers: number,
  kvHeads: number,
  headDim: number,
  tokens: number,
  value: () => number,
): NonNullable<CondenseSynapse['condensed']> {
  const shape = [1, kvHeads, tokens, headDim];
  const count = kvHeads * tokens * headDim;
  const tensor = () =>
    encodeTensor(
      { dtype: 'float16', shape, data: Float32Array.from({ length: count }, value) },
      { allowNonFinite: true },
    );
  return {
    format: 'kv',
    model,
    adapter: null,
    original_tokens: tokens,
    condensed_tokens: tokens,
    original_length: tokens,
    kept: tokens,
    layers: Array.from({ length: layers }, () => ({ key: tensor(), value: tensor() })),
  };
}

/** Registers `hotkey` on the LocalChain, serves a misbehaving axon and advertises it. */
export async function startFakeMiner(options: {
  chain: LocalChain;
  netuid: number;
  hotkey: KeyringPair;
  tier: string;
  model: string;
  behaviour: FakeBehaviour;
}): Promise<FakeMiner> {
  const { chain, netuid, hotkey, tier, model, behaviour } = options;
  let requests = 0;
  const axon = new Axon({ signer: hotkey });
  axon.attach(Metadata, {
    forward: (synapse) => ({ ...synapse, tier, models: [model], methods: [behaviour.kind] }),
  });
  axon.attach(Condense, {
    forward: async (synapse, context) => {
      requests += 1;
      switch (behaviour.kind) {
        case 'garbage': {
          const tokens = 8;
          return {
            ...synapse,
            condensed: kvPayload(
              model,
              behaviour.layers,
              behaviour.kvHeads,
              behaviour.headDim,
              tokens,
              () => (Math.random() - 0.5) * 2e5,
            ),
          };
        }
        case 'oversized':
          return {
            ...synapse,
            condensed: kvPayload(
              model,
              behaviour.layers,
              behaviour.kvHeads,
              behaviour.headDim,
              behaviour.tokens,
              () => 0,
            ),
          };
        case 'timeout':
          await new Promise((resolve) => {
            const timer = setTimeout(resolve, 30_000);
            context.signal.addEventListener('abort', () => {
              clearTimeout(timer);
              resolve(undefined);
            });
          });
          return synapse;
        case 'broken':
          throw new Error('condenser crashed');
      }
    },
  });
  const address = await axon.listen({ host: '127.0.0.1', port: 0 });
  const uid = await chain.register({ netuid, hotkey: hotkey.address, coldkey: hotkey.address });
  await chain.serveAxon({
    netuid,
    ip: '127.0.0.1',
    port: address.port,
    version: WIRE_VERSION,
    signer: hotkey,
  });
  return {
    uid,
    hotkey: hotkey.address,
    port: address.port,
    requests: () => requests,
    close: () => axon.close({ graceMs: 0 }),
  };
}
