import { InlineVerifier } from './InlineVerifier';
import type { SignatureVerifier } from './SignatureVerifier';
import { VerifierPool } from './VerifierPool';

interface Shared {
  readonly pool: VerifierPool;
  users: number;
}

const pools = new Map<number, Shared>();

/**
 * A verifier for an axon: `threads` worker threads shared by every axon of the process that
 * asks for the same count (several miners in one process, a test file's axons), or the
 * calling thread for 0. Release it once; the threads stop when the last user releases.
 */
export function acquireVerifier(threads: number): {
  verifier: SignatureVerifier;
  release: () => Promise<void>;
} {
  if (threads === 0) return { verifier: new InlineVerifier(), release: async () => undefined };
  let shared = pools.get(threads);
  if (!shared) {
    shared = { pool: new VerifierPool(threads), users: 0 };
    pools.set(threads, shared);
  }
  shared.users++;
  const entry = shared;
  let released = false;
  return {
    verifier: entry.pool,
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
