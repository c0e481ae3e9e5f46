import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Dispatcher, request } from 'undici';
import { lockBlob } from './blobLock';
import type { HubCache } from './HubCache';
import { HubError } from './HubError';
import type { HubSettings } from './HubSettings';
import { type BlobHash, blobHash } from './hashing/BlobHash';
import { hubRequestError } from './hubRequestError';
import type { RepoFile } from './listRepo';

export interface DownloadBlobOptions {
  settings: HubSettings;
  /** The commit the file is fetched at (its `resolve` URL names it). */
  commit: string;
  /** Path in the repository. */
  path: string;
  repo: string;
  dispatcher?: Dispatcher | undefined;
  signal?: AbortSignal | undefined;
  /** Bytes received, as they arrive (resumed bytes are reported once, up front). */
  onBytes?: ((bytes: number) => void) | undefined;
  /** Attempts per file when the connection breaks off; each resumes with `Range`. Default 5. */
  attempts?: number | undefined;
  /** Called once when another process is downloading the same blob and this one waits for it. */
  onWait?: (() => void) | undefined;
}

/**
 * Downloads one file into `blobs/<etag>` of the cache, as `huggingface_hub` does: into
 * `blobs/<etag>.incomplete` first (resumed with `Range` where a previous attempt or process
 * left off), from `{endpoint}/{repo}/resolve/{commit}/{path}`, following the Hub's redirect
 * to its CDN by hand so that its `X-Repo-Commit`, `X-Linked-Etag` and `X-Linked-Size` headers
 * are checked against the tree. The blob is renamed into place only once it hashes to the
 * tree's sha256 (LFS files) or git blob sha1 (others). Returns the bytes downloaded.
 * The download runs under the blob's cross-process lock (`lockBlob`): a second process
 * pulling the same blob waits, then finds it in place (or resumes what a dead holder left).
 */
export async function downloadBlob(
  cache: HubCache,
  file: RepoFile,
  options: DownloadBlobOptions,
): Promise<number> {
  if (await cache.hasBlob(file.etag)) return 0;
  const lock = await lockBlob(cache, file.etag, {
    signal: options.signal,
    onWait: options.onWait,
  });
  try {
    // Whoever held the lock before may have finished the blob.
    if (await cache.hasBlob(file.etag)) return 0;
    const signal = options.signal ? AbortSignal.any([options.signal, lock.lost]) : lock.lost;
    return await downloadLocked(cache, file, { ...options, signal });
  } finally {
    await lock.release();
  }
}

/** The download itself, under the blob's lock: no other process writes its `.incomplete`. */
async function downloadLocked(
  cache: HubCache,
  file: RepoFile,
  options: DownloadBlobOptions,
): Promise<number> {
  const partial = cache.partialPath(file.etag);
  await mkdir(dirname(partial), { recursive: true });
  const attempts = options.attempts ?? 5;
  let downloaded = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const offset = await stat(partial).then(
      (s) => (s.size <= file.size ? s.size : -1),
      () => 0,
    );
    if (offset < 0) await rm(partial, { force: true });
    const start = Math.max(0, offset);
    if (attempt === 0 && start > 0) options.onBytes?.(start);
    const hash = blobHash(file);
    try {
      if (start < file.size || file.size === 0) {
        downloaded += await fetchInto(partial, start, hash, file, options);
      } else {
        await hashFile(partial, hash, start);
      }
      await verify(partial, hash, file, options);
      await rename(partial, cache.blobPath(file.etag));
      return downloaded;
    } catch (error) {
      hash.close();
      lastError = error;
      const retryable = error instanceof HubError && error.code === 'HUB_DOWNLOAD_FAILED';
      if (options.signal?.aborted) {
        const reason: unknown = options.signal.reason;
        throw reason instanceof HubError ? reason : error;
      }
      if (!retryable) throw error;
    }
  }
  throw lastError instanceof HubError
    ? lastError
    : new HubError(
        'HUB_DOWNLOAD_FAILED',
        `${options.repo}/${options.path}: download kept breaking off`,
        {
          details: lastError instanceof Error ? lastError.message : String(lastError),
          cause: lastError,
        },
      );
}

/** Bytes a blob's write stream may hold before the socket waits for the disk. */
const WRITE_BUFFER = 1024 * 1024;

