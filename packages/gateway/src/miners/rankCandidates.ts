import type { CondensedPayloadFormat } from '@signal/core';
import type { MinerEntry } from './MinerView';
import { methodFormat } from './methodFormat';

export interface RankCandidatesParameters {
  miners: readonly MinerEntry[];
  model: string;
  /** Requests this replica has in flight to a miner, against `maxInFlight`. */
  inFlight: (uid: number) => number;
  maxInFlight: number;
  /** Hotkeys every replica leaves alone for now (failures, a miner's Retry-After). */
  coolingDown: (hotkey: string) => boolean;
  format?: CondensedPayloadFormat | undefined;
}

/**
 * The miners that serve the model, are not cooling down and are under their in-flight cap,
 * best first: miners whose methods make the wanted format (if one is asked for), then
 * highest moving score, then lowest last latency, then lowest uid.
 */
export function rankCandidates({
  miners,
  model,
  inFlight,
  maxInFlight,
  coolingDown,
  format,
}: RankCandidatesParameters): MinerEntry[] {
  const makes = (miner: MinerEntry) =>
    format === undefined || miner.methods.some((method) => methodFormat(method) === format);
  return miners
    .filter((miner) => miner.models.length === 0 || miner.models.includes(model))
    .filter((miner) => !coolingDown(miner.hotkey) && inFlight(miner.uid) < maxInFlight)
    .sort((a, b) => {
      const formatDiff = Number(makes(b)) - Number(makes(a));
      if (formatDiff !== 0) return formatDiff;
      const scoreDiff = b.score - a.score;
      if (scoreDiff !== 0) return scoreDiff;
      const latencyDiff =
        (a.latencyMs ?? Number.POSITIVE_INFINITY) - (b.latencyMs ?? Number.POSITIVE_INFINITY);
      if (latencyDiff !== 0 && Number.isFinite(latencyDiff)) return latencyDiff;
      return a.uid - b.uid;
    });
}
