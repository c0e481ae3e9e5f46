export { type MetricsServer, serveMetrics } from './serveMetrics';
export { ValidatorMetrics } from './ValidatorMetrics';
