export { loadValidatorConfig } from './loadValidatorConfig';
export { resolveValidatorSettings, type ValidatorCliSettings } from './resolveValidatorSettings';
export { type RunValidatorCliOptions, runValidatorCli } from './runValidatorCli';
export { ValidatorCliError, type ValidatorCliErrorCode } from './ValidatorCliError';
export { type ValidatorConfigFile, ValidatorConfigFileSchema } from './ValidatorConfigFile';
export { type ValidatorFlags, validatorCommand } from './validatorCommand';
