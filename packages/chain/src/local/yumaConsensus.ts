/**
 * A compact Yuma-style epoch, the consensus LocalChain runs at each tempo boundary.
 *
 * Inputs: validators with stake `S_v` (normalised to sum 1 over validators that submitted
 * weights) and their weight rows `W[v][m]` (each normalised to sum 1).
 *
 * 1. Consensus `C[m]` is the stake-weighted κ-quantile of the column `W[·][m]` taken from
 *    above: the largest `w` such that validators holding at least κ of the stake give `m` a
 *    weight ≥ w (κ = 0.5: what a stake majority agrees `m` deserves at least).
 * 2. Weights are clipped to consensus: `W̄[v][m] = min(W[v][m], C[m])`, so a minority cannot
 *    inflate a miner beyond what the majority supports.
 * 3. Rank `R[m] = Σ_v S_v W̄[v][m]`; incentive `I = R / ΣR`; trust `T[m] = R[m] / Σ_v S_v W[v][m]`
 *    (the share of a miner's weight that survived clipping).
 * 4. Bonds are this epoch's clipped stake-weights per miner column,
 *    `B[v][m] = S_v W̄[v][m] / Σ_v' S_v' W̄[v'][m]`; dividends `D[v] = Σ_m B[v][m] I[m]`,
 *    normalised to sum 1. (Yuma smooths bonds with an EMA; one epoch suffices here.)
 *
 * Emission for the epoch is split in half: miners by incentive, validators by dividends.
 */
export interface EpochInput {
  /** Number of uids on the subnet. */
  n: number;
  /** Stake per uid (any unit; only ratios matter). */
  stake: readonly number[];
  /** Sparse weight rows: validator uid → (miner uid → weight). */
  weights: ReadonlyMap<number, ReadonlyMap<number, number>>;
  kappa?: number;
}

export interface EpochOutput {
  consensus: number[];
  incentive: number[];
  trust: number[];
  dividends: number[];
}

const sum = (values: readonly number[]): number => values.reduce((acc, v) => acc + v, 0);

export function yumaConsensus(input: EpochInput): EpochOutput {
  const { n } = input;
  const kappa = input.kappa ?? 0.5;
  const zeros = (): number[] => Array<number>(n).fill(0);
  const rows = [...input.weights.entries()]
    .map(([validator, row]) => {
      const total = sum([...row.values()]);
      const normalised = new Map<number, number>();
      if (total > 0) for (const [miner, w] of row) if (miner < n) normalised.set(miner, w / total);
      return { validator, row: normalised, stake: input.stake[validator] ?? 0 };
    })
    .filter((entry) => entry.row.size > 0 && entry.stake > 0);
  const totalStake = sum(rows.map((r) => r.stake));
  const result: EpochOutput = {
    consensus: zeros(),
    incentive: zeros(),
    trust: zeros(),
    dividends: zeros(),
  };
  if (totalStake === 0) return result;
  const validators = rows.map((r) => ({ ...r, share: r.stake / totalStake }));

  const rank = zeros();
  const preClip = zeros();
  const clipped = validators.map(() => zeros());
  for (let miner = 0; miner < n; miner += 1) {
    const column = validators
      .map((v) => ({ w: v.row.get(miner) ?? 0, share: v.share }))
      .sort((a, b) => b.w - a.w);
    let support = 0;
    let consensus = 0;
    for (const entry of column) {
      support += entry.share;
      if (support >= kappa - 1e-12) {
        consensus = entry.w;
        break;
      }
    }
    result.consensus[miner] = consensus;
    validators.forEach((v, index) => {
      const w = v.row.get(miner) ?? 0;
      const bounded = Math.min(w, consensus);
      clipped[index]![miner] = bounded;
      rank[miner]! += v.share * bounded;
      preClip[miner]! += v.share * w;
    });
  }
  const rankTotal = sum(rank);
  for (let miner = 0; miner < n; miner += 1) {
    result.incentive[miner] = rankTotal > 0 ? rank[miner]! / rankTotal : 0;
    result.trust[miner] = preClip[miner]! > 0 ? rank[miner]! / preClip[miner]! : 0;
  }
  const dividends = validators.map((v, index) => {
    let d = 0;
    for (let miner = 0; miner < n; miner += 1) {
      if (rank[miner]! > 0)
        d += ((v.share * clipped[index]![miner]!) / rank[miner]!) * result.incentive[miner]!;
    }
    return d;
  });
  const dividendTotal = sum(dividends);
  validators.forEach((v, index) => {
    result.dividends[v.validator] = dividendTotal > 0 ? dividends[index]! / dividendTotal : 0;
  });
  return result;
}
