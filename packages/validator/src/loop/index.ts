export { batches } from './batches';
export type { EpochContext } from './EpochContext';
export type { EpochReport } from './EpochReport';
export { epochSeed } from './epochSeed';
export { MinerDirectory } from './MinerDirectory';
export { emptyTally, type MinerTally, tallyMeans } from './MinerTally';
export { requestsPerMiner } from './requestsPerMiner';
export { runEpoch } from './runEpoch';
export {
  METADATA_CONCURRENCY,
  type SyncMinersParameters,
  type SyncResult,
  syncMiners,
} from './syncMiners';
export { tierModel } from './tierModel';
