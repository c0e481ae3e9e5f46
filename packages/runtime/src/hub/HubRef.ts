import { HubError } from './HubError';

/** A model or adapter on the Hub: `org/name`, a revision, and optionally a folder inside the repo. */
export interface HubRef {
  repo: string;
  /** Branch, tag or commit; `main` when not given. */
  revision: string;
  /** A folder inside the repository (exports that keep several variants in subfolders), or ''. */
  subfolder: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const PREFIX = 'hf:';

/** Whether a configured model or adapter location names a Hub repository (`hf:org/name@rev`). */
export function isHubRef(location: string): boolean {
  return location.startsWith(PREFIX);
}

/**
 * Parses `org/name`, `org/name@revision` and `org/name@revision/sub/folder` (with or without
 * the `hf:` prefix). A revision holding `/` (`refs/pr/1`) is written URL-encoded.
 */
export function parseHubRef(text: string): HubRef {
  const body = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text;
  const fail = (why: string): never => {
    throw new HubError('HUB_REF_INVALID', `"${text}" is not a Hub model reference`, {
      details: `${why}; expected org/name, org/name@revision or hf:org/name@revision/subfolder`,
    });
  };
  const [org, rest, ...folder] = body.split('/');
  if (!org || !rest) return fail('it names no org/name');
  const at = rest.indexOf('@');
  const name = at >= 0 ? rest.slice(0, at) : rest;
  const revision = at >= 0 ? decodeURIComponent(rest.slice(at + 1)) : 'main';
  if (!NAME.test(org) || !NAME.test(name)) return fail(`"${org}/${name}" is not a repository id`);
  if (revision.length === 0) return fail('the revision after @ is empty');
  if (folder.some((part) => part === '' || part === '.' || part === '..'))
    return fail('the subfolder has an empty, . or .. segment');
  return { repo: `${org}/${name}`, revision, subfolder: folder.join('/') };
}

/** `hf:org/name@revision[/subfolder]`. */
export function formatHubRef(ref: HubRef): string {
  const revision = ref.revision.includes('/') ? encodeURIComponent(ref.revision) : ref.revision;
  return `${PREFIX}${ref.repo}@${revision}${ref.subfolder ? `/${ref.subfolder}` : ''}`;
}
