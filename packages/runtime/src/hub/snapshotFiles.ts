import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelDtype } from '../model/ModelDtype';
import { resolveModelFiles } from '../model/resolveModelFiles';
import type { HubCache } from './HubCache';
import { HubError } from './HubError';
import type { HubRef } from './HubRef';
import { ADAPTER_FILES, OPTIONAL_MODEL_FILES, type PullKind } from './selectFiles';

export interface SnapshotFiles {
  /** Paths relative to the pulled folder, with their sizes. */
  files: { path: string; size: number }[];
}

export interface SnapshotFilesInput {
  cache: HubCache;
  ref: HubRef;
  commit: string;
  kind: PullKind;
  dtype: ModelDtype | undefined;
  /**
   * Every optional file must be in the snapshot or recorded in `.no_exist/` (what a pull that
   * listed the repository leaves), so the snapshot is known to hold all a pull would fetch.
   * Without it, the snapshot need only be loadable (offline use of a cache Python made).
   */
  complete: boolean;
}

/**
 * What a snapshot already holds for one pull, read from the cache alone: the adapter's two
 * files, or the model variant's graph with its external data plus the metadata beside it.
 * Throws `HUB_ENTRY_NOT_FOUND` when `.no_exist/` records that the repository lacks a file the
 * pull needs, and returns a reason (a string) when the cache simply does not have it.
 */
export async function snapshotFiles(input: SnapshotFilesInput): Promise<SnapshotFiles | string> {
  const { cache, ref, commit, kind } = input;
  const inFolder = (path: string) => (ref.subfolder ? join(ref.subfolder, path) : path);
  const dir = join(cache.snapshotDir(commit), ref.subfolder);
  const size = (path: string) =>
    stat(join(dir, path)).then(
      (s) => (s.isFile() ? s.size : undefined),
      () => undefined,
    );
  if (kind === 'all') return 'a pull of the whole repository always lists it';
  if (kind === 'adapter') {
    const files: SnapshotFiles['files'] = [];
    for (const path of ADAPTER_FILES) {
      if (await cache.isMarkedMissing(commit, inFolder(path))) {
        throw new HubError(
          'HUB_ENTRY_NOT_FOUND',
          `${ref.repo}@${ref.revision} holds no PEFT adapter`,
          {
            details: `the cache records that ${ref.repo}@${commit.slice(0, 8)} has no ${inFolder(path)}`,
          },
        );
      }
      const bytes = await size(path);
      if (bytes === undefined) return `${path} is missing from ${dir}`;
      files.push({ path, size: bytes });
    }
    return { files };
  }
  let graphFiles: readonly string[];
  try {
    graphFiles = (await resolveModelFiles(dir, input.dtype ? { dtype: input.dtype } : {}))
      .modelFiles;
  } catch (cause) {
    return cause instanceof Error ? cause.message : String(cause);
  }
  // Every file is looked at concurrently: a warm load waits on these stats.
  const [graph, optional] = await Promise.all([
    Promise.all(
      graphFiles.map(async (file) => {
        const path = file.slice(dir.length + 1);
        return { path, size: (await size(path)) ?? 0 };
      }),
    ),
    Promise.all(
      OPTIONAL_MODEL_FILES.map(async (path) => {
        const bytes = await size(path);
        const known =
          bytes !== undefined ||
          !input.complete ||
          (await cache.isMarkedMissing(commit, inFolder(path)));
        return { path, size: bytes, known };
      }),
    ),
  ]);
  const files: SnapshotFiles['files'] = [...graph];
  for (const { path, size: bytes, known } of optional) {
    if (bytes !== undefined) files.push({ path, size: bytes });
    else if (!known) return `${path} is neither in ${dir} nor recorded as missing`;
  }
  return { files };
}
