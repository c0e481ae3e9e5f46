export { type ComputedWeights, computeWeights } from './computeWeights';
export { type EmitWeightsParameters, emitWeights } from './emitWeights';
export type { WeightsOutcome } from './WeightsOutcome';
