import { WsProvider } from '@polkadot/api';

type SubscriptionHandler = Parameters<WsProvider['send']>[3];

/** Answers kept, as @polkadot/rpc-provider's own cache (its DEFAULT_CAPACITY). */
const CAPACITY = 1024;

/**
 * A WsProvider whose cache of block-pinned answers keeps only answers. The parent caches the
 * promise of every call pinned to a block hash (`state_call`, `state_getStorage` at a hash)
 * for 30 s, a rejected one too: once the socket has dropped, retrying a read at the same block
 * got the old "disconnected from …" error back, without asking the node, until the entry
 * expired. Here a failed call leaves the cache, so the retry after a reconnect reaches the node.
 * Answers at a block hash never change, so keeping the successful ones stays correct.
 */
export class AnswerCachingWsProvider extends WsProvider {
  readonly #answers = new Map<string, Promise<unknown>>();

  override send<T = unknown>(
    method: string,
    params: unknown[],
    isCacheable?: boolean,
    subscription?: SubscriptionHandler,
  ): Promise<T> {
    if (!isCacheable || subscription) return super.send<T>(method, params, false, subscription);
    const key = `${method}::${JSON.stringify(params)}`;
    const cached = this.#answers.get(key);
    if (cached) {
      this.#answers.delete(key);
      this.#answers.set(key, cached);
      return cached as Promise<T>;
    }
    const answer = super.send<T>(method, params, false);
    this.#answers.set(key, answer);
    if (this.#answers.size > CAPACITY) {
      const oldest = this.#answers.keys().next().value;
      if (oldest !== undefined) this.#answers.delete(oldest);
    }
    answer.catch(() => {
      if (this.#answers.get(key) === answer) this.#answers.delete(key);
    });
    return answer;
  }
}
