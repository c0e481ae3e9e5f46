import { type EmaOptions, recordScore } from '@signal/core';
import { z } from 'zod';
import type { MinerState, ScoreState } from './ScoreState';
import { StateFileError } from './StateFileError';

export const ScoredResponseSchema = z.object({
  uid: z.number().int().nonnegative(),
  hotkey: z.string().min(1),
  tier: z.string().min(1),
  /** Core's per-response score, in [0, 1]; 0 for a timeout or an invalid payload. */
  score: z.number().min(0).max(1),
  /** Null when the miner never answered. */
  latencyMs: z.number().nonnegative().nullable(),
});
export type ScoredResponse = z.infer<typeof ScoredResponseSchema>;

export interface UpdateOptions extends EmaOptions {
  /** Epoch milliseconds to stamp; injectable so tests and replays are deterministic. */
  now?: number;
}

function fresh(uid: number, hotkey: string, tier: string, now: number): MinerState {
  return {
    uid,
    hotkey,
    tier,
    score: 0,
    observations: 0,
    zeroScores: 0,
    lastLatencyMs: null,
    updatedAt: now,
  };
}

function insert(state: ScoreState, entry: MinerState): ScoreState {
  const miners = [...state.miners.filter((miner) => miner.uid !== entry.uid), entry].sort(
    (a, b) => a.uid - b.uid,
  );
  return { ...state, miners };
}

/**
 * Folds one scored response into the state. The moving score comes from core's
 * `recordScore`, which restarts a uid from 0 when its hotkey or tier changed; the counts
 * and latency restart with it.
 */
export function recordScoredResponse(
  state: ScoreState,
  response: ScoredResponse,
  { now = Date.now(), ...ema }: UpdateOptions = {},
): ScoreState {
  const parsed = ScoredResponseSchema.safeParse(response);
  if (!parsed.success) {
    throw new StateFileError('STATE_INVALID_UPDATE', 'Invalid scored response.', {
      details: z.prettifyError(parsed.error),
      cause: parsed.error,
    });
  }
  const { uid, hotkey, tier, score, latencyMs } = parsed.data;
  const current = state.miners.find((miner) => miner.uid === uid);
  const base =
    current && current.hotkey === hotkey && current.tier === tier
      ? current
      : fresh(uid, hotkey, tier, now);
  const [moved] = recordScore([base], { uid, hotkey, tier, score }, ema);
  return insert(state, {
    ...base,
    score: moved!.score,
    observations: base.observations + 1,
    zeroScores: base.zeroScores + (score === 0 ? 1 : 0),
    lastLatencyMs: latencyMs ?? base.lastLatencyMs,
    updatedAt: now,
  });
}

export interface NeuronAssignment {
  uid: number;
  hotkey: string;
  /** The tier the miner now reports (from its Metadata); omitted when unknown. */
  tier?: string | undefined;
}

/**
 * Aligns the state with the metagraph and the miners' reported tiers: uids that are gone
 * are dropped, and a uid now held by another hotkey, or serving another tier, restarts
 * from 0 with its counts cleared.
 */
export function reconcileScoreState(
  state: ScoreState,
  neurons: readonly NeuronAssignment[],
  { now = Date.now() }: { now?: number } = {},
): ScoreState {
  const byUid = new Map(neurons.map((neuron) => [neuron.uid, neuron]));
  const miners = state.miners.flatMap((miner) => {
    const neuron = byUid.get(miner.uid);
    if (neuron === undefined) return [];
    const tier = neuron.tier ?? miner.tier;
    if (neuron.hotkey === miner.hotkey && tier === miner.tier) return [miner];
    return [fresh(miner.uid, neuron.hotkey, tier, now)];
  });
  return { ...state, miners };
}
