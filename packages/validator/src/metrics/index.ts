export { ValidatorMetrics } from './ValidatorMetrics';
