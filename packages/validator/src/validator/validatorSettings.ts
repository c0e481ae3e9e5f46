import { loadTiers, type TierConfig, TierError } from '@signal/core';
import { recallVocabulary } from '@signal/runtime';
import { z } from 'zod';
import { RecallVocabularySchema } from '../tasks/RecallVocabulary';
import { isReferenceFamily } from '../tasks/ruler/referenceFamilies';
import { TaskFamilySchema } from '../tasks/Task';
import type { StartValidatorOptions } from './StartValidatorOptions';
import { ValidatorError } from './ValidatorError';

/** The scalar options, checked before anything starts so a typo fails loudly. */
export const ValidatorSettingsSchema = z.object({
  netuid: z.number().int().nonnegative().max(65_535),
  models: z.record(z.string().min(1), z.string().min(1)),
  stateFile: z.string().min(1),
  epochLengthSeconds: z.number().positive().finite().default(600),
  seed: z.number().int().optional(),
  tasksPerMiner: z.number().int().nonnegative().max(10_000).optional(),
  versionKey: z.number().int().nonnegative().default(0),
  /** Families for every tier; unset, each tier deals its default (see `familiesForTier`). */
  families: z.array(TaskFamilySchema).min(1).optional(),
  /** Families by tier name, over `families`. */
  tierFamilies: z.record(z.string().min(1), z.array(TaskFamilySchema).min(1)).optional(),
  unscoredFraction: z.number().min(0).max(1).default(0.1),
  batchSize: z.number().int().positive().max(256).default(8),
  metadataTimeoutSeconds: z.number().positive().finite().default(5),
  maxContinuationTokens: z.number().int().min(1).max(4096).default(32),
  recall: z
    .object({ vocabulary: RecallVocabularySchema, pairs: z.number().int().min(1).default(4) })
    .optional(),
});
export type ValidatorSettings = z.infer<typeof ValidatorSettingsSchema>;

export function validatorSettings(options: StartValidatorOptions): ValidatorSettings {
  const parsed = ValidatorSettingsSchema.safeParse({
    netuid: options.netuid,
    models: options.models,
    stateFile: options.stateFile,
    epochLengthSeconds: options.epochLengthSeconds,
    seed: options.seed,
    tasksPerMiner: options.tasksPerMiner,
    versionKey: options.versionKey,
    families: options.families,
    tierFamilies: options.tierFamilies,
    unscoredFraction: options.unscoredFraction,
    batchSize: options.batchSize,
    metadataTimeoutSeconds: options.metadataTimeoutSeconds,
    maxContinuationTokens: options.maxContinuationTokens,
    recall: options.recall,
  });
  if (!parsed.success) {
    throw new ValidatorError('VALIDATOR_BAD_OPTIONS', 'Invalid validator options.', {
      details: z.prettifyError(parsed.error),
      cause: parsed.error,
    });
  }
  const { families, tierFamilies } = parsed.data;
  const configured = [...(families ?? []), ...Object.values(tierFamilies ?? {}).flat()];
  if (families === undefined && tierFamilies === undefined) {
    // The defaults deal multi_query on the research tier, over the reference model's vocabulary.
    return {
      ...parsed.data,
      recall: parsed.data.recall ?? { vocabulary: recallVocabulary(), pairs: 4 },
    };
  }
  const reference = configured.find(isReferenceFamily);
  if (reference !== undefined && parsed.data.recall === undefined) {
    throw new ValidatorError(
      'VALIDATOR_BAD_OPTIONS',
      `The ${reference} family needs a vocabulary.`,
      {
        details:
          "recall, multi_needle, multi_query, variable_tracking and aggregation tasks are built for reference models: pass `recall.vocabulary` (in a config file, `recall: { vocabulary: reference }` for the builder's recall model), or leave them out of `families`",
      },
    );
  }
  return parsed.data;
}

/** The tier table, validated (incentives summing to 1, sane ranges). */
export function validatorTiers(tiers: unknown): readonly TierConfig[] {
  try {
    return loadTiers(tiers);
  } catch (error) {
    if (error instanceof TierError) {
      throw new ValidatorError('VALIDATOR_BAD_OPTIONS', 'Invalid tier table.', {
        details: error.message,
        cause: error,
      });
    }
    throw error;
  }
}
