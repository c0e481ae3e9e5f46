import { rename } from 'node:fs/promises';
import { previousCopyPath } from '@signal/chain';
import type { z } from 'zod';
import { readStateFile } from './readStateFile';
import { StateFileError } from './StateFileError';

/** A state file found unusable at start, and where it was moved so it is not lost. */
export interface DamagedStateFile {
  readonly file: string;
  /** The damaged bytes, renamed aside for inspection; the next save never overwrites them. */
  readonly movedTo: string;
  readonly error: StateFileError;
}

/**
 * What a start had to do without its state file: `startedFrom` is the last good copy it
 * loaded instead, or null when none was usable and the state starts from zero.
 */
export interface StateRecovery {
  readonly file: string;
  readonly startedFrom: string | null;
  /** The files found damaged (the state file, then its last good copy), in the order read. */
  readonly damaged: readonly DamagedStateFile[];
  /** True when the state file was absent but a last good copy was there. */
  readonly fileMissing: boolean;
}

export interface RecoveredState<T> {
  /** Undefined on a first start, or when nothing usable was left (then `recovery` says so). */
  readonly value: T | undefined;
  readonly recovery: StateRecovery | undefined;
}

async function moveAside(
  file: string,
  error: StateFileError,
  now: number,
): Promise<DamagedStateFile> {
  const movedTo = `${file}.damaged-${now}`;
  try {
    await rename(file, movedTo);
  } catch (cause) {
    throw new StateFileError('STATE_IO', `Could not move the damaged ${file} aside.`, {
      details: `${error.shortMessage} Renaming it to ${movedTo} failed: ${(cause as Error).message}`,
      cause,
    });
  }
  return { file, movedTo, error };
}

/**
 * Reads a state file written with `atomicWriteFile(…, { keepPrevious: true })`. A damaged
 * file (truncated, not JSON, failing its schema: `STATE_CORRUPT`) is moved aside and its last
 * good copy is read instead; when that is damaged or absent too, the state starts from zero.
 * Either way `recovery` says what happened, so the caller can warn or report an error, and a
 * restart never meets the same damaged file again: a service never crashes in a loop on it.
 * Errors that moving files cannot mend are thrown as before: an unreadable file (`STATE_IO`)
 * and a file from another schema version (a downgrade must not discard newer state).
 */
export async function readStateWithRecovery<Schema extends z.ZodType>(
  path: string,
  schemaVersion: number,
  schema: Schema,
  { now = Date.now() }: { now?: number } = {},
): Promise<RecoveredState<z.infer<Schema>>> {
  const damaged: DamagedStateFile[] = [];
  let fileMissing = false;
  for (const candidate of [path, previousCopyPath(path)]) {
    let value: z.infer<Schema> | undefined;
    try {
      value = await readStateFile(candidate, schemaVersion, schema);
    } catch (error) {
      if (!(error instanceof StateFileError) || error.code !== 'STATE_CORRUPT') throw error;
      damaged.push(await moveAside(candidate, error, now));
      continue;
    }
    if (value === undefined) {
      if (candidate === path) fileMissing = true;
      continue;
    }
    const recovered = candidate !== path;
    return {
      value,
      recovery: recovered
        ? { file: path, startedFrom: candidate, damaged, fileMissing }
        : undefined,
    };
  }
  return {
    value: undefined,
    recovery:
      damaged.length > 0 ? { file: path, startedFrom: null, damaged, fileMissing } : undefined,
  };
}
