/** One miner's results within one epoch, summed as they arrive. */
export interface MinerTally {
  requests: number;
  scored: number;
  /** Scored responses that passed validation. */
  valid: number;
  accuracy: number;
  fidelity: number;
  fidelityCount: number;
  compression: number;
  latencyMs: number;
  latencyCount: number;
  score: number;
}

export function emptyTally(): MinerTally {
  return {
    requests: 0,
    scored: 0,
    valid: 0,
    accuracy: 0,
    fidelity: 0,
    fidelityCount: 0,
    compression: 0,
    latencyMs: 0,
    latencyCount: 0,
    score: 0,
  };
}

/**
 * Means of a tally; zeros for a miner that had no scored request. Accuracy and score count an
 * invalid response as 0; compression is the mean over valid payloads only.
 */
export function tallyMeans(tally: MinerTally): {
  accuracy: number;
  fidelity: number;
  compression: number;
  latencyMs: number;
  score: number;
} {
  const mean = (sum: number, count: number) => (count === 0 ? 0 : sum / count);
  return {
    accuracy: mean(tally.accuracy, tally.scored),
    fidelity: mean(tally.fidelity, tally.fidelityCount),
    compression: mean(tally.compression, tally.valid),
    latencyMs: mean(tally.latencyMs, tally.latencyCount),
    score: mean(tally.score, tally.scored),
  };
}
