import type { CondensedPayloadFormat } from '@signal/core';
import type { MinerTarget } from '../query/MinerTarget';
import type { MinerState } from '../state/ScoreState';
import { methodFormat } from './methodFormat';

/**
 * The tier's miners that serve the model and are under their in-flight cap, best first:
 * miners whose methods make the wanted format (if one is asked for), then highest moving
 * score, then lowest last latency, then lowest uid. A miner the state does not know yet ranks
 * after every scored one.
 */
export function rankCandidates(
  miners: readonly MinerTarget[],
  scores: readonly MinerState[],
  model: string,
  inFlight: (uid: number) => number,
  maxInFlight: number,
  format?: CondensedPayloadFormat,
): MinerTarget[] {
  const byUid = new Map(scores.map((score) => [score.uid, score]));
  const state = (miner: MinerTarget) => {
    const entry = byUid.get(miner.uid);
    return entry && entry.hotkey === miner.hotkey && entry.tier === miner.tier ? entry : undefined;
  };
  const makes = (miner: MinerTarget) =>
    format === undefined || miner.methods.some((method) => methodFormat(method) === format);
  return miners
    .filter((miner) => miner.models.length === 0 || miner.models.includes(model))
    .filter((miner) => inFlight(miner.uid) < maxInFlight)
    .sort((a, b) => {
      const formatDiff = Number(makes(b)) - Number(makes(a));
      if (formatDiff !== 0) return formatDiff;
      const sa = state(a);
      const sb = state(b);
      const scoreDiff = (sb?.score ?? -1) - (sa?.score ?? -1);
      if (scoreDiff !== 0) return scoreDiff;
      const latencyDiff =
        (sa?.lastLatencyMs ?? Number.POSITIVE_INFINITY) -
        (sb?.lastLatencyMs ?? Number.POSITIVE_INFINITY);
      if (latencyDiff !== 0 && Number.isFinite(latencyDiff)) return latencyDiff;
      return a.uid - b.uid;
    });
}
