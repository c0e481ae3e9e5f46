import { lock } from 'proper-lockfile';
import { LocalChainStateError } from '../errors/LocalChainErrors';
import type { LocalChainState } from './LocalChainState';
import type { StateStore } from './StateStore';
import { readStateFile, writeStateFile } from './stateFile';

/** How long a crashed holder's lock blocks others before it counts as stale. */
const STALE_LOCK_MS = 10_000;
/** How long an update waits for another live holder before it fails. */
const LOCK_WAIT_MS = 5_000;

export interface FileStateStoreOptions {
  readOnly: boolean;
  /** Written when the file does not exist yet (writable stores only). */
  initial: LocalChainState;
}

/**
 * A state file that several processes may share, e.g. a miner and a validator pointed at the
 * same `local:<file>`. Each update takes an exclusive lock beside the file (proper-lockfile),
 * re-reads the file, applies the change and replaces the file atomically, so no process's
 * write is lost to another's stale copy. Every read re-reads the file too (about 1.5 ms for
 * 256 neurons): caching on its inode, size and mtime could miss a write, since file times
 * are coarse and a freed inode is soon reused.
 */
export class FileStateStore implements StateStore {
  /** Updates from this process run one at a time, so they never wait on their own lock. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly location: string,
    readonly readOnly: boolean,
  ) {}

  static async open(file: string, options: FileStateStoreOptions): Promise<FileStateStore> {
    const store = new FileStateStore(file, options.readOnly);
    if (options.readOnly) {
      if (!(await readStateFile(file))) {
        throw new LocalChainStateError(file, 'No such file to open read-only.');
      }
      return store;
    }
    await store.#locked(async () => {
      if (!(await readStateFile(file))) await store.#write(options.initial);
    });
    return store;
  }

  async read(): Promise<LocalChainState> {
    const state = await readStateFile(this.location);
    if (!state) throw new LocalChainStateError(this.location, 'The state file has disappeared.');
    return state;
  }

  update<T>(change: (state: LocalChainState) => T): Promise<T> {
    const run = this.#queue.then(() =>
      this.#locked(async () => {
        const state = await this.read();
        const result = change(state);
        await this.#write(state);
        return result;
      }),
    );
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.#queue;
  }

  async #write(state: LocalChainState): Promise<void> {
    try {
      await writeStateFile(this.location, state);
    } catch (cause) {
      throw new LocalChainStateError(this.location, messageOf(cause), cause, 'save');
    }
  }

  async #locked<T>(work: () => Promise<T>): Promise<T> {
    // The lock refreshes its own mtime while held; if that fails (the folder vanished) the
    // default handler throws from a timer and kills the process, so record it instead.
    let compromised = undefined as Error | undefined;
    let release: () => Promise<void>;
    try {
      release = await this.#acquire((error) => {
        compromised ??= error;
      });
    } catch (cause) {
      throw new LocalChainStateError(
        this.location,
        `Cannot lock the state file: ${messageOf(cause)}`,
        cause,
        'save',
      );
    }
    let result: T;
    try {
      result = await work();
    } finally {
      await release().catch((cause: unknown) => {
        compromised ??= cause instanceof Error ? cause : new Error(String(cause));
      });
    }
    // A lost lock means this write may have raced another process's: say so.
    if (compromised) {
      throw new LocalChainStateError(
        this.location,
        `Lost the lock on the state file: ${compromised.message}`,
        compromised,
        'save',
      );
    }
    return result;
  }

  /**
   * Takes the lock, waiting with backoff while another holder has it. proper-lockfile's own
   * retries would also retry errors that will not go away (a missing folder), so only
   * ELOCKED is retried here.
   */
  async #acquire(onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      try {
        return await lock(this.location, { realpath: false, stale: STALE_LOCK_MS, onCompromised });
      } catch (error) {
        const held = (error as NodeJS.ErrnoException).code === 'ELOCKED';
        if (!held || Date.now() + delay > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
