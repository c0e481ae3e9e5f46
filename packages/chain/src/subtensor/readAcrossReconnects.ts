import { ChainConnectionLostError, ChainUnreachableError } from '../errors/ChainErrors';
import type { SubtensorContext } from './SubtensorContext';
import { untilConnected } from './untilConnected';

/**
 * Runs a read (idempotent by nature) and, when the websocket drops under it, waits for the
 * link to come back and runs it again, all within the context's deadline, which the retries
 * share (each retry gets what is left of it). A link still down at the deadline is a
 * ChainUnreachableError saying what was lost; a read never hangs past its deadline.
 */
export async function readAcrossReconnects<T>(
  context: SubtensorContext,
  endpoint: string,
  what: string,
  read: (context: SubtensorContext) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + context.timeoutMs;
  let attemptContext = context;
  for (;;) {
    try {
      return await read(attemptContext);
    } catch (error) {
      if (!(error instanceof ChainConnectionLostError)) throw error;
      const back = await untilConnected(context.api, deadline - Date.now());
      const left = deadline - Date.now();
      if (!back || left <= 0) {
        throw new ChainUnreachableError(endpoint, {
          details: `The connection dropped during ${what} and was not back within ${context.timeoutMs} ms (${error.details ?? error.shortMessage}).`,
          cause: error,
        });
      }
      attemptContext = { ...context, timeoutMs: left };
    }
  }
}
