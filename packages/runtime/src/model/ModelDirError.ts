import { SignalError } from '@signal/core';

/** Why a model directory could not be used; each code names one kind of fault. */
export type ModelDirErrorCode =
  | 'MODEL_FILE_MISSING'
  | 'MODEL_CONFIG_INVALID'
  | 'MODEL_IO_UNSUPPORTED'
  | 'MODEL_SESSION_FAILED';

/** A model directory is missing a file, has an unreadable config, or a graph the runtime cannot drive. */
export class ModelDirError extends SignalError<ModelDirErrorCode> {
  override name = 'ModelDirError';
}
