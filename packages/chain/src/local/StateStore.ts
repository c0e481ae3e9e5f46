import type { LocalChainState } from './LocalChainState';

/**
 * Where a LocalChain's state lives. Every read sees the latest state and every update is
 * atomic, so several LocalChains (in one process or several) can share one state file
 * without overwriting each other's writes.
 */
export interface StateStore {
  /** What error messages name: the file, or `(memory)`. */
  readonly location: string;
  readonly readOnly: boolean;
  /** The latest state. Callers must not mutate it. */
  read(): Promise<LocalChainState>;
  /**
   * Applies `change` to the latest state and saves the result. If `change` throws, nothing is
   * saved and the error propagates.
   */
  update<T>(change: (state: LocalChainState) => T): Promise<T>;
  close(): Promise<void>;
}
