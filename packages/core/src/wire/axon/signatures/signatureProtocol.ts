import type { SerializedError } from '../../../threads/crossThreadError';

/** Checks a request signature. */
export interface VerifyTask {
  readonly verify: readonly [text: string, signature: string, address: string];
}

/** Signs with a key the thread holds (sent once by a `HoldKeyMessage`). */
export interface SignTask {
  readonly sign: readonly [key: number, text: string];
}

export type SignatureTask = VerifyTask | SignTask;

/** One batch: the tasks queued in one turn of the event loop. */
export interface SignatureBatch {
  readonly id: number;
  readonly tasks: readonly SignatureTask[];
}

/** Hands a thread a key to sign with, or tells it to forget one. */
export type KeyMessage =
  | {
      readonly hold: {
        readonly id: number;
        readonly publicKey: Uint8Array;
        readonly secretKey: Uint8Array;
      };
    }
  | { readonly forget: number };

export interface SignatureResults {
  readonly id: number;
  /** Per task: the verdict, the `0x` signature, or the error the task threw. */
  readonly results: readonly (boolean | string | SerializedError)[];
}

/** Sent once by a thread when its WebAssembly is loaded. */
export interface SignatureReady {
  readonly ready: true;
}
