import { z } from 'zod';
import { mapsToObjects, parseOrderedJson } from '../orderedJson';
import { WireError } from '../WireError';

const stringRecord = z.record(z.string(), z.string());

/** One case of `body-hash-vectors.json`, recorded by running Python's `Synapse`. */
export const VectorCaseSchema = z.object({
  synapse: z.string().min(1),
  /** Field name -> Python type notation (see `parsePyType`), in declaration order. */
  fields: stringRecord,
  required_hash_fields: z.array(z.string()),
  /** Optional: the fields with no Python default, when the generator recorded them. */
  required_fields: z.array(z.string()).optional(),
  values: z.record(z.string(), z.unknown()),
  str_of_field: stringRecord,
  body_hash: z.string().regex(/^[0-9a-f]{64}$/, 'a sha3-256 hex digest'),
  input_obj_headers: stringRecord,
});

export type VectorCase = z.infer<typeof VectorCaseSchema>;

export const VectorFileSchema = z.array(VectorCaseSchema);

/**
 * Plain objects for the file's structure, but each field value under `values` keeps its
 * ordered maps: a dict's key order is part of what `str()` prints.
 */
function withOrderedValues(parsed: unknown): unknown {
  if (!Array.isArray(parsed)) return mapsToObjects(parsed);
  return parsed.map((testCase) => {
    if (!(testCase instanceof Map)) return mapsToObjects(testCase);
    return Object.fromEntries(
      [...testCase].map(([key, value]) => [
        key,
        key === 'values' && value instanceof Map ? Object.fromEntries(value) : mapsToObjects(value),
      ]),
    );
  });
}

/**
 * Parses a vectors file losslessly (numbers keep their text, so `2.0` is a float and big
 * integers stay exact) and validates its shape, naming the first bad path.
 */
export function parseVectorFile(text: string): VectorCase[] {
  const raw = withOrderedValues(parseOrderedJson(text, 'The vectors file'));
  const result = VectorFileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? issue.path.map(String).join('.') || '(root)' : '(root)';
    throw new WireError('WIRE_VECTORS', 'The vectors file does not have the expected shape.', {
      details: `${where}: ${issue?.message ?? 'invalid'}`,
    });
  }
  return result.data;
}
