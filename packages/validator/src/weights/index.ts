export { type CheckRevealsParameters, checkReveals } from './checkReveals';
export { type CommitRevealView, type CommitView, commitRevealView } from './commitRevealView';
export { type ComputedWeights, computeWeights } from './computeWeights';
export { type EmitWeightsParameters, emitWeights } from './emitWeights';
export { type CommitObservation, verifyCommits } from './verifyCommits';
export type { WeightsOutcome } from './WeightsOutcome';
