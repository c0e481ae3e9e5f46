export { createValidatorWorker } from './createValidatorWorker';
export { HostedEvaluator, type HostedEvaluatorOptions } from './HostedEvaluator';
export type { EvaluateJob, ValidatorJobs, ValidatorWorkerInit } from './ValidatorJobs';
export { validatorWorkerModule } from './validatorWorkerModule';
