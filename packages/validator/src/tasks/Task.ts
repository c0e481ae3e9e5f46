import { z } from 'zod';
import {
  AggregationTaskSchema,
  MultiNeedleTaskSchema,
  MultiQueryTaskSchema,
  ReferenceQuestionSchema,
  VariableTrackingTaskSchema,
} from './ruler/RulerTask';

export const TASK_FAMILIES = [
  'needle',
  'continuation',
  'existence',
  'recall',
  'multi_needle',
  'multi_query',
  'variable_tracking',
  'aggregation',
] as const;
export const TaskFamilySchema = z.enum(TASK_FAMILIES);
export type TaskFamily = z.infer<typeof TaskFamilySchema>;

const TaskBase = {
  /** Opaque, derived from the seed and the task's index, so it reveals neither. */
  id: z.string().min(1),
  tier: z.string().min(1),
  /** What is sent to the miner to condense. */
  context: z.string().min(1),
};

export const NeedleKindSchema = z.enum(['code', 'name', 'date']);
export type NeedleKind = z.infer<typeof NeedleKindSchema>;

/** One fact written into a context: the sentence that states it and how to ask for it. */
export const NeedleSchema = z.object({
  kind: NeedleKindSchema,
  /** Unique within one context, so one question has one answer. */
  subject: z.string().min(1),
  sentence: z.string().min(1),
  question: z.string().min(1),
  /** The canonical answer first, then accepted equivalent spellings. */
  answers: z.array(z.string().min(1)).min(1),
});
export type Needle = z.infer<typeof NeedleSchema>;

export const NeedleTaskSchema = z.object({
  ...TaskBase,
  family: z.literal('needle'),
  /** Every fact in the context; all but `target` are distractors. */
  needles: z.array(NeedleSchema).min(1),
  target: z.number().int().nonnegative(),
  /** Sent after the condensed context. */
  prompt: z.string().min(1),
  expected: z.object({ answers: z.array(z.string().min(1)).min(1) }),
});
export type NeedleTask = z.infer<typeof NeedleTaskSchema>;

export const ContinuationTaskSchema = z.object({
  ...TaskBase,
  family: z.literal('continuation'),
  /**
   * The held-out text that followed the context, starting with its separator, so
   * `context + continuation` is the original passage.
   */
  continuation: z.string().min(1),
});
export type ContinuationTask = z.infer<typeof ContinuationTaskSchema>;

export const ExistenceProbeSchema = z.object({
  chunk: z.string().min(1),
  prompt: z.string().min(1),
  expected: z.enum(['yes', 'no']),
});
export type ExistenceProbe = z.infer<typeof ExistenceProbeSchema>;

export const ExistenceTaskSchema = z.object({
  ...TaskBase,
  family: z.literal('existence'),
  /** One chunk taken from the context and one that is not in it, in seeded order. */
  probes: z.array(ExistenceProbeSchema).min(2),
});
export type ExistenceTask = z.infer<typeof ExistenceTaskSchema>;

export const RecallPairSchema = z.object({ key: z.string().min(1), value: z.string().min(1) });
export type RecallPair = z.infer<typeof RecallPairSchema>;

export const RecallTaskSchema = z.object({
  ...TaskBase,
  family: z.literal('recall'),
  pairs: z.array(RecallPairSchema).min(1),
  target: z.number().int().nonnegative(),
  /** The queried key: the reference model is expected to continue it with its value. */
  prompt: z.string().min(1),
  expected: z.object({ answers: z.array(z.string().min(1)).length(1) }),
  /** The asked pair as a question, with the index of its value word in the context. */
  question: ReferenceQuestionSchema,
});
export type RecallTask = z.infer<typeof RecallTaskSchema>;

export const TaskSchema = z.discriminatedUnion('family', [
  NeedleTaskSchema,
  ContinuationTaskSchema,
  ExistenceTaskSchema,
  RecallTaskSchema,
  MultiNeedleTaskSchema,
  MultiQueryTaskSchema,
  VariableTrackingTaskSchema,
  AggregationTaskSchema,
]);
export type Task = z.infer<typeof TaskSchema>;
