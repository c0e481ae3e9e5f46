import type { Codec } from '@polkadot/types/types';
import { ChainRequestError, ChainTimeoutError } from '../errors/ChainErrors';
import type { SubtensorContext } from './SubtensorContext';
import { withTimeout } from './withTimeout';

type RuntimeMethod = (...args: unknown[]) => Promise<Codec>;

/**
 * Calls a runtime API (`section.method`) at `blockHash` (or the head), decoded with the
 * metadata v15 types, under the context's deadline. A runtime that lacks the API is a
 * ChainRequestError naming it, not a TypeError on undefined.
 */
export async function runtimeCall(
  context: SubtensorContext,
  section: string,
  method: string,
  args: readonly unknown[],
  blockHash?: string,
): Promise<Codec> {
  const what = `${section}.${method}`;
  const call = async (): Promise<Codec> => {
    const api = blockHash ? await context.api.at(blockHash) : context.api;
    const fn = (api.call as unknown as Record<string, Record<string, RuntimeMethod | undefined>>)[
      section
    ]?.[method];
    if (!fn) {
      throw new ChainRequestError(what, { details: 'The runtime does not expose this API.' });
    }
    return fn(...args);
  };
  try {
    return await withTimeout(call(), context.timeoutMs, what);
  } catch (error) {
    if (error instanceof ChainRequestError || error instanceof ChainTimeoutError) throw error;
    throw new ChainRequestError(what, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}
