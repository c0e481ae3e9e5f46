import type { Sr25519Keys } from '../../signature';

/** A key held by a `SignatureService`, which signs an axon's responses with it. */
export interface HeldKey {
  /** Signs the UTF-8 text: `0x` + hex, as `signText` does. */
  sign(text: string): Promise<string>;
  /** Forgets the key, on every thread that holds it. */
  release(): void;
}

/**
 * The sr25519 work of an axon: checking request signatures and signing responses, on the
 * axon's own thread or in worker threads.
 */
export interface SignatureService {
  /** As `verifyText`: true or false, or a `WireError` for a malformed signature or hotkey. */
  verify(text: string, signature: string, address: string): Promise<boolean>;
  /** Keeps `keys` for signing; worker threads receive them once, here, never per request. */
  holdKey(keys: Sr25519Keys): HeldKey;
  /**
   * Tasks waiting per thread (queued or not yet answered); 0 on the calling thread. An axon
   * signs on its own thread instead while the threads are this far behind.
   */
  backlog(): number;
  /** Resolves once the work costs no start-up (threads started, WebAssembly loaded). */
  ready(): Promise<void>;
  close(): Promise<void>;
}
