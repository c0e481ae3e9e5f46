import { createHash } from 'node:crypto';
import { isSignalError } from '@signal/core';
import { type ZodType, z } from 'zod';
import { DashboardError } from '../errors/DashboardError';

/** One read of a source, checked and serialised once for every viewer. */
export interface Snapshot<T> {
  data: T;
  json: string;
  /** Changes exactly when the data does (`generated_at` aside). */
  etag: string;
  readAt: number;
  /** What `basis` said when this read started. */
  basis: string | undefined;
}

export interface ViewCacheOptions {
  /** Reads within this age of the last one share it. */
  maxAgeMs: number;
  /**
   * The version of the data this view derives from (another view's ETag): a snapshot read
   * under an older version is stale whatever its age, so a view never lags the one that
   * announced the change.
   */
  basis?: () => string | undefined;
}

/**
 * Fractions keep 6 significant digits on the wire: far more than any page shows, and a
 * Miners view of 256 miners × 32 epochs a third smaller than with 17.
 */
function compact(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value)
    ? Number(value.toPrecision(6))
    : value;
}

/** The hash behind an ETag: everything but the read time, which changes on every read. */
function etagOf(data: unknown): string {
  const stable = JSON.stringify(data, (key, value) => (key === 'generated_at' ? undefined : value));
  return `"${createHash('sha256').update(stable).digest('base64url').slice(0, 22)}"`;
}

/**
 * A source behind a short-lived cache: reads within `maxAgeMs` of the last share it, reads
 * at the same time share one call, and every result is parsed with the view's schema, which
 * drops any field the schema does not declare, so nothing a source carries by mistake (a
 * key, a path) can reach a response. A source that throws or breaks its schema is a
 * `DashboardError('DASHBOARD_SOURCE_FAILED')` naming the view, never a half-drawn page.
 */
export class ViewCache<T> {
  readonly name: string;
  readonly #read: () => Promise<unknown>;
  readonly #schema: ZodType<T>;
  readonly #maxAgeMs: number;
  readonly #basis: () => string | undefined;
  #current: Snapshot<T> | undefined;
  #pending: Promise<Snapshot<T>> | undefined;

  constructor(
    name: string,
    read: () => Promise<unknown>,
    schema: ZodType<T>,
    options: ViewCacheOptions,
  ) {
    this.name = name;
    this.#read = read;
    this.#schema = schema;
    this.#maxAgeMs = options.maxAgeMs;
    this.#basis = options.basis ?? (() => undefined);
  }

  get current(): Snapshot<T> | undefined {
    return this.#current;
  }

  get(): Promise<Snapshot<T>> {
    const current = this.#current;
    if (
      current &&
      Date.now() - current.readAt < this.#maxAgeMs &&
      current.basis === this.#basis()
    ) {
      return Promise.resolve(current);
    }
    return this.refresh();
  }

  /** Reads the source now (joining a read already under way). */
  refresh(): Promise<Snapshot<T>> {
    if (this.#pending) return this.#pending;
    const pending = this.#load().finally(() => {
      this.#pending = undefined;
    });
    this.#pending = pending;
    return pending;
  }

  async #load(): Promise<Snapshot<T>> {
    const basis = this.#basis();
    let raw: unknown;
    try {
      raw = await this.#read();
    } catch (error) {
      const code = isSignalError(error) ? ` (${error.code})` : '';
      throw new DashboardError(
        'DASHBOARD_SOURCE_FAILED',
        `The ${this.name} source failed${code}.`,
        {
          cause: error,
        },
      );
    }
    const parsed = this.#schema.safeParse(raw);
    if (!parsed.success) {
      throw new DashboardError(
        'DASHBOARD_SOURCE_FAILED',
        `The ${this.name} source returned data outside its schema.`,
        { details: z.prettifyError(parsed.error), cause: parsed.error },
      );
    }
    const snapshot: Snapshot<T> = {
      data: parsed.data,
      json: JSON.stringify(parsed.data, compact),
      etag: etagOf(parsed.data),
      readAt: Date.now(),
      basis,
    };
    this.#current = snapshot;
    return snapshot;
  }
}
