import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';

/**
 * A loopback stand-in for the Hugging Face Hub, speaking the parts of its protocol a pull
 * uses, as the real Hub answers them:
 * - `GET /api/models/{org}/{name}/revision/{rev}`: model info with the commit `sha`;
 * - `GET /api/models/{org}/{name}/tree/{rev}[/{path}]?recursive=`: entries with `oid`, `size`
 *   and `lfs: { oid, size, pointerSize }`, paginated through `Link: <…>; rel="next"`;
 * - `GET|HEAD /{org}/{name}/resolve/{rev}/{path}`: small files served directly with the git
 *   oid as `ETag`; LFS files answered `302` to a CDN on another origin, with `X-Repo-Commit`,
 *   `X-Linked-Etag` (the sha256) and `X-Linked-Size`;
 * - the CDN serves `Range` requests with `206` and `Content-Range`;
 * - refusals carry `X-Error-Code` (`RepoNotFound`, `RevisionNotFound`, `EntryNotFound`,
 *   `GatedRepo`) and a JSON `{ error }` body, 401 for a gated repo without a valid token; a
 *   missing entry's 404 still carries `X-Repo-Commit`;
 * - revisions are single path segments: `refs/pr/1` is only found URL-encoded (`refs%2Fpr%2F1`).
 * Faults: cut a file's connection after some bytes (for its first N requests), hold a file
 * back mid-way until released, and serve one file corrupted.
 */
export interface FakeRepo {
  /** `org/name`. */
  id: string;
  /** path → content at the one commit this repo has. */
  files: ReadonlyMap<string, Buffer>;
  /** 401 without the hub's token, as the real Hub answers for a gated repo. */
  gated?: boolean;
  /** Revisions besides `main` that point to the commit (`v1`, `refs/pr/1`). */
  revisions?: readonly string[];
}

export interface FakeHubOptions {
  /** The token a gated repo accepts. */
  token?: string;
  /** Tree page size (the real Hub pages at 1000; small here so paging is exercised). */
  pageSize?: number;
  /** Files at least this large, and every .onnx / _data / .safetensors file, are LFS. */
  lfsThreshold?: number;
  /**
   * Each answer of the Hub's own origin (API and resolve) starts this long after its request
   * arrives, as a real network round trip adds; for benchmarks, never for tests. Default 0.
   */
  latencyMs?: number;
}

export interface HubRequest {
  method: string;
  /** The path with its escapes decoded. */
  path: string;
  /** The path as sent, escapes kept. */
  rawPath: string;
  range: string | undefined;
  authorization: string | undefined;
  origin: 'hub' | 'cdn';
}

interface StoredFile {
  content: Buffer;
  gitOid: string;
  sha256: string;
  lfs: boolean;
}

interface StoredRepo {
  id: string;
  commit: string;
  revisions: ReadonlySet<string>;
  gated: boolean;
  files: Map<string, StoredFile>;
}

/** One file of a fake repository as the Hub describes it (what a cache names its blob after). */
export interface FakeHubFile {
  path: string;
  content: Buffer;
  /** The git blob sha1: the `ETag` of a small file, its blob name in a cache. */
  gitOid: string;
  /** The content's sha256: an LFS file's `X-Linked-Etag`, its blob name in a cache. */
  sha256: string;
  lfs: boolean;
}

export interface FakeHub {
  endpoint: string;
  cdn: string;
  requests: HubRequest[];
  commitOf(repo: string): string;
  /** The repository's files with the oids the Hub serves them under. */
  repoFiles(repo: string): FakeHubFile[];
  /** Cuts the connection serving `path` after `bytes` bytes, for its next `times` requests. */
  cut(path: string, bytes: number, times?: number): void;
  /** Serves `path` with one byte flipped from now on. */
  corrupt(path: string): void;
  /** Serves `path` intact again. */
  restore(path: string): void;
  /**
   * Sends the first `bytes` of `path` on its next request, then holds the rest back until
   * `release()`; `reached` resolves once those bytes are written to the socket.
   */
  hold(path: string, bytes: number): { reached: Promise<void>; release(): void };
  /**
   * Holds the answer to the next `api/models/{repo}/revision/…` request until `release()`;
   * `reached` resolves once that request has arrived.
   */
  holdRevision(repo: string): { reached: Promise<void>; release(): void };
  close(): Promise<void>;
}

const gitOid = (content: Buffer) =>
  createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** Every file under a directory, by its path relative to it (a builder-written model dir). */
