export { AllocationMeter, type AllocationReport } from './allocationMeter';
export {
  applyByteMutations,
  type ByteMutation,
  byteMutation,
  byteMutations,
} from './byteMutations';
export {
  type AsyncFuzzTarget,
  asyncFuzzTarget,
  CASE_CPU_MS,
  type FuzzTarget,
  fuzzRuns,
  fuzzSeed,
  fuzzTarget,
} from './fuzzTarget';
export {
  applyJsonMutations,
  type JsonMutation,
  jsonMutation,
  jsonMutations,
} from './jsonMutations';
export { position } from './position';
