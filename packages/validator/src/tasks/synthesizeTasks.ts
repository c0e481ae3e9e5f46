import { z } from 'zod';
import { SeededRandom } from '../corpus/SeededRandom';
import { synthesizeContinuationTask } from './continuationTask';
import { synthesizeExistenceTask } from './existenceTask';
import { synthesizeNeedleTask } from './needleTask';
import { RecallVocabularySchema } from './RecallVocabulary';
import { synthesizeRecallTask } from './recallTask';
import { synthesizeAggregationTask } from './ruler/aggregationTask';
import { synthesizeMultiNeedleTask } from './ruler/multiNeedleTask';
import { synthesizeMultiQueryTask } from './ruler/multiQueryTask';
import { RulerOptionsSchema } from './ruler/RulerOptions';
import { isReferenceFamily } from './ruler/referenceFamilies';
import { synthesizeVariableTrackingTask } from './ruler/variableTrackingTask';
import { type Task, type TaskFamily, TaskFamilySchema } from './Task';
import { TaskSynthesisError } from './TaskSynthesisError';
import { type TaskTier, TaskTierSchema } from './TaskTier';

interface TaskBaseParameters {
  random: SeededRandom;
  id: string;
  tier: TaskTier;
}

import { taskId } from './taskId';

export const SynthesizeTasksParametersSchema = z
  .object({
    /** Any string; an epoch's seed should be secret to the validator until the epoch ends. */
    seed: z.string().min(1),
    tier: TaskTierSchema,
    // Bounded so a typo in a config cannot make an epoch allocate without limit.
    count: z.number().int().nonnegative().max(100_000),
    families: z.array(TaskFamilySchema).min(1),
    /** Facts per needle task (the target plus distractors). */
    needles: z.number().int().min(1).max(32).default(4),
    /** Minimum held-out characters per continuation task. */
    continuationChars: z.number().int().positive().default(256),
    /** The reference vocabulary: needed when `families` includes a reference family. */
    recall: z
      .object({
        vocabulary: RecallVocabularySchema,
        /** Pairs per `recall` task. */
        pairs: z.number().int().min(1).default(4),
      })
      .optional(),
    /** Knobs of the RULER-style families (multi_needle, multi_query, variable_tracking, aggregation). */
    ruler: RulerOptionsSchema.prefault({}),
  })
  .refine(
    (parameters) => !parameters.families.some(isReferenceFamily) || parameters.recall !== undefined,
    {
      path: ['recall'],
      message:
        'the recall, multi_needle, multi_query, variable_tracking and aggregation families need a recall vocabulary',
    },
  );
export type SynthesizeTasksParameters = z.input<typeof SynthesizeTasksParametersSchema>;

/**
 * `count` tasks for one tier, deterministic from the seed. Families are dealt round-robin,
 * so each gets its share, and every task draws from its own seed path (seed, tier, index):
 * task `i` is the same whatever `count` is. The result is in seeded order.
 */
export function synthesizeTasks(parameters: SynthesizeTasksParameters): Task[] {
  const parsed = SynthesizeTasksParametersSchema.safeParse(parameters);
  if (!parsed.success) {
    throw new TaskSynthesisError('TASK_BAD_PARAMETERS', 'Invalid task synthesis parameters.', {
      details: z.prettifyError(parsed.error),
      cause: parsed.error,
    });
  }
  const { seed, tier, count, families, needles, continuationChars, recall, ruler } = parsed.data;
  const root = SeededRandom.from(seed, 'tasks', tier.name);

  const builders: Record<TaskFamily, (base: TaskBaseParameters) => Task> = {
    needle: (base) => synthesizeNeedleTask({ ...base, needles }),
    continuation: (base) => synthesizeContinuationTask({ ...base, continuationChars }),
    existence: (base) => synthesizeExistenceTask(base),
    // The schema's refinement guarantees the vocabulary is present for the reference families.
    recall: (base) =>
      synthesizeRecallTask({ ...base, vocabulary: recall!.vocabulary, pairs: recall!.pairs }),
    multi_needle: (base) =>
      synthesizeMultiNeedleTask({
        ...base,
        vocabulary: recall!.vocabulary,
        options: ruler.multiNeedle,
      }),
    multi_query: (base) =>
      synthesizeMultiQueryTask({
        ...base,
        vocabulary: recall!.vocabulary,
        options: ruler.multiQuery,
      }),
    variable_tracking: (base) =>
      synthesizeVariableTrackingTask({
        ...base,
        vocabulary: recall!.vocabulary,
        options: ruler.variableTracking,
      }),
    aggregation: (base) =>
      synthesizeAggregationTask({
        ...base,
        vocabulary: recall!.vocabulary,
        options: ruler.aggregation,
      }),
  };
  const tasks = Array.from({ length: count }, (_, index) =>
    builders[families[index % families.length]!]({
      random: root.fork(String(index)),
      id: taskId(seed, tier.name, index),
      tier,
    }),
  );
  return root.fork('order').shuffle(tasks);
}
