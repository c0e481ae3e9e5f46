import type { CondensedPayloadFormat } from '@signal/core';

/** Per-call settings of `SignalClient.condense`; every field is optional. */
export interface CondenseOptions {
  /** Tier name; default the first tier of the client's table. */
  tier?: string;
  /** The model the condensed context is for; default the tier's first supporting model. */
  targetModel?: string;
  /** Ask for (and insist on) this payload format; any format is accepted when omitted. */
  format?: CondensedPayloadFormat;
  /** Deadline of this call, retries included; default the client's `timeoutMs`. */
  timeoutMs?: number;
  signal?: AbortSignal;
}
