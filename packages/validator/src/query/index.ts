export type { MinerTarget } from './MinerTarget';
export type { QueryOutcome } from './QueryOutcome';
export { type QueryCondenseParameters, queryCondense } from './queryCondense';
export {
  type FrameQueryOutcome,
  type QueryCondenseFrameParameters,
  queryCondenseFrame,
} from './queryCondenseFrame';
export { type MinerMetadata, queryMetadata } from './queryMetadata';
