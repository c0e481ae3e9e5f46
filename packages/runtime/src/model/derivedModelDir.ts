import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';

/** Where Signal keeps what it derives from models: `SIGNAL_CACHE`, else `$XDG_CACHE_HOME/signal`, else `~/.cache/signal`. */
export function signalCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SIGNAL_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'signal');
}

const SNAPSHOT = /^(.*)[\\/](models--[^\\/]+)[\\/]snapshots[\\/]([0-9a-f]{40})(?:[\\/](.+))?$/;

/**
 * The directory a rewritten copy of a model directory is cached in. Beside an ordinary
 * directory it is a sibling, `<dir>-<kind>`, as the LoRA graft's; a directory inside a
 * `huggingface_hub` cache snapshot is never written next to (a sibling would look like another
 * commit to Python's cache tools), so its copy goes under `signalCacheDir()/derived/`, named
 * after the repository folder, the commit and the subfolder.
 */
export function derivedModelDir(
  source: string,
  kind: string,
  env: NodeJS.ProcessEnv = process.env,
) {
  const path = resolve(source);
  const match = SNAPSHOT.exec(path);
  if (!match) return `${path}-${kind}`;
  const [, , repo, commit, sub] = match;
  const name = [repo, commit, ...(sub ? sub.split(sep) : [])].join('--');
  return join(signalCacheDir(env), 'derived', `${name}-${kind}`);
}
