import { HubApiError, listFiles, modelInfo } from '@huggingface/hub';
import { HubError } from './HubError';
import type { HubRef } from './HubRef';
import type { HubSettings } from './HubSettings';
import { hubRequestError } from './hubRequestError';

/** One file of a repository at a commit, as the tree endpoint lists it. */
export interface RepoFile {
  /** Path in the repository. */
  path: string;
  size: number;
  /** The cache's blob name: the LFS sha256 for LFS files, the git blob sha1 otherwise. */
  etag: string;
  /** Present for LFS files: what the content must hash to. */
  sha256: string | undefined;
}

export interface RepoListing {
  commit: string;
  files: readonly RepoFile[];
}

/**
 * Resolves a revision to its commit (`api/models/{repo}/revision/{rev}`) and lists the
 * repository at that commit (`api/models/{repo}/tree/{commit}`, recursive, every page),
 * through `@huggingface/hub`.
 */
export async function listRepo(ref: HubRef, settings: HubSettings): Promise<RepoListing> {
  const commit = await resolveCommit(ref, settings);
  return { commit, files: await listFilesAt(ref, commit, settings) };
}

/**
 * The commit a revision points to now (`api/models/{repo}/revision/{rev}`, the revision
 * URL-encoded, so `refs/pr/1` is one path segment). A revision that is a commit is asked too:
 * the answer says whether the repository exists and the token may read it.
 */
export async function resolveCommit(ref: HubRef, settings: HubSettings): Promise<string> {
  const { common, refused } = hubClient(ref, settings);
  const info = await modelInfo({
    ...common,
    name: ref.repo,
    revision: ref.revision,
    additionalFields: ['sha'],
  }).catch(refused);
  const commit = info.sha;
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) {
    throw new HubError(
      'HUB_PROTOCOL_ERROR',
      `${ref.repo}@${ref.revision}: the Hub gave no commit for the revision`,
      { details: `sha = ${String(commit)}` },
    );
  }
  return commit;
}

/** Every file of the repository (or of `ref.subfolder`) at `commit`, from the tree endpoint. */
export async function listFilesAt(
  ref: HubRef,
  commit: string,
  settings: HubSettings,
): Promise<RepoFile[]> {
  const { common, refused, what } = hubClient(ref, settings);
  const files: RepoFile[] = [];
  try {
    for await (const entry of listFiles({
      ...common,
      repo: { type: 'model', name: ref.repo },
      revision: commit,
      recursive: true,
      ...(ref.subfolder ? { path: ref.subfolder } : {}),
    })) {
      if (entry.type !== 'file') continue;
      const etag = entry.lfs?.oid ?? entry.oid;
      if (!etag) {
        throw new HubError('HUB_PROTOCOL_ERROR', `${what}: ${entry.path} has no oid in the tree`);
      }
      files.push({ path: entry.path, size: entry.size, etag, sha256: entry.lfs?.oid });
    }
  } catch (error) {
    if (error instanceof HubError) throw error;
    refused(error);
  }
  return files;
}

/**
 * `@huggingface/hub`'s options for our endpoint, and how its refusals become typed errors.
 * The token goes in our own `fetch`, only to the endpoint, so tokens of mirrors that do not
 * start with `hf_` work too.
 */
function hubClient(ref: HubRef, settings: HubSettings) {
  const refusals: Response[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    const url = String(input instanceof Request ? input.url : input);
    if (settings.token && url.startsWith(settings.endpoint))
      headers.set('authorization', `Bearer ${settings.token}`);
    const response = await fetch(input, { ...init, headers });
    if (!response.ok) refusals.push(response);
    return response;
  };
  const what = `${ref.repo}@${ref.revision}`;
  const refused = (error: unknown): never => {
    if (error instanceof HubApiError) {
      const response = refusals.at(-1);
      throw hubRequestError(
        {
          status: error.statusCode,
          errorCode: response?.headers.get('x-error-code') ?? null,
          message: error.message,
          url: error.url,
        },
        what,
      );
    }
    throw new HubError('HUB_DOWNLOAD_FAILED', `${what}: cannot reach ${settings.endpoint}`, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  };
  return { common: { hubUrl: settings.endpoint, fetch: fetcher }, refused, what };
}
