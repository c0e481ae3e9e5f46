import { ApiPromise } from '@polkadot/api';
import { ChainUnreachableError } from '../errors/ChainErrors';
import { AnswerCachingWsProvider } from './AnswerCachingWsProvider';
import { SUBTENSOR_SIGNED_EXTENSIONS } from './signedExtensions';

export interface ReconnectPolicy {
  /** Delay before the first reconnect attempt. */
  initialDelayMs: number;
  /** The delay doubles per failed attempt up to this cap. */
  maxDelayMs: number;
  /** Told of every reconnect attempt as it is scheduled (logs, metrics, tests). */
  onRetry?: (retry: ReconnectAttempt) => void;
}

/** One scheduled reconnect attempt: the how-many-th since the link was last up, and its delay. */
export interface ReconnectAttempt {
  attempt: number;
  delayMs: number;
}

export interface ConnectApiOptions {
  /** Deadline for the initial connection and for every request. */
  timeoutMs: number;
  reconnect: ReconnectPolicy;
}

export interface ConnectedApi {
  api: ApiPromise;
  /** Stops reconnecting and closes the socket. */
  disconnect(): Promise<void>;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  // The ws layer reports failures as DOM-like ErrorEvents with a `message` or `error` field.
  if (typeof error === 'object' && error !== null) {
    const event = error as { message?: unknown; error?: unknown };
    if (typeof event.message === 'string' && event.message) return event.message;
    if (event.error instanceof Error) return event.error.message;
  }
  return String(error);
}

/**
 * Opens an ApiPromise over a WebSocket that fails fast when the endpoint is dead and, once
 * connected, reconnects with exponential backoff. @polkadot/api's own retry loop uses a fixed
 * delay and never gives up on the first connection, which turns a typo into a silent hang.
 * Its provider also kept failed answers cached (see AnswerCachingWsProvider).
 */
export async function connectApi(url: string, options: ConnectApiOptions): Promise<ConnectedApi> {
  const provider = new AnswerCachingWsProvider(url, false, {}, options.timeoutMs);
  const api = new ApiPromise({
    provider,
    signedExtensions: SUBTENSOR_SIGNED_EXTENSIONS,
    noInitWarn: true,
  });
  // The API keeps an internal ready-or-error promise that rejects on a socket error; we
  // report that error ourselves, so mark the promise handled instead of crashing the process.
  api.isReadyOrError.catch(() => undefined);
  let ready = false;
  let closing = false;
  let delay = options.reconnect.initialDelayMs;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  provider.on('connected', () => {
    delay = options.reconnect.initialDelayMs;
    attempt = 0;
  });
  provider.on('disconnected', () => {
    if (!ready || closing) return;
    clearTimeout(retryTimer);
    attempt += 1;
    options.reconnect.onRetry?.({ attempt, delayMs: delay });
    retryTimer = setTimeout(() => {
      if (!closing && !provider.isConnected) provider.connect().catch(() => undefined);
    }, delay);
    delay = Math.min(delay * 2, options.reconnect.maxDelayMs);
  });

  /** Resolves once the socket has closed (at once when it is not open), within the deadline. */
  const socketClosed = (): Promise<void> => {
    if (!provider.isConnected) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(closeTimer);
        off();
        resolve();
      };
      const closeTimer = setTimeout(done, options.timeoutMs);
      const off = provider.on('disconnected', done);
    });
  };

  // Waits for the close handshake: a node closed right after would otherwise cut the socket
  // (1006) under requests still in flight, and their failures surface after the caller moved on.
  const disconnect = async (): Promise<void> => {
    closing = true;
    clearTimeout(retryTimer);
    const closed = socketClosed();
    await api.disconnect().catch(() => undefined);
    await closed;
  };

  let timer: NodeJS.Timeout | undefined;
  let removeErrorListener: () => void = () => undefined;
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ChainUnreachableError(url, {
            details: `No ready node within ${options.timeoutMs} ms.`,
          }),
        ),
      options.timeoutMs,
    );
    removeErrorListener = provider.on('error', (error: unknown) =>
      reject(new ChainUnreachableError(url, { details: describe(error), cause: error })),
    );
    api.once('error', (error: unknown) =>
      reject(new ChainUnreachableError(url, { details: describe(error), cause: error })),
    );
  });
  try {
    await provider.connect();
    await Promise.race([api.isReady, failure]);
    ready = true;
    return { api, disconnect };
  } catch (error) {
    await disconnect();
    if (error instanceof ChainUnreachableError) throw error;
    throw new ChainUnreachableError(url, { details: describe(error), cause: error });
  } finally {
    clearTimeout(timer);
    removeErrorListener();
  }
}
