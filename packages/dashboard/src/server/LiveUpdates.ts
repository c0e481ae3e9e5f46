import type { ServerResponse } from 'node:http';
import type { ViewCache } from './ViewCache';

interface Viewer {
  response: ServerResponse;
  views: ReadonlySet<string>;
}

export interface LiveUpdatesOptions {
  caches: ReadonlyMap<string, ViewCache<unknown>>;
  /** How often the watched views are re-read while anyone watches. */
  intervalMs: number;
  /** Open streams at most; more are refused so a flood of tabs stays bounded. */
  maxViewers: number;
  heartbeatMs?: number;
  onError: (view: string, error: unknown) => void;
}

const frame = (event: string, data: unknown) =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Server-Sent Events for the pages: while at least one viewer is connected, the views they
 * watch are re-read every `intervalMs` (once, whoever watches), and each viewer of a view
 * whose ETag moved gets `event: change` with `{view, etag}`; the page then fetches the JSON.
 * A viewer starts with `event: hello` carrying the current ETags, so an update that landed
 * between its page load and its stream is not missed. Nothing runs while nobody watches.
 */
export class LiveUpdates {
  readonly #options: LiveUpdatesOptions;
  readonly #viewers = new Set<Viewer>();
  readonly #sent = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: LiveUpdatesOptions) {
    this.#options = options;
  }

  get viewers(): number {
    return this.#viewers.size;
  }

  /** Starts a stream on `response`; false (nothing written) when the viewer limit is reached. */
  add(response: ServerResponse, views: readonly string[]): boolean {
    if (this.#closed || this.#viewers.size >= this.#options.maxViewers) return false;
    const viewer: Viewer = { response, views: new Set(views) };
    this.#viewers.add(viewer);
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const etags: Record<string, string> = {};
    for (const view of views) {
      const current = this.#options.caches.get(view)?.current;
      if (!current) continue;
      etags[view] = current.etag;
      if (!this.#sent.has(view)) this.#sent.set(view, current.etag);
    }
    response.write(`retry: 2000\n\n${frame('hello', { etags })}`);
    response.once('close', () => {
      this.#viewers.delete(viewer);
      if (this.#viewers.size === 0) this.#stop();
    });
    this.#start();
    return true;
  }

  close(): void {
    this.#closed = true;
    this.#stop();
    for (const viewer of this.#viewers) viewer.response.end();
    this.#viewers.clear();
  }

  #start(): void {
    if (this.#timer || this.#closed) return;
    this.#schedule();
    this.#heartbeat = setInterval(() => {
      for (const viewer of this.#viewers) viewer.response.write(': keep-alive\n\n');
    }, this.#options.heartbeatMs ?? 15_000);
    this.#heartbeat.unref();
  }

  #stop(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#heartbeat);
    this.#timer = undefined;
    this.#heartbeat = undefined;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#tick().finally(() => {
        if (this.#timer && this.#viewers.size > 0 && !this.#closed) this.#schedule();
      });
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    const watched = new Set<string>();
    for (const viewer of this.#viewers) for (const view of viewer.views) watched.add(view);
    await Promise.all(
      [...watched].map(async (view) => {
        const cache = this.#options.caches.get(view);
        if (!cache) return;
        try {
          const { etag } = await cache.refresh();
          const before = this.#sent.get(view);
          this.#sent.set(view, etag);
          if (before === etag) return;
          const message = frame('change', { view, etag });
          for (const viewer of this.#viewers) {
            if (viewer.views.has(view)) viewer.response.write(message);
          }
        } catch (error) {
          this.#options.onError(view, error);
        }
      }),
    );
  }
}
