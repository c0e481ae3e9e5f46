export { type BuildMinerViewParameters, buildMinerView } from './buildMinerView';
export { MinerViewPublisher, type MinerViewPublisherOptions } from './MinerViewPublisher';
export { organicScoring, type ValidatorOrganicScoring } from './organicScoring';
