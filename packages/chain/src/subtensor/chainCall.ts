import { isSignalError } from '@signal/core';
import { ChainRequestError, ChainTimeoutError } from '../errors/ChainErrors';

/**
 * Runs one chain request under a deadline and types its failure: a ChainTimeoutError when
 * it does not settle in `timeoutMs`, our own SignalErrors as they are, and anything the RPC
 * layer throws (JSON-RPC errors, "disconnected from …", decode errors) as a
 * ChainRequestError naming `what`.
 */
export async function chainCall<T>(
  promise: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChainTimeoutError(what, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } catch (error) {
    if (isSignalError(error)) throw error;
    throw new ChainRequestError(what, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
