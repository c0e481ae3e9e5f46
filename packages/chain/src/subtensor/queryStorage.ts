import type { Codec } from '@polkadot/types/types';
import { ChainRequestError } from '../errors/ChainErrors';
import { chainCall } from './chainCall';
import type { SubtensorContext } from './SubtensorContext';

type StorageEntry = (...args: unknown[]) => Promise<Codec>;

/** Reads one storage item (`pallet.item(...keys)`) at `blockHash` under the context's deadline. */
export function queryStorage(
  context: SubtensorContext,
  pallet: string,
  item: string,
  keys: readonly unknown[],
  blockHash: string,
): Promise<Codec> {
  const what = `${pallet}.${item}`;
  const read = async (): Promise<Codec> => {
    const api = await context.api.at(blockHash);
    const entry = (
      api.query as unknown as Record<string, Record<string, StorageEntry | undefined>>
    )[pallet]?.[item];
    if (!entry)
      throw new ChainRequestError(what, { details: 'The runtime has no such storage item.' });
    return entry(...keys);
  };
  return chainCall(read(), context.timeoutMs, what);
}
