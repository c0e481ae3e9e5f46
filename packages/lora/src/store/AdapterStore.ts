import { performance } from 'node:perf_hooks';
import { LoraError } from '../errors/LoraError';
import type { LoraAdapter, LoraTarget } from '../peft/LoraAdapter';
import { loadPeftAdapter } from '../peft/loadPeftAdapter';
import type { AdapterSource } from './AdapterSource';
import { assertAdapterName } from './adapterName';

export interface AdapterStoreOptions {
  /** The grafted base's linear layers; every adapter is validated against them. */
  readonly targets: Iterable<LoraTarget>;
  /** Tried in order; the first that knows a name wins. */
  readonly sources: readonly AdapterSource[];
  /** Budget for adapters held in memory, in bytes of factor data. */
  readonly maxBytes: number;
  readonly maxRank?: number | undefined;
}

/** A pinned adapter: it cannot be evicted until `release()` (which is idempotent). */
export interface AdapterLease {
  readonly adapter: LoraAdapter;
  release(): void;
}

export interface AdapterInfo {
  readonly name: string;
  readonly source: string;
  readonly bytes: number;
  readonly maxRank: number;
  readonly pins: number;
}

export interface AdapterStoreMetrics {
  readonly hits: number;
  readonly misses: number;
  readonly loads: number;
  readonly evictions: number;
  readonly failures: number;
  /** Bytes currently held. */
  readonly bytes: number;
  readonly loadLatencyMs: {
    readonly count: number;
    readonly total: number;
    readonly max: number;
    readonly last: number;
  };
}

/** Loads an acquire may repeat when concurrent loads keep evicting its adapter. */
const MAX_ACQUIRE_ATTEMPTS = 3;

interface Entry {
  readonly adapter: LoraAdapter;
  readonly source: string;
  pins: number;
}

/**
 * Adapters in memory under a byte budget, least recently used first out, never evicting
 * one a request holds. Concurrent requests for an adapter share one load.
 */
export class AdapterStore {
  readonly #targets: ReadonlyMap<string, LoraTarget>;
  readonly #sources: readonly AdapterSource[];
  readonly #maxBytes: number;
  readonly #maxRank: number | undefined;
  /** Insertion order is recency order: a hit re-inserts at the end. */
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<Entry>>();
  #bytes = 0;
  #metrics = { hits: 0, misses: 0, loads: 0, evictions: 0, failures: 0 };
  #latency = { count: 0, total: 0, max: 0, last: 0 };

  constructor(options: AdapterStoreOptions) {
    if (!(options.maxBytes > 0)) {
      throw new LoraError(
        'LORA_CONFIG_INVALID',
        `AdapterStore maxBytes must be positive, got ${options.maxBytes}`,
      );
    }
    this.#targets = new Map([...options.targets].map((t) => [t.module, t]));
    this.#sources = options.sources;
    this.#maxBytes = options.maxBytes;
    this.#maxRank = options.maxRank;
  }

