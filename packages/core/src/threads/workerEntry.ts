import { dirname, join, resolve } from 'node:path';

export interface WorkerEntryParameters {
  /** The worker's TypeScript source, relative to the calling file (run from sources). */
  readonly source: string;
  /** The build's name for the same entry: `<name>.js` beside the built calling file. */
  readonly built: string;
}

/**
 * Where a worker thread's entry file is, for code that runs either from its TypeScript
 * sources (jest, tsx: the caller's file ends in `.ts`) or from a package's `dist/` (the
 * calling module is bundled there, beside the built entry). Pass the calling module's
 * `__filename`. The built entry is always the CommonJS `.js` file: a worker runs it on its
 * own, whichever format loaded the caller.
 */
export function workerEntry(callerFile: string, parameters: WorkerEntryParameters): string {
  if (callerFile.endsWith('.ts')) return resolve(dirname(callerFile), parameters.source);
  return join(dirname(callerFile), `${parameters.built}.js`);
}
