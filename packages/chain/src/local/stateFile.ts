import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { LocalChainStateError } from '../errors/LocalChainErrors';
import { type LocalChainState, LocalChainStateSchema } from './LocalChainState';

/** Reads and validates a state file; null when the file does not exist yet. */
export async function readStateFile(file: string): Promise<LocalChainState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LocalChainStateError(file, (error as Error).message, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LocalChainStateError(file, 'Not valid JSON.', error);
  }
  const parsed = LocalChainStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new LocalChainStateError(
      file,
      parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; '),
    );
  }
  return parsed.data;
}

/** Writes the state atomically: a crash leaves either the old file or the new one, never half. */
export async function writeStateFile(file: string, state: LocalChainState): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  // fsync the directory so the rename itself survives a power loss.
  const dir = await open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
