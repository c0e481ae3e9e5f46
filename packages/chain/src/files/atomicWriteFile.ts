import { randomBytes } from 'node:crypto';
import { link, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AtomicWriteError } from '../errors/AtomicWriteError';

/** The temp-file name for `path`: same directory (so rename is atomic), unique per write. */
export function tempPathFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes temp files that writers killed mid-save left beside `path` (a kill between the
 * temp write and the rename). Files of live processes are left alone: they may be saving
 * right now. Returns the names removed.
 */
export async function removeStaleTempFiles(path: string): Promise<string[]> {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return [];
  }
  const stale = names.filter((name) => {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) return false;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    return Number.isSafeInteger(pid) && pid > 0 && !isAlive(pid);
  });
  await Promise.all(stale.map((name) => unlink(join(dirname(path), name)).catch(() => undefined)));
  return stale;
}

async function fsyncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic
    // there, only its durability across a power cut is the OS's business.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}

/** Where `atomicWriteFile(path, …, { keepPrevious: true })` keeps the copy it replaced. */
export function previousCopyPath(path: string): string {
  return `${path}.prev`;
}

/**
 * Makes the file now at `path` the previous copy: a hard link under a temp name, renamed over
 * the old copy, so the copy is always a whole file that was itself written atomically (and
 * fsynced then). A first save has nothing to keep.
 */
async function keepPreviousCopy(path: string): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await link(path, temp);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    await rename(temp, previousCopyPath(path));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

export interface AtomicWriteOptions {
  /**
   * Keep the file being replaced as `previousCopyPath(path)`, the last good copy a reader
   * falls back to when the file itself is found damaged on disk.
   */
  readonly keepPrevious?: boolean;
}

/**
 * Replaces `path` with `data` so that a reader (or a restart after a kill at any moment)
 * sees either the old file or the new one, never a mix: write a temp file beside it, fsync
 * it, rename it over the target, then fsync the directory so the rename itself is durable.
 * Written here rather than taken from `write-file-atomic` because that package skips the
 * directory fsync.
 */
export async function atomicWriteFile(
  path: string,
  data: string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.keepPrevious) await keepPreviousCopy(path);
    await rename(temp, path);
    await fsyncDirectory(dirname(path));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new AtomicWriteError(path, error);
  }
}
