import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import { GenaiConfigSchema } from '../model/GenaiConfig';
import type { ModelDtype } from '../model/ModelDtype';
import { downloadBlob } from './downloadBlob';
import { HubCache } from './HubCache';
import { HubError } from './HubError';
import { type HubRef, parseHubRef } from './HubRef';
import { type HubSettings, hubSettings } from './HubSettings';
import { listFilesAt, type RepoFile, resolveCommit } from './listRepo';
import { ADAPTER_FILES, OPTIONAL_MODEL_FILES, type PullKind, selectFiles } from './selectFiles';
import { type SnapshotFiles, snapshotFiles } from './snapshotFiles';

/** What a pull reports as it goes; the CLI draws a bar from it or prints it as JSON lines. */
export type PullProgress =
  | {
      type: 'resolved';
      repo: string;
      revision: string;
      commit: string;
      files: { path: string; size: number; cached: boolean }[];
      totalBytes: number;
      cachedBytes: number;
    }
  | { type: 'bytes'; path: string; bytes: number; received: number; size: number }
  /** Another process is downloading this file into the same cache: this pull waits for it. */
  | { type: 'waiting'; path: string }
  | { type: 'file'; path: string; size: number; downloaded: number }
  | { type: 'done'; dir: string; commit: string; downloadedBytes: number; offline: boolean };

export interface PullOptions {
  /** `model` (default): the files the `dtype` variant needs; `adapter`: a PEFT adapter's two files; `all`. */
  kind?: PullKind;
  dtype?: ModelDtype;
  /** Files downloaded at once (default 4). */
  concurrency?: number;
  /** Endpoint, token, cache and offline mode; by default from the environment (`hubSettings`). */
  settings?: Partial<HubSettings>;
  onProgress?: (event: PullProgress) => void;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
}

export interface PulledModel {
  /** `snapshots/<commit>` (plus the subfolder): a model or adapter directory to load. */
  dir: string;
  commit: string;
  ref: HubRef;
  /** Paths (relative to `dir`) the pull made sure of. */
  files: readonly string[];
  downloadedBytes: number;
}

const COMMIT = /^[0-9a-f]{40}$/;

/** Pulls in flight per cache folder and commit: a second caller in the process shares the first's. */
const inflight = new Map<string, Promise<PulledModel>>();

/**
 * Makes a Hub model (or adapter) available in the `huggingface_hub` cache and returns its
 * snapshot directory. Resolves the revision to a commit, lists the repository at it,
 * downloads only the files the variant needs (several at once, each resumed and verified by
 * `downloadBlob`), and only when every blob is in place links them under
 * `snapshots/<commit>/`, records the optional files the repository lacks under
 * `.no_exist/<commit>/` and writes `refs/<revision>`: a failed pull never leaves a snapshot
 * entry or a ref behind. A snapshot that already holds everything (its optional files present
 * or recorded missing) is served after the revision lookup alone, and with no request at all
 * when the revision is a commit. With `HF_HUB_OFFLINE=1` it reads the cache only.
 */
export async function pullModel(
  reference: string | HubRef,
  options: PullOptions = {},
): Promise<PulledModel> {
  const ref = typeof reference === 'string' ? parseHubRef(reference) : reference;
  const settings = await hubSettings(options.settings);
  const cache = new HubCache(settings.cacheDir, ref.repo);
  if (settings.offline) return fromCache(ref, cache, options);
  const key = JSON.stringify([cache.folder, ref, options.kind, options.dtype]);
  let pending = inflight.get(key);
  if (!pending) {
    pending = pullOnline(ref, cache, settings, options);
    inflight.set(key, pending);
    const forget = () => inflight.delete(key);
    pending.then(forget, forget);
  }
  return pending;
}

async function pullOnline(
  ref: HubRef,
  cache: HubCache,
  settings: HubSettings,
  options: PullOptions,
): Promise<PulledModel> {
  const kind = options.kind ?? 'model';
  const dtype = options.dtype ?? 'fp32';
  const check = (at: string) =>
    snapshotFiles({ cache, ref, commit: at, kind, dtype: options.dtype, complete: true });
  let commit: string;
  let cached: Awaited<ReturnType<typeof check>>;
  if (COMMIT.test(ref.revision)) {
    // A commit never changes: a snapshot that holds all a pull would fetch needs no request.
    commit = ref.revision;
    cached = await check(commit);
  } else {
    // The snapshot the cache last saw the revision at is checked while the Hub is asked.
    const seen = cache.resolveRevision(ref.revision);
    const early = seen.then((at) => (at ? settle(check(at)) : undefined));
    commit = await resolveCommit(ref, settings);
    cached = (await seen) === commit ? unsettle((await early)!) : await check(commit);
  }
  if (typeof cached !== 'string') return fromSnapshot(ref, cache, commit, cached, options, false);
  const files = await listFilesAt(ref, commit, settings);
  const prefix = ref.subfolder ? `${ref.subfolder}/` : '';
  const fetchAll = async (wanted: ReadonlyMap<string, RepoFile>) =>
    download(cache, wanted, { ref, commit, settings, options, prefix });
  const listed = new Set(files.map((f) => f.path));
  const markAbsent = async (paths: readonly string[]) => {
    for (const path of paths)
      if (!listed.has(`${prefix}${path}`)) await cache.markMissing(commit, `${prefix}${path}`);
  };
  if (kind === 'adapter') await markAbsent(ADAPTER_FILES);

  let downloadedBytes = 0;
  const label = `${ref.repo}@${ref.revision}`;
  let wanted = selectFiles({ files, subfolder: ref.subfolder, kind, dtype, label });
  const genai = wanted.get('genai_config.json');
  if (kind === 'model' && genai) {
    // The graph a genai export uses is named inside its config: fetch that first.
    downloadedBytes += await fetchAll(new Map([['genai_config.json', genai]]));
    const text = await readFile(cache.blobPath(genai.etag), 'utf8');
    const parsed = GenaiConfigSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new HubError('HUB_PROTOCOL_ERROR', `${ref.repo}: genai_config.json names no decoder`, {
        details: parsed.error.message,
      });
    }
    const genaiGraph = parsed.data.model.decoder.filename;
    wanted = selectFiles({ files, subfolder: ref.subfolder, kind, dtype, genaiGraph, label });
  }
  options.onProgress?.({
    type: 'resolved',
    repo: ref.repo,
    revision: ref.revision,
    commit,
    files: await Promise.all(
      [...wanted].map(async ([path, f]) => ({
        path,
        size: f.size,
        cached: await cache.hasBlob(f.etag),
      })),
    ),
    totalBytes: sum([...wanted.values()].map((f) => f.size)),
    cachedBytes: sum(
      await Promise.all(
        [...wanted.values()].map(async (f) => ((await cache.hasBlob(f.etag)) ? f.size : 0)),
      ),
    ),
  });
  downloadedBytes += await fetchAll(wanted);
  for (const [path, file] of wanted)
    await cache.linkSnapshotFile(commit, `${prefix}${path}`, file.etag);
  if (kind === 'model') await markAbsent(OPTIONAL_MODEL_FILES);
  await cache.writeRef(ref.revision, commit);
  const dir = join(cache.snapshotDir(commit), ref.subfolder);
  options.onProgress?.({ type: 'done', dir, commit, downloadedBytes, offline: false });
  return { dir, commit, ref, files: [...wanted.keys()], downloadedBytes };
}

