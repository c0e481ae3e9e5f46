import { SignalError } from '@signal/core';

/** Why a model directory could not be used; each code names one kind of fault. */
export type ModelDirErrorCode =
  | 'MODEL_FILE_MISSING'
  | 'MODEL_CONFIG_INVALID'
  | 'MODEL_IO_UNSUPPORTED'
  | 'MODEL_GRAPH_INVALID'
  | 'MODEL_SESSION_FAILED'
  | 'MODEL_LAYOUT_UNKNOWN'
  | 'MODEL_VARIANT_MISSING'
  | 'MODEL_EXTERNAL_DATA_MISSING'
  | 'MODEL_OP_UNSUPPORTED'
  | 'MODEL_OPSET_UNSUPPORTED';

/** A model directory is missing a file, has an unreadable config, or a graph the runtime cannot drive. */
export class ModelDirError extends SignalError<ModelDirErrorCode> {
  override name = 'ModelDirError';
}
