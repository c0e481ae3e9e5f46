export {
  type CondenseRequest,
  CondenseRequestSchema,
  type CondenseResponse,
} from './CondenseRequest';
export { GatewayError, type GatewayErrorCode } from './GatewayError';
export { methodFormat } from './methodFormat';
export { rankCandidates } from './rankCandidates';
export { type ResolvedCondenseRequest, resolveCondenseRequest } from './resolveCondenseRequest';
export { type RouteCondenseParameters, type RoutedCondense, routeCondense } from './routeCondense';
export {
  type GatewayDependencies,
  type GatewaySettings,
  type RunningGateway,
  startGateway,
} from './startGateway';
