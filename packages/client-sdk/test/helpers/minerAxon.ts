import { randomBytes } from 'node:crypto';
import { keypairFromKeyfile, type LocalChain, type Wallet } from '@signal/chain';
import {
  Axon,
  type AxonRequestContext,
  BINARY_ROUTE_LIMIT,
  type BinaryAnswer,
  Condense,
  type CondenseSynapse,
  FRAME_VERSION,
  Metadata,
} from '@signal/core';

type KeyringPair = Wallet['hotkey'];

export type CondenseHandler = (
  synapse: CondenseSynapse,
  context: AxonRequestContext,
) => Promise<CondenseSynapse>;

export interface MinerAxon {
  uid: number;
  hotkey: KeyringPair;
  /** Hotkeys that called, in order. */
  callers: string[];
  close(): Promise<void>;
}

/** A fresh hotkey from a random seed, through the chain's keyfile loader (no mnemonic KDF). */
export function newHotkey(name: string): Promise<KeyringPair> {
  return keypairFromKeyfile({ secretSeed: `0x${randomBytes(32).toString('hex')}` }, name);
}

/**
 * A miner as the chain and the wire see it: a registered hotkey whose core `Axon` serves
 * `Condense` on loopback with `handler` (and `/Condense/binary` with `options.binary`, advertised
 * in `Metadata`), and whose address is served on the LocalChain.
 */
export async function startMinerAxon(
  chain: LocalChain,
  netuid: number,
  name: string,
  handler: CondenseHandler,
  options: { blacklist?: boolean; binary?: (synapse: CondenseSynapse) => BinaryAnswer } = {},
): Promise<MinerAxon> {
  const hotkey = await newHotkey(name);
  const uid = await chain.register({ netuid, hotkey: hotkey.address, coldkey: hotkey.address });
  const callers: string[] = [];
  const axon = new Axon({ signer: hotkey }).attach(Condense, {
    forward: (synapse, context) => {
      callers.push(String(context.dendrite.hotkey));
      return handler(synapse, context);
    },
    blacklist: () => ({ blacklisted: options.blacklist ?? false, reason: 'not a customer' }),
    ...(options.binary ? { binary: options.binary } : {}),
  });
  if (options.binary) {
    // Advertises the binary route, as a real miner does.
    axon.attach(Metadata, {
      forward: (synapse) => ({ ...synapse, limits: { [BINARY_ROUTE_LIMIT]: FRAME_VERSION } }),
    });
  }
  const address = await axon.listen({ host: '127.0.0.1', port: 0 });
  await chain.serveAxon({
    netuid,
    ip: '127.0.0.1',
    port: address.port,
    version: 1,
    signer: hotkey,
  });
  return { uid, hotkey, callers, close: () => axon.close() };
}
