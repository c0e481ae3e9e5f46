export { minerDetailView, minersView } from './minersView';
export {
  qualitySamples,
  type ValidatorDashboardParameters,
  validatorDashboardSources,
} from './validatorDashboardSources';
