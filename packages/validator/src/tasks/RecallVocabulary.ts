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
    if (new Set(vocabulary.keys).size !== vocabulary.keys.length) {
      context.addIssue({ code: 'custom', path: ['keys'], message: 'keys must be distinct' });
    }
  });
export type RecallVocabulary = z.infer<typeof RecallVocabularySchema>;
