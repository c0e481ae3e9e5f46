export type { MinerTarget } from './MinerTarget';
export type { QueryOutcome } from './QueryOutcome';
export { type QueryCondenseParameters, queryCondense } from './queryCondense';
export { type MinerMetadata, queryMetadata } from './queryMetadata';
