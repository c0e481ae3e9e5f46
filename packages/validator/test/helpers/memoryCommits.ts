import type { EmitWeightsParameters, WeightCommitRecord } from '@signal/validator';

/** The commit book `emitWeights` writes to, held in memory for tests that never commit. */
export function memoryCommits(): EmitWeightsParameters['store'] & { saves: number } {
  const commits: WeightCommitRecord[] = [];
  return {
    commits,
    saves: 0,
    recordCommit(record) {
      commits.push(record);
    },
    async save() {
      this.saves += 1;
    },
  };
}
