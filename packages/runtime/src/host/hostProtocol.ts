import type { SerializedError } from '@signal/core';

/** What a host worker is started with (`workerData`). */
export interface HostWorkerData {
  readonly init: unknown;
  readonly intraOpThreads: number;
  readonly workerIndex: number;
}

/** Main thread to worker. */
export type ToWorker =
  | { readonly type: 'run'; readonly id: number; readonly job: string; readonly input: unknown }
  | { readonly type: 'abort'; readonly id: number }
  | { readonly type: 'close' };

/** Worker to main thread. */
export type FromWorker =
  | { readonly type: 'ready'; readonly jobs: readonly string[] }
  | { readonly type: 'failed'; readonly error: SerializedError }
  | { readonly type: 'chunk'; readonly id: number; readonly chunk: unknown }
  | { readonly type: 'done'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError }
  | { readonly type: 'closed' };
