import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { StateFileError } from './StateFileError';

/**
 * Reads a versioned JSON state file and validates it against `schema`. Returns undefined
 * when the file does not exist (a first start); every other problem is a StateFileError
 * naming the file: unreadable, not JSON, another schema version, or a field that fails the
 * schema. A corrupt file is never silently replaced by an empty state.
 */
export async function readStateFile<Schema extends z.ZodType>(
  path: string,
  schemaVersion: number,
  schema: Schema,
): Promise<z.infer<Schema> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError('STATE_IO', `Could not read ${path}.`, {
      details: (error as Error).message,
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StateFileError('STATE_CORRUPT', `${path} is not valid JSON.`, {
      details: (error as Error).message,
      cause: error,
    });
  }
  const version = z.object({ schemaVersion: z.number() }).safeParse(json);
  if (version.success && version.data.schemaVersion !== schemaVersion) {
    throw new StateFileError(
      'STATE_UNSUPPORTED_VERSION',
      `${path} has an unsupported schema version.`,
      {
        details: `found schemaVersion ${version.data.schemaVersion}, this build reads ${schemaVersion}`,
      },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new StateFileError('STATE_CORRUPT', `${path} does not match its schema.`, {
      details: z.prettifyError(parsed.error),
      cause: parsed.error,
    });
  }
  return parsed.data;
}
