import type { TierConfig } from '@signal/core';

/** The first of the tier's supporting models that this validator can evaluate, if any. */
export function tierModel(
  tier: Pick<TierConfig, 'supportingModels'>,
  canEvaluate: (model: string) => boolean,
): string | undefined {
  return tier.supportingModels.find(canEvaluate);
}
