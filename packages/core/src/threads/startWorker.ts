import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { ThreadError } from './ThreadError';

/** The tsconfig that maps every `@signal/*` import to its TypeScript sources. */
export const SOURCES_TSCONFIG = 'tsconfig.sources.json';

function findUp(start: string, name: string): string | undefined {
  let dir = start;
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Starts a worker thread on `entry`. A built `.js` entry runs as it is. A `.ts` entry (tests
 * and benchmarks, which run the sources) is loaded through tsx's CommonJS hooks with the
 * repository's `tsconfig.sources.json`, so its `@signal/*` imports resolve to sources as in
 * jest, never to a possibly stale `dist/`.
 */
export function startWorker(entry: string, options: WorkerOptions = {}): Worker {
  if (!entry.endsWith('.ts')) return new Worker(entry, options);
  const tsconfig = findUp(dirname(entry), SOURCES_TSCONFIG);
  if (!tsconfig) {
    throw new ThreadError('THREAD_ENTRY_UNRESOLVED', `Cannot run ${entry} from its sources.`, {
      details: `no ${SOURCES_TSCONFIG} in any folder above it`,
    });
  }
  const tsx = createRequire(entry).resolve('tsx/cjs');
  return new Worker(entry, {
    ...options,
    execArgv: [...(options.execArgv ?? []), '--require', tsx],
    env: {
      ...(typeof options.env === 'object' ? options.env : process.env),
      TSX_TSCONFIG_PATH: tsconfig,
    },
  });
}
