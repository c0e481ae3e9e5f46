import type { Codec } from '@polkadot/types/types';
import { ChainRequestError, ChainTimeoutError } from '../errors/ChainErrors';
import type { SubtensorContext } from './SubtensorContext';
import { withTimeout } from './withTimeout';

type StorageEntry = (...args: unknown[]) => Promise<Codec>;

/** Reads one storage item (`pallet.item(...keys)`) at `blockHash` under the context's deadline. */
export async function queryStorage(
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
  try {
    return await withTimeout(read(), context.timeoutMs, what);
  } catch (error) {
    if (error instanceof ChainTimeoutError || error instanceof ChainRequestError) throw error;
    throw new ChainRequestError(what, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}
