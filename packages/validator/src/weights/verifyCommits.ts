import type { WeightCommitRecord } from '../state/WeightCommitRecord';

/** What a sync saw on chain, for the commits of one hotkey on one subnet. */
export interface CommitObservation {
  block: number;
  /** The epoch index of `block`. */
  epoch: number;
  /** The newest beacon round the chain has ingested. */
  lastStoredRound: number;
  /** Hashes of this hotkey's commits the chain still holds. */
  heldCommitHashes: ReadonlySet<string>;
  /** The hotkey's weights on chain now, [uid, u16 weight]. */
  weightsOnChain: ReadonlyArray<readonly [number, number]>;
}

function sameWeights(
  record: WeightCommitRecord,
  row: ReadonlyArray<readonly [number, number]>,
): boolean {
  const committed = record.uids
    .map((uid, i) => [uid, record.weights[i]!] as const)
    .filter(([, weight]) => weight > 0)
    .sort((a, b) => a[0] - b[0]);
  const held = [...row].filter(([, weight]) => weight > 0).sort((a, b) => a[0] - b[0]);
  return (
    committed.length === held.length &&
    committed.every(([uid, w], i) => held[i]![0] === uid && held[i]![1] === w)
  );
}

/**
 * Settles pending commits against what the chain shows: one is still pending while the
 * chain holds it or its reveal epoch has not come; once the chain has let go of it, it was
 * revealed if the chain now holds exactly its weights, superseded if a later commit of ours
 * that has also come due holds them instead, and missing otherwise. Pure: returns the new
 * records and the commits it settled.
 */
export function verifyCommits(
  records: readonly WeightCommitRecord[],
  observation: CommitObservation,
): { records: WeightCommitRecord[]; settled: WeightCommitRecord[] } {
  const settled: WeightCommitRecord[] = [];
  const next = records.map((record, index) => {
    if (record.status !== 'pending') return record;
    if (observation.heldCommitHashes.has(record.commitHash)) return record;
    if (observation.epoch < record.revealEpoch) return record;
    let status: WeightCommitRecord['status'];
    let detail: string | undefined;
    if (sameWeights(record, observation.weightsOnChain)) {
      status = 'revealed';
    } else if (
      records
        .slice(index + 1)
        .some(
          (later) =>
            later.netuid === record.netuid &&
            later.revealEpoch <= observation.epoch &&
            sameWeights(later, observation.weightsOnChain),
        )
    ) {
      status = 'superseded';
    } else {
      status = 'missing';
      detail =
        observation.lastStoredRound < record.revealRound
          ? `the chain never ingested round ${record.revealRound} (its newest is ${observation.lastStoredRound}), so the commit expired`
          : `the chain held round ${record.revealRound} but did not apply these weights: it could not open the commit or refused the weights`;
    }
    const updated: WeightCommitRecord = {
      ...record,
      status,
      checkedAtBlock: observation.block,
      ...(detail === undefined ? {} : { detail }),
    };
    settled.push(updated);
    return updated;
  });
  return { records: next, settled };
}
