import type { MinerDetail, MinerSummary, MinersView } from '@signal/dashboard';
import type { HistoryStore } from '../history/HistoryStore';
import type { ScoreState } from '../state/ScoreState';

/**
 * The Miners page from the validator's history and moving scores: every miner it keeps a
 * score or a history for (under its current hotkey), its last epoch, failures summed over
 * the epochs kept, and its score trend.
 */
export function minersView(history: HistoryStore, state: ScoreState, now = Date.now()): MinersView {
  const scored = new Map(state.miners.map((miner) => [miner.uid, miner]));
  const recorded = new Map(history.miners().map((miner) => [miner.uid, miner]));
  const uids = [...new Set([...scored.keys(), ...recorded.keys()])].sort((a, b) => a - b);
  let newest: number | null = null;
  const miners = uids.flatMap((uid): MinerSummary[] => {
    const score = scored.get(uid);
    const past = recorded.get(uid);
    const epochs = past && (!score || past.hotkey === score.hotkey) ? past.epochs : [];
    const last = epochs.at(-1);
    if (last && (newest === null || last.epoch > newest)) newest = last.epoch;
    const hotkey = score?.hotkey ?? past?.hotkey;
    const tier = score?.tier ?? last?.tier;
    if (hotkey === undefined || tier === undefined) return [];
    const failures = { timeout: 0, invalid_payload: 0, refused: 0 };
    for (const epoch of epochs) {
      failures.timeout += epoch.failures.timeout;
      failures.invalid_payload += epoch.failures.invalid_payload;
      failures.refused += epoch.failures.refused;
    }
    return [
      {
        uid,
        hotkey,
        tier,
        method: last?.method ?? null,
        moving_score: Math.min(1, score?.score ?? last?.moving_score ?? 0),
        weight: last?.weight ?? 0,
        last_epoch: last?.epoch ?? null,
        last_score: last?.score ?? null,
        failures,
        latency_ms: last?.latency_ms ?? null,
        trend: epochs.map((epoch) => ({ epoch: epoch.epoch, score: epoch.score })),
      },
    ];
  });
  return { epoch: newest, history_epochs: history.limits.maxEpochs, miners, generated_at: now };
}

/** One miner's page section; null for a uid with neither history nor score. */
export function minerDetailView(
  history: HistoryStore,
  state: ScoreState,
  uid: number,
  now = Date.now(),
): MinerDetail | null {
  const score = state.miners.find((miner) => miner.uid === uid);
  const past = history.miner(uid);
  const current = past && (!score || past.hotkey === score.hotkey) ? past : undefined;
  const last = current?.epochs.at(-1);
  const hotkey = score?.hotkey ?? current?.hotkey;
  const tier = score?.tier ?? last?.tier;
  if (hotkey === undefined || tier === undefined) return null;
  return {
    uid,
    hotkey,
    tier,
    method: last?.method ?? null,
    moving_score: Math.min(1, score?.score ?? last?.moving_score ?? 0),
    weight: last?.weight ?? 0,
    epochs: current?.epochs ?? [],
    evaluations: current?.evaluations ?? [],
    generated_at: now,
  };
}
