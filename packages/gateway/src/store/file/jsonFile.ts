import { readFile } from 'node:fs/promises';
import { AtomicWriteError, atomicWriteFile } from '@signal/chain';
import { z } from 'zod';
import { GatewayStoreError } from '../../errors/GatewayStoreError';

/** Reads and validates a JSON file of the file store; undefined when it does not exist yet. */
export async function readJsonFile<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
): Promise<z.output<Schema> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GatewayStoreError('GATEWAY_STORE_UNAVAILABLE', `Cannot read ${path}.`, {
      details: (error as Error).message,
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GatewayStoreError('GATEWAY_STORE_CORRUPT', `${path} is not valid JSON.`, {
      details: (error as Error).message,
      cause: error,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new GatewayStoreError('GATEWAY_STORE_CORRUPT', `${path} does not match its schema.`, {
      details: z.prettifyError(parsed.error),
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** Replaces a file of the file store atomically (temp file, fsync, rename, fsync the folder). */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  try {
    await atomicWriteFile(path, `${JSON.stringify(value, null, 2)}\n`);
  } catch (error) {
    if (!(error instanceof AtomicWriteError)) throw error;
    throw new GatewayStoreError('GATEWAY_STORE_UNAVAILABLE', error.shortMessage, {
      details: error.details,
      cause: error,
    });
  }
}
