/** Checks request signatures for an axon, on its own thread or in worker threads. */
export interface SignatureVerifier {
  /** As `verifyText`: true or false, or a `WireError` for a malformed signature or hotkey. */
  verify(text: string, signature: string, address: string): Promise<boolean>;
  close(): Promise<void>;
}
