export { isSignalError, SignalError, type SignalErrorOptions } from './errors/SignalError';
export type { SynapseOf, SynapseSpec } from './synapses/SynapseSpec';
export {
  type BtTensor,
  BtTensorSchema,
  DTYPES,
  type DType,
  DTypeSchema,
  declaredByteLength,
  elementCount,
} from './tensor/BtTensor';
export { assertContextFits, contextLength } from './tiers/assertContextFits';
export { DEFAULT_SUPPORTING_MODEL, DEFAULT_TIERS } from './tiers/defaultTiers';
export { getTier } from './tiers/getTier';
export {
  INCENTIVE_SUM_EPSILON,
  type LoadTiersOptions,
  loadTiers,
  tierTableSchema,
} from './tiers/loadTiers';
export { type TierConfig, TierConfigSchema } from './tiers/TierConfig';
export { TIER_ERROR_CODES, TierError, type TierErrorCode } from './tiers/TierError';
export { type PyType, py } from './wire/pyType';
