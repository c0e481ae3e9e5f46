import { InlineSignatures } from './InlineSignatures';
import { SignaturePool } from './SignaturePool';
import type { SignatureService } from './SignatureService';

interface Shared {
  readonly pool: SignaturePool;
  users: number;
}

const pools = new Map<number, Shared>();

/**
 * The sr25519 service of an axon: `threads` worker threads shared by every axon of the process
 * that asks for the same count (several miners in one process, a test file's axons), or the
 * calling thread for 0. Release it once; the threads stop when the last user releases.
 */
export function acquireSignatures(threads: number): {
  service: SignatureService;
  release: () => Promise<void>;
} {
  if (threads === 0) return { service: new InlineSignatures(), release: async () => undefined };
  let shared = pools.get(threads);
  if (!shared) {
    shared = { pool: new SignaturePool(threads), users: 0 };
    pools.set(threads, shared);
  }
  shared.users++;
  const entry = shared;
  let released = false;
  return {
    service: entry.pool,
    release: async () => {
      if (released) return;
      released = true;
      entry.users--;
      if (entry.users === 0 && pools.get(threads) === entry) {
        pools.delete(threads);
        await entry.pool.close();
      }
    },
  };
}
