/** Checks request signatures for an axon, on its own thread or in worker threads. */
export interface SignatureVerifier {
  /** As `verifyText`: true or false, or a `WireError` for a malformed signature or hotkey. */
  verify(text: string, signature: string, address: string): Promise<boolean>;
  /** Resolves once verifying costs no start-up (threads started, WebAssembly loaded). */
  ready(): Promise<void>;
  close(): Promise<void>;
}
