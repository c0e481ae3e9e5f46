import type { ApiPromise } from '@polkadot/api';

/**
 * Waits until the API's websocket is up (at once when it already is), for at most
 * `timeoutMs`: true when it is, false when the deadline came first. The reconnecting itself
 * is connectApi's backoff; this only listens for its outcome.
 */
export function untilConnected(api: ApiPromise, timeoutMs: number): Promise<boolean> {
  if (api.isConnected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onConnected = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      api.off('connected', onConnected);
      resolve(false);
    }, timeoutMs);
    api.once('connected', onConnected);
  });
}
