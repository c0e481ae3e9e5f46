import { z } from 'zod';
import { type EmaOptions, ema } from './ema';
import { ScoringError } from './ScoringError';

/** A miner's moving score, tied to the hotkey and tier it was earned under. */
export const MinerScoreSchema = z.object({
  uid: z.number().int().nonnegative(),
  hotkey: z.string().min(1),
  tier: z.string().min(1),
  score: z.number().min(0).max(1),
});

export type MinerScore = z.infer<typeof MinerScoreSchema>;

/** Every miner's score, ordered by uid, one entry per uid; parse persisted state with this. */
export const MinerScoresSchema = z.array(MinerScoreSchema).superRefine((scores, ctx) => {
  scores.forEach((entry, index) => {
    if (index > 0 && entry.uid <= scores[index - 1]!.uid) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'uid'],
        message: `uids must be unique and ascending, uid ${entry.uid} follows ${scores[index - 1]!.uid}`,
      });
    }
  });
});

export type MinerScores = readonly MinerScore[];

/** A freshly scored response, attributed to the uid, hotkey and tier that produced it. */
export type ScoreObservation = MinerScore;

/**
 * Folds one response score into the miner's moving score. A uid whose hotkey changed
 * (a new registration) or whose tier changed starts again from zero, so history earned
 * by someone else, or under other rules, never carries over.
 */
export function recordScore(
  scores: MinerScores,
  observation: ScoreObservation,
  options: EmaOptions = {},
): MinerScores {
  const parsed = MinerScoreSchema.safeParse(observation);
  if (!parsed.success) {
    throw new ScoringError('SCORES_INVALID', 'Invalid score observation.', {
      details: z.prettifyError(parsed.error),
      cause: parsed.error,
    });
  }
  const { uid, hotkey, tier, score } = parsed.data;
  const current = scores.find((entry) => entry.uid === uid);
  const carried = current && current.hotkey === hotkey && current.tier === tier ? current.score : 0;
  const next: MinerScore = { uid, hotkey, tier, score: ema(carried, score, options) };
  return [...scores.filter((entry) => entry.uid !== uid), next].sort((a, b) => a.uid - b.uid);
}

/**
 * Aligns scores with the metagraph: uids that are gone are dropped, and a uid now held by
 * another hotkey restarts from zero.
 */
export function reconcileMinerScores(
  scores: MinerScores,
  neurons: readonly { readonly uid: number; readonly hotkey: string }[],
): MinerScores {
  const hotkeys = new Map(neurons.map((neuron) => [neuron.uid, neuron.hotkey]));
  return scores.flatMap((entry) => {
    const hotkey = hotkeys.get(entry.uid);
    if (hotkey === undefined) return [];
    return [hotkey === entry.hotkey ? entry : { ...entry, hotkey, score: 0 }];
  });
}
