import { createHash } from 'node:crypto';
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  realpath,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { FakeHubFile } from '../fakeHub';

/**
 * The huggingface_hub (Python) side of the shared cache, written independently of our
 * `HubCache` so that each side is checked against the other, not against itself. The rules
 * are huggingface_hub's, as its `file_download.py` and `utils/_cache_manager.py` apply them:
 * - a repository lives in `models--{org}--{name}` under the cache;
 * - a file's content is `blobs/{etag}`: the `X-Linked-Etag` (the sha256) of an LFS file, the
 *   `ETag` (the git blob sha1) of any other;
 * - `snapshots/{commit}/{path}` is a symlink to its blob, relative to the link's own folder
 *   (`os.path.relpath(blob, dirname(pointer))`);
 * - `refs/{revision}` holds the commit, written with `write_text(commit)`: no newline, read
 *   back with `read()`, untrimmed;
 * - `.no_exist/{commit}/{path}` is an empty file recording a 404 for an optional file;
 * - `.locks/models--{org}--{name}/{etag}.lock` files are left behind by `filelock`.
 */

const folderName = (repo: string) => `models--${repo.split('/').join('--')}`;
const etagOf = (file: FakeHubFile) => (file.lfs ? file.sha256 : file.gitOid);

export interface PythonCacheInput {
  cacheDir: string;
  repo: string;
  commit: string;
  /** The revision asked for: `refs/{revision}` is written unless it is the commit itself. */
  revision: string;
  /** The files huggingface_hub downloaded. */
  files: readonly FakeHubFile[];
  /** Files it was asked for and got 404 EntryNotFound (what `hf_hub_download` records). */
  missing?: readonly string[];
}

/** Leaves a cache exactly as huggingface_hub's `hf_hub_download` / `snapshot_download` would. */
export async function writePythonCache(input: PythonCacheInput): Promise<string> {
  const folder = join(input.cacheDir, folderName(input.repo));
  for (const file of input.files) {
    const blob = join(folder, 'blobs', etagOf(file));
    await mkdir(dirname(blob), { recursive: true });
    await writeFile(blob, file.content);
    const lock = join(input.cacheDir, '.locks', folderName(input.repo), `${etagOf(file)}.lock`);
    await mkdir(dirname(lock), { recursive: true });
    await writeFile(lock, '');
    const pointer = join(folder, 'snapshots', input.commit, ...file.path.split('/'));
    await mkdir(dirname(pointer), { recursive: true });
    await symlink(relative(dirname(pointer), blob), pointer);
  }
  for (const path of input.missing ?? []) {
    const marker = join(folder, '.no_exist', input.commit, ...path.split('/'));
    await mkdir(dirname(marker), { recursive: true });
    await writeFile(marker, '');
  }
  if (input.revision !== input.commit) {
    const ref = join(folder, 'refs', ...input.revision.split('/'));
    await mkdir(dirname(ref), { recursive: true });
    await writeFile(ref, input.commit);
  }
  return folder;
}

/** `try_to_load_from_cache`'s answer: the cached path, a recorded absence, or not cached. */
export type PythonLookup = { path: string } | 'no-exist' | 'not-cached';

/**
 * What huggingface_hub's `try_to_load_from_cache(repo, filename, cache_dir, revision)` finds:
 * `refs/{revision}` read as is (no trimming), `.no_exist/` before `snapshots/`, and a
 * snapshot entry only when it resolves to a file.
 */
export async function pythonLookup(
  cacheDir: string,
  repo: string,
  filename: string,
  revision = 'main',
): Promise<PythonLookup> {
  const folder = join(cacheDir, folderName(repo));
  const isFile = (path: string) =>
    stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
  let commit = revision;
  const ref = join(folder, 'refs', revision);
  if (await isFile(ref)) commit = await readFile(ref, 'utf8');
  if (await isFile(join(folder, '.no_exist', commit, filename))) return 'no-exist';
  const snapshots = await readdir(join(folder, 'snapshots')).catch(() => [] as string[]);
  if (!snapshots.includes(commit)) return 'not-cached';
  const path = join(folder, 'snapshots', commit, filename);
  return (await isFile(path)) ? { path } : 'not-cached';
}

export interface ScannedRevision {
  commit: string;
  refs: string[];
  /** Snapshot paths (relative, `/`-separated) → the link text and the blob it resolves to. */
  files: Map<string, { link: string; blob: string }>;
}

/**
 * `scan_cache_dir`'s view of one repository folder, failing where it reports the folder
 * corrupted (no `snapshots/`, a file among the snapshots, a broken link, a ref to a commit
 * with no snapshot), and stricter where Python only copes: every snapshot entry must be a
 * relative symlink into this folder's `blobs/`.
 */
export async function scanPythonCacheRepo(folder: string): Promise<ScannedRevision[]> {
  const corrupted = (why: string): never => {
    throw new Error(`huggingface_hub would report ${folder} corrupted: ${why}`);
  };
  const snapshots = join(folder, 'snapshots');
  if (
    !(await stat(snapshots).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    corrupted('no snapshots/ folder');
  const refsByCommit = new Map<string, string[]>();
  const refs = join(folder, 'refs');
  const walk = async (dir: string): Promise<string[]> => {
    const out: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) out.push(...(await walk(path)));
      else out.push(path);
    }
    return out;
  };
  if (
    await stat(refs).then(
      () => true,
      () => false,
    )
  ) {
    if (!(await stat(refs)).isDirectory()) corrupted('refs is a file');
    for (const path of await walk(refs)) {
      const commit = await readFile(path, 'utf8');
      const name = relative(refs, path).split(sep).join('/');
      refsByCommit.set(commit, [...(refsByCommit.get(commit) ?? []), name]);
    }
  }
  const blobs = await realpath(join(folder, 'blobs')).catch(() => join(folder, 'blobs'));
  const revisions: ScannedRevision[] = [];
  for (const entry of await readdir(snapshots, { withFileTypes: true })) {
    if (!entry.isDirectory()) corrupted(`a file among the snapshots: ${entry.name}`);
    const files = new Map<string, { link: string; blob: string }>();
    const root = join(snapshots, entry.name);
    for (const pointer of await walk(root)) {
      const name = relative(root, pointer).split(sep).join('/');
      if (!(await lstat(pointer)).isSymbolicLink()) corrupted(`${name} is not a symlink`);
      const link = await readlink(pointer);
      if (link.startsWith('/')) corrupted(`${name} links to an absolute path`);
      const blob = await realpath(pointer).catch(() =>
        corrupted(`${name}: blob missing (broken symlink)`),
      );
      if (dirname(blob) !== blobs) corrupted(`${name} resolves outside blobs/: ${blob}`);
      files.set(name, { link, blob });
    }
    revisions.push({ commit: entry.name, refs: refsByCommit.get(entry.name) ?? [], files });
    refsByCommit.delete(entry.name);
  }
  if (refsByCommit.size > 0)
    corrupted(`refs to missing commits: ${JSON.stringify([...refsByCommit])}`);
  return revisions;
}

/** What a blob's name must be, from its content: sha256, or the git blob sha1. */
export function contentEtags(content: Buffer): { sha256: string; gitOid: string } {
  return {
    sha256: createHash('sha256').update(content).digest('hex'),
    gitOid: createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex'),
  };
}

/** Every path under a folder (files, links and empty folders' files), relative, `/`-separated. */
export async function treeOf(folder: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(folder, path).split(sep).join('/'));
    }
  };
  await walk(folder);
  return out.sort();
}