export async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (folder: string) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(relative(dir, path), await readFile(path));
    }
  };
  await walk(dir);
  return files;
}

export async function startFakeHub(
  repos: FakeRepo[],
  options: FakeHubOptions = {},
): Promise<FakeHub> {
  const stored = new Map<string, StoredRepo>();
  for (const repo of repos) {
    const files = new Map<string, StoredFile>();
    for (const [path, content] of repo.files) {
      const lfs =
        content.length >= (options.lfsThreshold ?? 10 * 1024 * 1024) ||
        /\.onnx$|_data(_\d+)?$|\.data$|\.safetensors$/.test(path);
      files.set(path, { content, gitOid: gitOid(content), sha256: sha256(content), lfs });
    }
    const commit = createHash('sha1').update(repo.id).update(String(files.size)).digest('hex');
    stored.set(repo.id, {
      id: repo.id,
      commit,
      revisions: new Set(['main', commit, ...(repo.revisions ?? [])]),
      gated: repo.gated ?? false,
      files,
    });
  }
  const requests: HubRequest[] = [];
  const cuts = new Map<string, { bytes: number; times: number }>();
  const corrupted = new Set<string>();
  const holds = new Map<string, { bytes: number; reached: () => void; released: Promise<void> }>();
  const revisionHolds = new Map<string, { reached: () => void; released: Promise<void> }>();
  const bySha = new Map<string, { path: string; file: StoredFile }>();
  for (const repo of stored.values())
    for (const [path, file] of repo.files) bySha.set(file.sha256, { path, file });

  const log = (req: IncomingMessage, origin: HubRequest['origin']) => {
    requests.push({
      method: req.method ?? 'GET',
      path: decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname),
      rawPath: new URL(req.url ?? '/', 'http://x').pathname,
      range: req.headers.range,
      authorization: req.headers.authorization,
      origin,
    });
  };
  const refuse = (
    res: ServerResponse,
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-error-code': code,
      'x-error-message': message,
      ...headers,
    });
    res.end(JSON.stringify({ error: message }));
  };
  /** Sends `content` (or its `Range` slice), honouring cuts and corruption for `path`. */
  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    file: StoredFile,
    headers: Record<string, string>,
  ) => {
    let content = file.content;
    if (corrupted.has(path) && content.length > 0) {
      content = Buffer.from(content);
      content[content.length >> 1] = content[content.length >> 1]! ^ 0xff;
    }
    let start = 0;
    let status = 200;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      if (start >= content.length && content.length > 0) {
        res.writeHead(416, { 'content-range': `bytes */${content.length}` });
        res.end();
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${content.length - 1}/${content.length}`;
    }
    const body = content.subarray(start);
    res.writeHead(status, {
      ...headers,
      'content-length': String(body.length),
      'accept-ranges': 'bytes',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const hold = holds.get(path);
    if (hold && body.length > hold.bytes) {
      holds.delete(path);
      res.write(body.subarray(0, hold.bytes), () => hold.reached());
      void hold.released.then(() => res.end(body.subarray(hold.bytes)));
      return;
    }
    const cut = cuts.get(path);
    if (cut && cut.times > 0 && body.length > cut.bytes) {
      cut.times--;
      // In 4 KiB writes, as a CDN streams, then the connection dies mid-file.
      for (let at = 0; at < cut.bytes; at += 4096) {
        res.write(body.subarray(at, Math.min(cut.bytes, at + 4096)));
      }
      res.write(Buffer.alloc(0), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  };

  /** The model info the revision endpoint answers, with the commit as `sha`. */
  const answerRevision = (res: ServerResponse, repo: StoredRepo) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        _id: `id-${repo.id}`,
        id: repo.id,
        private: false,
        gated: repo.gated ? 'auto' : false,
        downloads: 0,
        likes: 0,
        lastModified: '2026-01-01T00:00:00.000Z',
        sha: repo.commit,
        siblings: [...repo.files.keys()].map((rfilename) => ({ rfilename })),
      }),
    );
  };

  let cdnOrigin = '';
  const hub = createServer((req, res) => {
    log(req, 'hub');
    if (options.latencyMs) setTimeout(() => answerHub(req, res), options.latencyMs);
    else answerHub(req, res);
  });
  /** Answers one request to the Hub's origin. */
  function answerHub(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const api = parts[0] === 'api' && parts[1] === 'models';
    const [org, name] = api ? parts.slice(2, 4) : parts.slice(0, 2);
    const repo = stored.get(`${org}/${name}`);
    if (!repo) return refuse(res, 404, 'RepoNotFound', 'Repository not found');
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (repo.gated && token !== options.token) {
      return refuse(
        res,
        401,
        'GatedRepo',
        `Access to model ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
      );
    }
    const [verb, revision, ...rest] = api ? parts.slice(4) : parts.slice(2);
    // Each path segment is decoded on its own: a revision holding `/` must come URL-encoded.
    if (revision === undefined || !repo.revisions.has(revision)) {
      return refuse(res, 404, 'RevisionNotFound', `Invalid rev id: ${revision}`);
    }
    const path = rest.join('/');
    if (api && verb === 'revision') {
      const held = revisionHolds.get(repo.id);
      revisionHolds.delete(repo.id);
      held?.reached();
      void (held?.released ?? Promise.resolve()).then(() => answerRevision(res, repo));
      return;
    }
    if (api && verb === 'tree') {
      const recursive = url.searchParams.get('recursive') === 'true';
      const entries = [...repo.files]
        .filter(([p]) => !path || p.startsWith(`${path}/`))
        .filter(([p]) => recursive || !p.slice(path ? path.length + 1 : 0).includes('/'))
        .map(([p, f]) => ({
          type: 'file',
          oid: f.gitOid,
          size: f.content.length,
          path: p,
          ...(f.lfs ? { lfs: { oid: f.sha256, size: f.content.length, pointerSize: 134 } } : {}),
        }));
      const cursor = Number(url.searchParams.get('cursor') ?? 0);
      const size = options.pageSize ?? 1000;
      const page = entries.slice(cursor, cursor + size);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (cursor + size < entries.length) {
        const next = new URL(url.toString());
        next.searchParams.set('cursor', String(cursor + size));
        headers.link = `<http://${req.headers.host}${next.pathname}${next.search}>; rel="next"`;
      }
      res.writeHead(200, headers);
      res.end(JSON.stringify(page));
      return;
    }
    if (!api && verb === 'resolve') {
      const file = repo.files.get(path);
      // The real Hub names the commit on a missing entry too (huggingface_hub records it in .no_exist/).
      if (!file)
        return refuse(res, 404, 'EntryNotFound', `${path} does not exist on "${revision}"`, {
          'x-repo-commit': repo.commit,
        });
      const common = { 'x-repo-commit': repo.commit };
      if (file.lfs) {
        res.writeHead(302, {
          ...common,
          'x-linked-etag': `"${file.sha256}"`,
          'x-linked-size': String(file.content.length),
          etag: `"${file.gitOid}"`,
          location: `${cdnOrigin}/cdn/${file.sha256}?path=${encodeURIComponent(path)}`,
        });
        res.end();
        return;
      }
      return send(req, res, path, file, { ...common, etag: `"${file.gitOid}"` });
    }
    refuse(res, 404, 'EntryNotFound', 'unknown route');
  }
  const cdn = createServer((req, res) => {
    log(req, 'cdn');
    const url = new URL(req.url ?? '/', 'http://x');
    const found = bySha.get(url.pathname.replace('/cdn/', ''));
    if (!found) {
      res.writeHead(404);
      res.end();
      return;
    }
    send(req, res, found.path, found.file, { etag: `"${found.file.sha256}"` });
  });
  const listen = (server: Server) =>
    new Promise<string>((resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
      ),
    );
  const endpoint = await listen(hub);
  cdnOrigin = await listen(cdn);
  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    endpoint,
    cdn: cdnOrigin,
    requests,
    commitOf: (id) => stored.get(id)!.commit,
    repoFiles: (id) => [...stored.get(id)!.files].map(([path, file]) => ({ path, ...file })),
    cut: (path, bytes, times = 1) => cuts.set(path, { bytes, times }),
    corrupt: (path) => corrupted.add(path),
    restore: (path) => corrupted.delete(path),
    hold: (path, bytes) => {
      let reached!: () => void;
      let release!: () => void;
      const reachedPromise = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.set(path, { bytes, reached, released });
      return { reached: reachedPromise, release };
    },
    holdRevision: (repo) => {
      let reached!: () => void;
      let release!: () => void;
      const reachedPromise = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      revisionHolds.set(repo, { reached, released });
      return { reached: reachedPromise, release };
    },
    close: async () => {
      await Promise.all([close(hub), close(cdn)]);
    },
  };
}
