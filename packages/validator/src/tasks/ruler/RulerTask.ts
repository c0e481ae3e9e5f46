import { z } from 'zod';

/**
 * One question about a reference-model context, asked after condensation: the prompt, the
 * exact words the reply must start with, and the context words that carry the answer (their
 * indices in the context split on the vocabulary's joiner), which a condenser must keep.
 * Evidence is listed most important first.
 */
export const ReferenceQuestionSchema = z.object({
  prompt: z.string().min(1),
  answer: z.string().min(1),
  evidence: z.array(z.int().nonnegative()).min(1),
});
export type ReferenceQuestion = z.infer<typeof ReferenceQuestionSchema>;

/** A key and its value words, as placed in a context. */
export const PlacedNeedleSchema = z.object({
  key: z.string().min(1),
  value: z.array(z.string().min(1)).min(1),
});
export type PlacedNeedle = z.infer<typeof PlacedNeedleSchema>;

const RulerTaskBase = {
  id: z.string().min(1),
  tier: z.string().min(1),
  context: z.string().min(1),
  questions: z.array(ReferenceQuestionSchema).min(1),
  /** `each`: accuracy is the share of questions answered; `all`: 1 only when every one is. */
  scoring: z.enum(['each', 'all']),
};

/** k needles among distractor pairs of the same shape; one of them, or all, is asked. */
export const MultiNeedleTaskSchema = z.object({
  ...RulerTaskBase,
  family: z.literal('multi_needle'),
  /** Every pair in the context, needles first. */
  pairs: z.array(PlacedNeedleSchema).min(1),
  needles: z.int().positive(),
  retrieve: z.enum(['one', 'all']),
});
export type MultiNeedleTask = z.infer<typeof MultiNeedleTaskSchema>;

/** One context, several different keys asked of it: a condenser cannot know which. */
export const MultiQueryTaskSchema = z.object({
  ...RulerTaskBase,
  family: z.literal('multi_query'),
  pairs: z.array(PlacedNeedleSchema).min(1),
});
export type MultiQueryTask = z.infer<typeof MultiQueryTaskSchema>;

/**
 * Chains `X1 v…; X2 X1; …; Xn Xn−1` (each link a key followed by the key it copies), the last
 * link of one chain asked: the reply walks the chain, naming each link, then its value.
 */
export const VariableTrackingTaskSchema = z.object({
  ...RulerTaskBase,
  family: z.literal('variable_tracking'),
  /** Each chain's keys from the first link (bound to the value) to the last. */
  chains: z
    .array(
      z.object({
        keys: z.array(z.string().min(1)).min(1),
        value: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(1),
});
export type VariableTrackingTask = z.infer<typeof VariableTrackingTaskSchema>;

/** Values scattered among fillers, one of them the most frequent: the aggregate question asks which. */
export const AggregationTaskSchema = z.object({
  ...RulerTaskBase,
  family: z.literal('aggregation'),
  /** How often each value occurs, the answer first. */
  counts: z.array(z.object({ value: z.string().min(1), count: z.int().positive() })).min(1),
});
export type AggregationTask = z.infer<typeof AggregationTaskSchema>;

export type RulerTask = MultiNeedleTask | MultiQueryTask | VariableTrackingTask | AggregationTask;