/** `"abc"`, `W/"abc"` → `abc`. */
function normalizeEtag(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  return raw?.replace(/^W\//, '').replace(/^"|"$/g, '');
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Feeds the first `length` bytes of a file into `hash`. */
async function hashFile(path: string, hash: BlobHash, length: number): Promise<void> {
  if (length === 0) return;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) {
    await hash.update(chunk as Buffer);
  }
}

/**
 * One GET (and the redirect it may answer with), appended to `partial` from `start` and
 * hashed as it streams, so a fresh download is read once; a resumed one hashes its first
 * `start` bytes from disk.
 */
async function fetchInto(
  partial: string,
  start: number,
  hash: BlobHash,
  file: RepoFile,
  options: DownloadBlobOptions,
): Promise<number> {
  const { settings } = options;
  const what = `${options.repo}/${options.path}`;
  const resolveUrl = `${settings.endpoint}/${options.repo}/resolve/${options.commit}/${options.path
    .split('/')
    .map(encodeURIComponent)
    .join('/')}`;
  let url = resolveUrl;
  let response: Dispatcher.ResponseData | undefined;
  for (let hop = 0; hop < 5; hop++) {
    const sameOrigin = new URL(url).origin === new URL(settings.endpoint).origin;
    response = await request(url, {
      method: 'GET',
      headers: {
        'accept-encoding': 'identity',
        ...(start > 0 ? { range: `bytes=${start}-` } : {}),
        ...(settings.token && sameOrigin ? { authorization: `Bearer ${settings.token}` } : {}),
      },
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    }).catch((cause: unknown) => {
      throw new HubError('HUB_DOWNLOAD_FAILED', `${what}: request to ${url} failed`, {
        details: cause instanceof Error ? cause.message : String(cause),
        cause,
      });
    });
    checkHubHeaders(response.headers, file, options, what);
    if (response.statusCode < 300 || response.statusCode >= 400) break;
    const location = header(response.headers, 'location');
    await response.body.dump();
    if (!location) throw new HubError('HUB_PROTOCOL_ERROR', `${what}: a redirect without Location`);
    url = new URL(location, url).toString();
  }
  if (!response) throw new HubError('HUB_PROTOCOL_ERROR', `${what}: no response`);
  const { statusCode, body, headers } = response;
  if (statusCode >= 400) {
    const text = await body.text().catch(() => '');
    throw hubRequestError(
      {
        status: statusCode,
        errorCode: header(headers, 'x-error-code') ?? null,
        message: header(headers, 'x-error-message') ?? text.slice(0, 200),
        url,
      },
      what,
    );
  }
  let from = start;
  if (statusCode === 200 && start > 0) from = 0; // the server ignored Range: start over
  await hashFile(partial, hash, from);
  if (statusCode === 206) {
    const range = /bytes (\d+)-/.exec(header(headers, 'content-range') ?? '');
    if (!range || Number(range[1]) !== start) {
      await body.dump();
      throw new HubError(
        'HUB_PROTOCOL_ERROR',
        `${what}: asked for bytes ${start}-, got ${range?.[0]}`,
      );
    }
  }
  // Chunks are hashed as they arrive and written in order by a write stream, so the socket
  // is read while the disk writes and the hash runs. When the connection breaks off, what
  // reached the disk is a prefix of the file: the next attempt resumes from its size (and
  // hashes that prefix from disk), whatever was still queued.
  let received = 0;
  try {
    await pipeline(
      body,
      async function* count(chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          received += chunk.length;
          const behind = hash.update(chunk);
          if (behind) await behind;
          options.onBytes?.(chunk.length);
          yield chunk;
        }
      },
      createWriteStream(partial, { flags: from > 0 ? 'a' : 'w', highWaterMark: WRITE_BUFFER }),
    );
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOSPC') {
      await rm(partial, { force: true });
      throw new HubError('HUB_DISK_FULL', `${what}: no space left on the device of ${partial}`, {
        details: `${file.size} bytes needed; the partial download was removed`,
        cause,
      });
    }
    throw new HubError(
      'HUB_DOWNLOAD_FAILED',
      `${what}: the download broke off after ${from + received} bytes`,
      { details: cause instanceof Error ? cause.message : String(cause), cause },
    );
  }
  return received;
}

/** The Hub's own headers on a `resolve` answer must agree with the tree it listed. */
function checkHubHeaders(
  headers: Dispatcher.ResponseData['headers'],
  file: RepoFile,
  options: DownloadBlobOptions,
  what: string,
): void {
  const commit = header(headers, 'x-repo-commit');
  if (commit && commit !== options.commit) {
    throw new HubError('HUB_PROTOCOL_ERROR', `${what}: the Hub served commit ${commit}`, {
      details: `the revision resolved to ${options.commit}`,
    });
  }
  const etag = normalizeEtag(header(headers, 'x-linked-etag'));
  if (etag && etag !== file.etag) {
    throw new HubError(
      'HUB_PROTOCOL_ERROR',
      `${what}: the Hub's etag ${etag} is not the tree's ${file.etag}`,
    );
  }
  const size = header(headers, 'x-linked-size');
  if (size && Number(size) !== file.size) {
    throw new HubError(
      'HUB_PROTOCOL_ERROR',
      `${what}: the Hub says ${size} bytes, the tree ${file.size}`,
    );
  }
}

/** The finished partial must have the tree's size and hash to the tree's sha256 or git oid. */
async function verify(
  partial: string,
  hash: BlobHash,
  file: RepoFile,
  options: DownloadBlobOptions,
): Promise<void> {
  const size = (await stat(partial)).size;
  const digest = await hash.digest();
  const expected = file.sha256 ?? file.etag;
  if (size !== file.size || digest !== expected) {
    await rm(partial, { force: true });
    throw new HubError(
      'HUB_CHECKSUM_MISMATCH',
      `${options.repo}/${options.path} does not match the Hub's ${file.sha256 ? 'sha256' : 'git oid'}`,
      { details: `expected ${expected} over ${file.size} bytes, got ${digest} over ${size}` },
    );
  }
}
