import { z } from 'zod';
import { type TierConfig, TierConfigSchema } from './TierConfig';
import { TierError } from './TierError';

/** Incentives are fractions typed by people; allow the rounding slack of e.g. three thirds. */
export const INCENTIVE_SUM_EPSILON = 1e-6;

export interface LoadTiersOptions {
  /** Models this deployment can actually serve; every tier's models must be among them. */
  knownModels?: readonly string[] | undefined;
}

/** The schema of a whole tier table, with the cross-tier rules that a single tier cannot check. */
export function tierTableSchema(options: LoadTiersOptions = {}) {
  const known = options.knownModels === undefined ? undefined : new Set(options.knownModels);
  return z
    .array(TierConfigSchema)
    .min(1, 'at least one tier is required')
    .superRefine((tiers, ctx) => {
      const seen = new Set<string>();
      tiers.forEach((tier, index) => {
        if (seen.has(tier.name)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'name'],
            message: `duplicate tier name "${tier.name}"`,
          });
        }
        seen.add(tier.name);
        if (known === undefined) return;
        tier.supportingModels.forEach((model, modelIndex) => {
          if (!known.has(model)) {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'supportingModels', modelIndex],
              message: `unknown model "${model}" (known: ${[...known].join(', ') || 'none'})`,
            });
          }
        });
      });
      const sum = tiers.reduce((total, tier) => total + tier.incentive, 0);
      if (Math.abs(sum - 1) > INCENTIVE_SUM_EPSILON) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: `tier incentives must sum to 1, got ${sum}`,
        });
      }
    });
}

/**
 * Validates a tier table from configuration (a parsed config file, CLI overrides, a test
 * fixture) and returns it frozen. Every rule that fails is listed in the error's details.
 */
export function loadTiers(
  userConfig: unknown,
  options: LoadTiersOptions = {},
): readonly TierConfig[] {
  const result = tierTableSchema(options).safeParse(userConfig);
  if (!result.success) {
    throw new TierError('TIER_CONFIG_INVALID', 'Invalid tier configuration.', {
      details: z.prettifyError(result.error),
      cause: result.error,
    });
  }
  return Object.freeze(result.data.map((tier) => Object.freeze(tier)));
}
