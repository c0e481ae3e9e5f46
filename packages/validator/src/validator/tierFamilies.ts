import type { TaskFamily } from '../tasks/Task';

/** Families every tier deals when nothing is configured. */
export const DEFAULT_FAMILIES: readonly TaskFamily[] = ['needle', 'continuation', 'existence'];

/**
 * Tiers whose default differs: `research`, the tier that carries the incentive, asks several
 * questions of each condensed context, so miners are paid for what a condensation keeps for
 * any question, not for one guessed in advance.
 */
export const DEFAULT_TIER_FAMILIES: Readonly<Record<string, readonly TaskFamily[]>> = {
  research: ['multi_query'],
};

/** Which families a tier deals. */
export interface FamilyPlan {
  /** Families for every tier (overrides the defaults). */
  readonly families?: readonly TaskFamily[] | undefined;
  /** Families by tier name (overrides `families` for that tier). */
  readonly tierFamilies?: Readonly<Record<string, readonly TaskFamily[]>> | undefined;
}

/** A tier's families: its own entry, else the configured list, else the defaults. */
export function familiesForTier(plan: FamilyPlan, tier: string): readonly TaskFamily[] {
  return (
    plan.tierFamilies?.[tier] ??
    plan.families ??
    (Object.hasOwn(DEFAULT_TIER_FAMILIES, tier) ? DEFAULT_TIER_FAMILIES[tier]! : DEFAULT_FAMILIES)
  );
}
