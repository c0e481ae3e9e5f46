/** One Condense request's fate: a payload to evaluate, or the dendrite's failure status. */
export type QueryOutcome =
  | { ok: true; raw: unknown; latencyMs: number }
  | { ok: false; status: number; message: string; latencyMs: number };
