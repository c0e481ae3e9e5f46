import { isSignalError } from '@signal/core';
import {
  ChainConnectionLostError,
  ChainRequestError,
  ChainTimeoutError,
} from '../errors/ChainErrors';
import { isConnectionLost } from './connectionLost';

/**
 * Runs one chain request under a deadline and types its failure: a ChainTimeoutError when
 * it does not settle in `timeoutMs`, a ChainConnectionLostError when the websocket closed
 * under it, our own SignalErrors as they are, and anything else the RPC layer throws
 * (JSON-RPC errors, decode errors) as a ChainRequestError naming `what`.
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
    const details = error instanceof Error ? error.message : String(error);
    if (isConnectionLost(error))
      throw new ChainConnectionLostError(what, { details, cause: error });
    throw new ChainRequestError(what, { details, cause: error });
  } finally {
    clearTimeout(timer);
  }
}
