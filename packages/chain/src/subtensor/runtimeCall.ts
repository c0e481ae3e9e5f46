import type { Codec } from '@polkadot/types/types';
import { ChainRequestError } from '../errors/ChainErrors';
import { chainCall } from './chainCall';
import type { SubtensorContext } from './SubtensorContext';

type RuntimeMethod = (...args: unknown[]) => Promise<Codec>;

/**
 * Calls a runtime API (`section.method`) at `blockHash` (or the head), decoded with the
 * metadata v15 types, under the context's deadline. A runtime that lacks the API is a
 * ChainRequestError naming it, not a TypeError on undefined.
 */
export function runtimeCall(
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
    if (!fn)
      throw new ChainRequestError(what, { details: 'The runtime does not expose this API.' });
    return fn(...args);
  };
  return chainCall(call(), context.timeoutMs, what);
}