  /** Loads an adapter into memory (or touches it) without pinning it. */
  async load(name: string, signal?: AbortSignal): Promise<LoraAdapter> {
    return (await this.#obtain(name, signal)).adapter;
  }

  /** Loads and pins an adapter for the duration of a request. */
  async acquire(name: string, signal?: AbortSignal): Promise<AdapterLease> {
    // A load can finish and then lose its slot to another load before this continuation
    // runs; a few retries pin whatever is resident at the moment we look.
    for (let attempt = 0; ; attempt++) {
      const entry = this.#entries.get(name);
      if (entry) {
        this.#touch(name, entry);
        entry.pins += 1;
        let released = false;
        return {
          adapter: entry.adapter,
          release: () => {
            if (released) return;
            released = true;
            entry.pins -= 1;
          },
        };
      }
      if (attempt === MAX_ACQUIRE_ATTEMPTS) {
        throw new LoraError(
          'LORA_CACHE_FULL',
          `Adapter "${name}" was evicted ${attempt} times before it could be pinned`,
          {
            details: 'The store budget is too small for the adapters in concurrent use.',
          },
        );
      }
      await this.#obtain(name, signal);
    }
  }

  /** Materialises an adapter's files (downloads them) without loading it into memory. */
  async prefetch(name: string, signal?: AbortSignal): Promise<void> {
    if (this.#entries.has(name)) return;
    await this.#resolve(name, signal);
  }

  /** Drops an adapter from memory; refuses while a request holds it. Returns whether it was resident. */
  unload(name: string): boolean {
    const entry = this.#entries.get(name);
    if (!entry) return false;
    if (entry.pins > 0) {
      throw new LoraError(
        'LORA_ADAPTER_IN_USE',
        `Adapter "${name}" is in use by ${entry.pins} request(s) and cannot be unloaded`,
      );
    }
    this.#drop(name, entry);
    return true;
  }

  /** Resident adapters, least recently used first. */
  list(): AdapterInfo[] {
    return [...this.#entries].map(([name, e]) => ({
      name,
      source: e.source,
      bytes: e.adapter.byteLength,
      maxRank: e.adapter.maxRank,
      pins: e.pins,
    }));
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  get metrics(): AdapterStoreMetrics {
    return { ...this.#metrics, bytes: this.#bytes, loadLatencyMs: { ...this.#latency } };
  }

  #touch(name: string, entry: Entry): void {
    this.#entries.delete(name);
    this.#entries.set(name, entry);
  }

  #drop(name: string, entry: Entry): void {
    this.#entries.delete(name);
    this.#bytes -= entry.adapter.byteLength;
  }

  async #obtain(name: string, signal?: AbortSignal): Promise<Entry> {
    const resident = this.#entries.get(name);
    if (resident) {
      this.#metrics.hits += 1;
      this.#touch(name, resident);
      return resident;
    }
    this.#metrics.misses += 1;
    const pending = this.#inflight.get(name);
    if (pending) return pending;
    const load = this.#loadEntry(name, signal).finally(() => this.#inflight.delete(name));
    this.#inflight.set(name, load);
    return load;
  }

  async #resolve(name: string, signal?: AbortSignal): Promise<{ dir: string; source: string }> {
    assertAdapterName(name);
    for (const source of this.#sources) {
      const dir = await source.resolve(name, signal);
      if (dir !== undefined) return { dir, source: source.label };
    }
    throw new LoraError('LORA_ADAPTER_NOT_FOUND', `No source has adapter "${name}"`, {
      details: `Sources tried: ${this.#sources.map((s) => s.label).join(', ') || '(none)'}`,
    });
  }

  async #loadEntry(name: string, signal?: AbortSignal): Promise<Entry> {
    const started = performance.now();
    try {
      const { dir, source } = await this.#resolve(name, signal);
      const adapter = await loadPeftAdapter(dir, {
        name,
        targets: this.#targets,
        maxRank: this.#maxRank,
      });
      this.#admit(adapter.byteLength, name);
      const entry: Entry = { adapter, source, pins: 0 };
      this.#entries.set(name, entry);
      this.#bytes += adapter.byteLength;
      this.#metrics.loads += 1;
      const elapsed = performance.now() - started;
      this.#latency = {
        count: this.#latency.count + 1,
        total: this.#latency.total + elapsed,
        max: Math.max(this.#latency.max, elapsed),
        last: elapsed,
      };
      return entry;
    } catch (error) {
      this.#metrics.failures += 1;
      throw error;
    }
  }

  /** Evicts unpinned adapters, oldest first, until `bytes` more fit; refuses if they cannot. */
  #admit(bytes: number, name: string): void {
    if (bytes > this.#maxBytes) {
      throw new LoraError(
        'LORA_TOO_LARGE',
        `Adapter "${name}" needs ${bytes} bytes, above the store budget of ${this.#maxBytes}`,
      );
    }
    for (const [victim, entry] of this.#entries) {
      if (this.#bytes + bytes <= this.#maxBytes) break;
      if (entry.pins > 0) continue;
      this.#drop(victim, entry);
      this.#metrics.evictions += 1;
    }
    if (this.#bytes + bytes > this.#maxBytes) {
      throw new LoraError(
        'LORA_CACHE_FULL',
        `Adapter "${name}" (${bytes} bytes) does not fit: pinned adapters hold ${this.#bytes} of ${this.#maxBytes} bytes`,
      );
    }
  }
}
