import { AxonRefusal } from './AxonRefusal';
import type { RequestAbort } from './RequestAbort';

/**
 * Settles with `work`, or refuses with 408 (and aborts `abort`, so the handler can stop)
 * once `deadline` passes. The work itself keeps running until it notices.
 */
export async function raceDeadline<T>(
  work: Promise<T>,
  deadline: number,
  abort: RequestAbort,
  timeout: number,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        const refusal = new AxonRefusal(408, `Response timeout after: ${timeout}s`);
        abort.abort(refusal);
        reject(refusal);
      },
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
