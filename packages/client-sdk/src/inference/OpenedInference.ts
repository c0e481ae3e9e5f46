import type { DendriteResult, Inference } from '@signal/core';

/** A miner's Inference stream once its first bytes (or its whole, empty answer) arrived. */
export interface OpenedInference {
  readonly minerUid: number;
  /** The first chunk, or undefined when the completion was empty. */
  readonly first: Uint8Array | undefined;
  readonly chunks: AsyncIterator<Uint8Array>;
  /** Settles when the stream ends: ok, or how it broke off. */
  readonly result: Promise<DendriteResult<typeof Inference>>;
}
