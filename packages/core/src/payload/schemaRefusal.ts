import { z } from 'zod';
import { fieldPath } from './fieldPath';
import { PayloadError } from './PayloadError';

type Issue = z.core.$ZodIssue;

/**
 * The first schema issue as a PayloadError naming its field. A KV half is a union (a float
 * tensor or a quantized one); when it fails, the issue reported is the one from the branch
 * the value was meant for (quantized when it has a `quantization` field), so the path names
 * the field that is actually wrong rather than the half as a whole.
 */
export function schemaRefusal(error: z.ZodError, raw: unknown, root: string): PayloadError {
  const issue = specific(error.issues[0]!, raw, []);
  const code = issue.path.at(-1) === 'dtype' ? 'PAYLOAD_DTYPE' : 'PAYLOAD_SCHEMA';
  return new PayloadError(code, fieldPath(root, issue.path), issue.message, {
    details: z.prettifyError(error),
    cause: error,
  });
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function specific(
  issue: Issue,
  raw: unknown,
  prefix: readonly PropertyKey[],
): Issue & { path: PropertyKey[] } {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length !== 2) return { ...issue, path };
  const value = valueAt(raw, path);
  const quantized = typeof value === 'object' && value !== null && 'quantization' in value;
  const branch = issue.errors[quantized ? 1 : 0]?.[0];
  return branch ? specific(branch, raw, path) : { ...issue, path };
}
