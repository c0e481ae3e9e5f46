import type { Header } from '@polkadot/types/interfaces';
import { chainCall } from './chainCall';
import type { SubtensorContext } from './SubtensorContext';

export interface BlockRef {
  hash: string;
  number: number;
}

/**
 * Pins a read to one block: the given hash, or the head resolved once. Reads that belong
 * together (a metagraph's two runtime calls, the state `setWeights` checks) then see the same
 * state, and every storage read is a plain `state_getStorage(key, hash)` query rather than a
 * subscription.
 */
export async function resolveBlock(
  context: SubtensorContext,
  blockHash?: string,
): Promise<BlockRef> {
  const { api, timeoutMs } = context;
  const hash =
    blockHash ??
    (await chainCall(api.rpc.chain.getBlockHash(), timeoutMs, 'chain_getBlockHash')).toHex();
  const header: Header = await chainCall(
    api.rpc.chain.getHeader(hash),
    timeoutMs,
    'chain_getHeader',
  );
  return { hash, number: header.number.toNumber() };
}
