import type { SerializedError } from '../../../threads/crossThreadError';

export interface VerifyItem {
  readonly text: string;
  readonly signature: string;
  readonly address: string;
}

/** One batch: the checks queued in one turn of the event loop. */
export interface VerifyBatch {
  readonly id: number;
  readonly items: readonly VerifyItem[];
}

export interface VerifyResults {
  readonly id: number;
  /** Per item: the verdict, or the error `verifyText` threw. */
  readonly results: readonly (boolean | SerializedError)[];
}

/** Sent once by a thread when its WebAssembly is loaded. */
export interface VerifyReady {
  readonly ready: true;
}
