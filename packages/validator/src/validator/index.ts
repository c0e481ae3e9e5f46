export type { RunningValidator } from './RunningValidator';
export type { StartValidatorOptions, ValidatorHotkey } from './StartValidatorOptions';
export { startValidator } from './startValidator';
export { ValidatorError, type ValidatorErrorCode } from './ValidatorError';
export {
  type ValidatorSettings,
  ValidatorSettingsSchema,
  validatorSettings,
  validatorTiers,
} from './validatorSettings';
