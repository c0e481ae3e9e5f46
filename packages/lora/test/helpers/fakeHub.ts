import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fault the CDN applies to the next blob request. */
export type CdnFault = 'die-mid-file';

export interface FakeHubRepo {
  /** Revision → file name → bytes. */
  readonly revisions: Readonly<Record<string, Readonly<Record<string, Buffer>>>>;
}

export interface FakeHub {
  /** The endpoint to give `huggingFaceSource`. */
  readonly endpoint: string;
  /** Every request path the hub and the CDN saw, in order (`cdn:` prefixed for the CDN). */
  readonly requests: string[];
  /** Queues a fault for the next CDN request. */
  failNextBlob(fault: CdnFault): void;
  close(): Promise<void>;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The git blob id the Hub sends as the ETag of a file stored in git (not LFS). */
const gitBlobId = (bytes: Buffer) =>
  createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }),
  );
}

function refuse(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'x-error-code': code,
    'x-error-message': message,
  });
  response.end(JSON.stringify({ error: message }));
}

/**
 * A loopback Hugging Face Hub, shaped like the real one for `GET /{repo}/resolve/{rev}/{file}`:
 * a file kept in git (JSON configs) answers 200 with its git blob id as ETag; an LFS file
 * (`*.safetensors`) answers 302 to a separate CDN origin with `X-Linked-Etag` (its sha256) and
 * `X-Linked-Size`; a missing repo is 401 `RepoNotFound`, a missing revision 404
 * `RevisionNotFound`, a missing file 404 `EntryNotFound`, each with `X-Error-Message`. Every
 * answer carries `X-Repo-Commit`. The CDN serves blobs by sha256 and can be told to die in the
 * middle of the next one (the socket destroyed after half the bytes, as a dropped connection).
 */
export async function startFakeHub(repos: Readonly<Record<string, FakeHubRepo>>): Promise<FakeHub> {
  const requests: string[] = [];
  const faults: CdnFault[] = [];
  const blobs = new Map<string, Buffer>();
  for (const repo of Object.values(repos)) {
    for (const files of Object.values(repo.revisions)) {
      for (const bytes of Object.values(files)) blobs.set(sha256(bytes), bytes);
    }
  }

  const cdn = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push(`cdn:${request.url ?? ''}`);
    const blob = blobs.get((request.url ?? '').split('?')[0]!.replace(/^\/blobs\//, ''));
    if (!blob) {
      response
        .writeHead(403, { 'content-type': 'application/xml' })
        .end('<Error>AccessDenied</Error>');
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': blob.byteLength,
      'accept-ranges': 'bytes',
      etag: `"${sha256(blob)}"`,
    });
    if (faults.shift() === 'die-mid-file') {
      response.write(blob.subarray(0, blob.byteLength >> 1), () => response.socket?.destroy());
      return;
    }
    response.end(request.method === 'HEAD' ? undefined : blob);
  });
  const cdnOrigin = await listen(cdn);

  const hub = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push(request.url ?? '');
    const match = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(
      (request.url ?? '').split('?')[0]!,
    );
    if (!match) {
      refuse(response, 404, 'EntryNotFound', 'Not found');
      return;
    }
    const [, repoId, rawRevision, file] = match as unknown as [string, string, string, string];
    const repo = repos[repoId];
    if (!repo) {
      refuse(response, 401, 'RepoNotFound', 'Repository not found');
      return;
    }
    const revision = decodeURIComponent(rawRevision);
    const files = repo.revisions[revision];
    if (!files) {
      refuse(response, 404, 'RevisionNotFound', 'Invalid rev id: ' + revision);
      return;
    }
    const bytes = files[file];
    if (!bytes) {
      refuse(response, 404, 'EntryNotFound', 'Entry not found');
      return;
    }
    const commit = createHash('sha1').update(`${repoId}@${revision}`).digest('hex');
    if (file.endsWith('.safetensors')) {
      const digest = sha256(bytes);
      response.writeHead(302, {
        location: `${cdnOrigin}/blobs/${digest}?X-Amz-Expires=3600&X-Amz-Signature=${digest.slice(0, 16)}`,
        'x-repo-commit': commit,
        'x-linked-etag': `"${digest}"`,
        'x-linked-size': String(bytes.byteLength),
        etag: `"${gitBlobId(bytes)}"`,
        'content-length': 0,
      });
      response.end();
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': bytes.byteLength,
      'x-repo-commit': commit,
      etag: `"${gitBlobId(bytes)}"`,
      'accept-ranges': 'bytes',
    });
    response.end(request.method === 'HEAD' ? undefined : bytes);
  });
  const endpoint = await listen(hub);

  return {
    endpoint,
    requests,
    failNextBlob: (fault) => faults.push(fault),
    close: async () => {
      for (const server of [hub, cdn]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}
