import { lock } from 'proper-lockfile';
import { GatewayStoreError } from '../../errors/GatewayStoreError';

/** A crashed holder's lock counts as stale after this long. */
export const STALE_LOCK_MS = 10_000;
const WAIT_MS = 5_000;

/** Takes proper-lockfile's lock beside `path`, waiting with backoff while another holder has it. */
export async function acquireFileLock(
  path: string,
  onCompromised: (error: Error) => void,
  waitMs = WAIT_MS,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      return await lock(path, { realpath: false, stale: STALE_LOCK_MS, onCompromised });
    } catch (error) {
      const held = (error as NodeJS.ErrnoException).code === 'ELOCKED';
      if (!held || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Runs `work` holding the lock on `path`, so writers in other processes never interleave. */
export async function withFileLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await acquireFileLock(path, (error) => {
      compromised ??= error;
    });
  } catch (cause) {
    throw new GatewayStoreError('GATEWAY_STORE_UNAVAILABLE', `Cannot lock ${path}.`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  let result: T;
  try {
    result = await work();
  } finally {
    await release().catch(() => undefined);
  }
  // A lost lock means this write may have raced another process's: say so.
  if (compromised) {
    throw new GatewayStoreError('GATEWAY_STORE_UNAVAILABLE', `Lost the lock on ${path}.`, {
      details: compromised.message,
      cause: compromised,
    });
  }
  return result;
}
