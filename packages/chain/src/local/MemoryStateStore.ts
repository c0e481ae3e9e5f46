import type { LocalChainState } from './LocalChainState';
import type { StateStore } from './StateStore';

/** State held by one LocalChain only: the embedded devnet and tests. */
export class MemoryStateStore implements StateStore {
  readonly location = '(memory)';
  readonly readOnly = false;
  #state: LocalChainState;

  constructor(state: LocalChainState) {
    this.#state = state;
  }

  async read(): Promise<LocalChainState> {
    return this.#state;
  }

  async update<T>(change: (state: LocalChainState) => T): Promise<T> {
    // Work on a copy so a change that throws halfway leaves the state as it was.
    const next = structuredClone(this.#state);
    const result = change(next);
    this.#state = next;
    return result;
  }

  async close(): Promise<void> {}
}
