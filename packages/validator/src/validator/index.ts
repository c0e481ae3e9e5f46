export type { RunningValidator } from './RunningValidator';
export type { StartValidatorOptions, ValidatorHotkey } from './StartValidatorOptions';
export { startValidator } from './startValidator';
export {
  DEFAULT_FAMILIES,
  DEFAULT_TIER_FAMILIES,
  type FamilyPlan,
  familiesForTier,
} from './tierFamilies';
export { ValidatorError, type ValidatorErrorCode } from './ValidatorError';
export {
  type ValidatorSettings,
  ValidatorSettingsSchema,
  validatorSettings,
  validatorTiers,
} from './validatorSettings';
