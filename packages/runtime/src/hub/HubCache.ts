import { randomBytes } from 'node:crypto';
import {
  lstat,
  mkdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { getRepoFolderName } from '@huggingface/hub';
import { HubError } from './HubError';

const COMMIT = /^[0-9a-f]{40}$/;

/**
 * One repository's folder in the `huggingface_hub` cache, laid out exactly as Python writes
 * it, so either side reuses the other's downloads:
 * `models--org--name/blobs/<etag>` (sha256 for LFS files, the git blob sha1 otherwise),
 * `snapshots/<commit>/<path>` as relative symlinks into `blobs/`, and `refs/<revision>`
 * holding the commit a branch or tag pointed to, and `.no_exist/<commit>/<path>` for files
 * the repository is known to lack at a commit.
 */
export class HubCache {
  readonly folder: string;

  constructor(
    readonly cacheDir: string,
    readonly repo: string,
  ) {
    this.folder = join(cacheDir, getRepoFolderName({ type: 'model', name: repo }));
  }

  blobPath(etag: string): string {
    return join(this.folder, 'blobs', etag);
  }

  /** Where a blob is downloaded to before it is verified: Python's name, so either side resumes it. */
  partialPath(etag: string): string {
    return `${this.blobPath(etag)}.incomplete`;
  }

  /**
   * The cross-process lock on downloading a blob: a directory (proper-lockfile's `mkdir`
   * lock) beside Python's `.locks/models--org--name/<etag>.lock`. Python's is an `flock`ed
   * file Node cannot take without a native addon, so the two are separate names: Node
   * processes exclude each other; a Python process pulling the very same blob at the very
   * same moment is not excluded (the hash check still refuses a mixed file).
   */
  lockPath(etag: string): string {
    return join(this.cacheDir, '.locks', basename(this.folder), `${etag}.lockdir`);
  }

  snapshotDir(commit: string): string {
    return join(this.folder, 'snapshots', commit);
  }

  /** The commit a revision resolves to in the cache: itself when it is one, else `refs/<revision>`. */
  async resolveRevision(revision: string): Promise<string | undefined> {
    if (COMMIT.test(revision)) return revision;
    try {
      const commit = (await readFile(join(this.folder, 'refs', revision), 'utf8')).trim();
      return COMMIT.test(commit) ? commit : undefined;
    } catch {
      return undefined;
    }
  }

  async hasBlob(etag: string): Promise<boolean> {
    return stat(this.blobPath(etag)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /** Whether `snapshots/<commit>/<path>` exists and resolves to a file. */
  async hasSnapshotFile(commit: string, path: string): Promise<boolean> {
    return stat(join(this.snapshotDir(commit), path)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /**
   * Points `snapshots/<commit>/<path>` at `blobs/<etag>`: a relative symlink made under a
   * temporary name and renamed into place, so the path never exists half made.
   */
  async linkSnapshotFile(commit: string, path: string, etag: string): Promise<void> {
    const target = join(this.snapshotDir(commit), path);
    checkInside(this.snapshotDir(commit), target, path);
    await mkdir(dirname(target), { recursive: true });
    const link = relative(dirname(target), this.blobPath(etag));
    const existing = await lstat(target).catch(() => undefined);
    if (existing?.isSymbolicLink() && (await readlink(target)) === link) return;
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await symlink(link, temp);
    try {
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** `.no_exist/<commit>/<path>`: huggingface_hub's record that the repository lacks a file at a commit. */
  noExistPath(commit: string, path: string): string {
    return join(this.folder, '.no_exist', commit, path);
  }

  /**
   * Records that the repository has no `path` at `commit` (an empty file, as Python writes
   * it), so a later lookup of an optional file knows it is absent without asking the Hub.
   */
  async markMissing(commit: string, path: string): Promise<void> {
    const marker = this.noExistPath(commit, path);
    checkInside(join(this.folder, '.no_exist', commit), marker, path);
    await mkdir(dirname(marker), { recursive: true });
    await writeFile(marker, '');
  }

  /** Whether `.no_exist/<commit>/<path>` says the repository lacks the file at that commit. */
  async isMarkedMissing(commit: string, path: string): Promise<boolean> {
    return stat(this.noExistPath(commit, path)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /** Records that `revision` pointed to `commit`, as `refs/<revision>` (written atomically). */
  async writeRef(revision: string, commit: string): Promise<void> {
    if (revision === commit) return;
    const path = join(this.folder, 'refs', revision);
    checkInside(join(this.folder, 'refs'), path, revision);
    if ((await this.resolveRevision(revision)) === commit) return;
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, commit);
    await rename(temp, path);
  }
}

/** Refuses repository paths that would leave the folder they are joined onto. */
function checkInside(root: string, path: string, name: string): void {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || rel.startsWith(sep)) {
    throw new HubError(
      'HUB_PROTOCOL_ERROR',
      `the Hub listed a path outside the repository: ${name}`,
    );
  }
}
