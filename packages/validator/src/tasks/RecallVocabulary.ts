import { z } from 'zod';

const Tokens = z.array(z.string().min(1)).min(1);

/**
 * The token lists a recall context is drawn from. Tokens are text pieces (for a reference
 * model, typically single tokens of its tokenizer), joined with `joiner`. Keys must not
 * appear among the other lists, or a key's first occurrence would be ambiguous.
 */
export const RecallVocabularySchema = z
  .object({
    keys: Tokens,
    values: Tokens,
    fillers: Tokens,
    separators: Tokens,
    /** The question token asking for the most frequent value (the aggregation family needs it). */
    aggregate: z.string().min(1).optional(),
    joiner: z.string(),
  })
  .superRefine((vocabulary, context) => {
    const others = new Set([...vocabulary.values, ...vocabulary.fillers, ...vocabulary.separators]);
    const clash = vocabulary.keys.filter((key) => others.has(key));
    if (clash.length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['keys'],
        message: `keys also appear as values, fillers or separators: ${clash.slice(0, 5).join(', ')}`,
      });
    }
    const { aggregate } = vocabulary;
    if (aggregate !== undefined && (others.has(aggregate) || vocabulary.keys.includes(aggregate))) {
      context.addIssue({
        code: 'custom',
        path: ['aggregate'],
        message: `the aggregate token "${aggregate}" also appears in another list`,
      });
    }
    if (new Set(vocabulary.keys).size !== vocabulary.keys.length) {
      context.addIssue({ code: 'custom', path: ['keys'], message: 'keys must be distinct' });
    }
  });
export type RecallVocabulary = z.infer<typeof RecallVocabularySchema>;
