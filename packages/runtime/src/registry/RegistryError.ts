import { SignalError } from '@signal/core';

export type RegistryErrorCode =
  | 'REGISTRY_UNKNOWN_MODEL'
  | 'REGISTRY_OVER_BUDGET'
  | 'REGISTRY_DISPOSED'
  | 'REGISTRY_ABORTED'
  | 'REGISTRY_INVALID_OPTIONS';

/** A registry request named no known model, could never fit the budget, or was cancelled. */
export class RegistryError extends SignalError<RegistryErrorCode> {
  override name = 'RegistryError';
}
