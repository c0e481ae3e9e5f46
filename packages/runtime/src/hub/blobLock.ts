import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { lock } from 'proper-lockfile';
import type { HubCache } from './HubCache';
import { HubError } from './HubError';

/** A lock not refreshed for this long belongs to a dead process and is taken over. */
const STALE_MS = 10_000;
/** How often a waiting process tries the lock again. */
const POLL_MS = 100;

export interface BlobLock {
  /** Aborted when the lock is lost (another process took it over as stale). */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * Takes the cross-process lock on downloading `blobs/<etag>`, waiting (polling, abortable)
 * while another process holds it; `onWait` is called once if it has to wait. The holder
 * refreshes the lock every `STALE_MS / 2`; a holder that died is taken over after `STALE_MS`,
 * and its `.incomplete` file is then resumed where it stopped.
 */
export async function lockBlob(
  cache: HubCache,
  etag: string,
  options: { signal?: AbortSignal | undefined; onWait?: (() => void) | undefined } = {},
): Promise<BlobLock> {
  const path = cache.lockPath(etag);
  await mkdir(dirname(path), { recursive: true });
  const lost = new AbortController();
  let waited = false;
  for (;;) {
    try {
      const release = await lock(path, {
        realpath: false,
        lockfilePath: path,
        stale: STALE_MS,
        onCompromised: (cause) =>
          lost.abort(
            new HubError('HUB_DOWNLOAD_FAILED', `lost the download lock ${path}`, {
              details: cause.message,
              cause,
            }),
          ),
      });
      return {
        lost: lost.signal,
        release: () => release().catch(() => undefined),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
        throw new HubError('HUB_DOWNLOAD_FAILED', `cannot take the download lock ${path}`, {
          details: error instanceof Error ? error.message : String(error),
          cause: error,
        });
      }
    }
    if (!waited) {
      waited = true;
      options.onWait?.();
    }
    await delay(POLL_MS, undefined, options.signal ? { signal: options.signal } : {});
  }
}
