import type { ApiPromise } from '@polkadot/api';

/** What every Subtensor action needs: the connected API and the per-call deadline. */
export interface SubtensorContext {
  api: ApiPromise;
  timeoutMs: number;
}
