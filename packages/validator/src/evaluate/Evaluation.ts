import type { CondensedPayloadFormat } from '@signal/core';

/** Why a response earned nothing before its quality was even measured. */
export type InvalidReason = {
  /** A stable code: a `PayloadError` code, `PAYLOAD_NOT_FINITE`, `QUERY_FAILED`, … */
  code: string;
  /** What was wrong, naming the field or the peer's status. */
  message: string;
};

/**
 * How one response fared. A valid one carries the measured quality and the token counts the
 * validator recomputed itself; the miner's declared counts are never used for scoring.
 */
export type Evaluation =
  | {
      valid: true;
      format: CondensedPayloadFormat;
      /** In [0, 1]: answer accuracy, or fidelity for continuation tasks. */
      accuracy: number;
      /** Continuation fidelity in [0, 1], or null when the task was not a continuation. */
      fidelity: number | null;
      originalTokens: number;
      condensedTokens: number;
      /** `1 − condensed/original`. */
      compression: number;
    }
  | ({ valid: false } & InvalidReason);