/** A pull the snapshot already holds: reported as resolved from the cache, nothing downloaded. */
async function fromSnapshot(
  ref: HubRef,
  cache: HubCache,
  commit: string,
  held: SnapshotFiles,
  options: PullOptions,
  offline: boolean,
): Promise<PulledModel> {
  if (!offline) await cache.writeRef(ref.revision, commit);
  const dir = join(cache.snapshotDir(commit), ref.subfolder);
  const bytes = sum(held.files.map((f) => f.size));
  options.onProgress?.({
    type: 'resolved',
    repo: ref.repo,
    revision: ref.revision,
    commit,
    files: held.files.map((f) => ({ ...f, cached: true })),
    totalBytes: bytes,
    cachedBytes: bytes,
  });
  options.onProgress?.({ type: 'done', dir, commit, downloadedBytes: 0, offline });
  return { dir, commit, ref, files: held.files.map((f) => f.path), downloadedBytes: 0 };
}

interface DownloadContext {
  ref: HubRef;
  commit: string;
  settings: HubSettings;
  options: PullOptions;
  prefix: string;
}

/** Downloads the blobs a set of files needs, `concurrency` at a time; the first failure aborts the rest. */
async function download(
  cache: HubCache,
  wanted: ReadonlyMap<string, RepoFile>,
  context: DownloadContext,
): Promise<number> {
  const { options } = context;
  const queue = [...wanted];
  const abort = new AbortController();
  const outer = options.signal;
  const onAbort = () => abort.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  let total = 0;
  let failure: unknown;
  const worker = async () => {
    for (let next = queue.shift(); next && failure === undefined; next = queue.shift()) {
      const [path, file] = next;
      let received = 0;
      try {
        const bytes = await downloadBlob(cache, file, {
          settings: context.settings,
          commit: context.commit,
          repo: context.ref.repo,
          path: `${context.prefix}${path}`,
          signal: abort.signal,
          dispatcher: options.dispatcher,
          onWait: () => options.onProgress?.({ type: 'waiting', path }),
          onBytes: (n) => {
            received += n;
            options.onProgress?.({ type: 'bytes', path, bytes: n, received, size: file.size });
          },
        });
        total += bytes;
        options.onProgress?.({ type: 'file', path, size: file.size, downloaded: bytes });
      } catch (error) {
        failure ??= error;
        abort.abort(error);
      }
    }
  };
  try {
    const workers = Math.max(1, Math.min(options.concurrency ?? 4, wanted.size));
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    outer?.removeEventListener('abort', onAbort);
  }
  if (failure !== undefined) throw failure;
  return total;
}

/** `HF_HUB_OFFLINE=1`: the snapshot a revision resolves to in the cache, if it can serve. */
async function fromCache(ref: HubRef, cache: HubCache, options: PullOptions): Promise<PulledModel> {
  const what = `${ref.repo}@${ref.revision}`;
  const commit = await cache.resolveRevision(ref.revision);
  if (!commit) {
    throw new HubError(
      'HUB_OFFLINE_MISS',
      `${what} is not in the cache, and HF_HUB_OFFLINE is set`,
      {
        details: `no ${join(cache.folder, 'refs', ref.revision)}`,
      },
    );
  }
  const kind = options.kind ?? 'model';
  const held = await snapshotFiles({
    cache,
    ref,
    commit,
    kind,
    dtype: options.dtype,
    complete: false,
  });
  if (typeof held === 'string') {
    if (kind === 'all') return fromSnapshot(ref, cache, commit, { files: [] }, options, true);
    throw new HubError(
      'HUB_OFFLINE_MISS',
      `${what} is not complete in the cache, and HF_HUB_OFFLINE is set`,
      { details: held },
    );
  }
  return fromSnapshot(ref, cache, commit, held, options, true);
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
/** A promise that never rejects (its failure kept for later), so it may be left unawaited. */
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
const unsettle = <T>(settled: Settled<T>): T => {
  if (!settled.ok) throw settled.error;
  return settled.value;
};

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
