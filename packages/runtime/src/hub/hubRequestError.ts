import { HubError } from './HubError';

/** What the Hub says about a refused request: its status, `X-Error-Code` and message. */
export interface HubRefusal {
  status: number;
  errorCode: string | null;
  message: string;
  url: string;
}

/**
 * The typed error for a Hub refusal, read as `huggingface_hub` reads it: `X-Error-Code`
 * first (`RepoNotFound`, `RevisionNotFound`, `EntryNotFound`, `GatedRepo`), then the status
 * (401 and 403 mean a token is missing, wrong or without access to a gated or private repo).
 */
export function hubRequestError(refusal: HubRefusal, what: string): HubError {
  const details =
    `${refusal.status} ${refusal.errorCode ?? ''} from ${refusal.url}: ${refusal.message}`.trim();
  switch (refusal.errorCode) {
    case 'RepoNotFound':
      return new HubError('HUB_REPO_NOT_FOUND', `${what}: no such repository (or it is private)`, {
        details,
      });
    case 'RevisionNotFound':
      return new HubError('HUB_REVISION_NOT_FOUND', `${what}: no such revision`, { details });
    case 'EntryNotFound':
      return new HubError('HUB_ENTRY_NOT_FOUND', `${what}: no such file`, { details });
    case 'GatedRepo':
      return new HubError(
        'HUB_UNAUTHORIZED',
        `${what}: the repository is gated; accept its terms on the Hub and set HF_TOKEN`,
        { details },
      );
  }
  if (refusal.status === 401 || refusal.status === 403) {
    return new HubError('HUB_UNAUTHORIZED', `${what}: the Hub refused the request; set HF_TOKEN`, {
      details,
    });
  }
  if (refusal.status === 404) {
    return new HubError('HUB_REPO_NOT_FOUND', `${what}: not found`, { details });
  }
  return new HubError('HUB_DOWNLOAD_FAILED', `${what}: the Hub answered ${refusal.status}`, {
    details,
  });
}
