import { CausalLM, type CausalLMLoadOptions } from '../causal/CausalLM';
import { locateModelFiles } from '../model/loadModelDir';
import { RegistryError } from './RegistryError';
import { Semaphore } from './Semaphore';

export interface RegistryModelSpec {
  dir: string;
  /** How many callers may hold this model at once; the rest queue. Default 1. */
  maxConcurrency?: number;
  load?: CausalLMLoadOptions;
}

export interface ModelRegistryOptions {
  /** Memory the loaded models may take together, in bytes. */
  budgetBytes: number;
  models: Readonly<Record<string, RegistryModelSpec>>;
  /**
   * Charge each model the larger of its file sizes and the RSS growth measured while it
   * loaded (default true). RSS deltas overlap when models load concurrently, so they are
   * an estimate; turn this off for budgets based on file sizes alone.
   */
  measureRss?: boolean;
  /** How a model is opened; defaults to `CausalLM.load(spec.dir, spec.load)`. */
  loader?: (name: string, spec: RegistryModelSpec) => Promise<CausalLM>;
}

/** A model checked out of the registry; it cannot be evicted until released. */
export interface ModelLease {
  readonly name: string;
  readonly model: CausalLM;
  /** Returns the model to the registry; calling it again does nothing. */
  release(): void;
}

export type ModelState = 'unloaded' | 'loading' | 'loaded';

export interface ModelStats {
  state: ModelState;
  /** Bytes charged against the budget (0 when unloaded). */
  bytes: number;
  active: number;
  queued: number;
  loads: number;
}

interface Entry {
  spec: RegistryModelSpec;
  gate: Semaphore;
  state: ModelState;
  loading: Promise<CausalLM> | undefined;
  model: CausalLM | undefined;
  bytes: number;
  active: number;
  lastUsed: number;
  loads: number;
}

/**
 * Several base models under one memory budget. Models load lazily on first use, once even
 * when requested concurrently; when a load needs room, the least recently used model that
 * nobody holds is evicted, and if every loaded model is busy the load waits for a release.
 */
export class ModelRegistry {
  readonly budgetBytes: number;
  private readonly entries = new Map<string, Entry>();
  private readonly measureRss: boolean;
  private readonly loader: (name: string, spec: RegistryModelSpec) => Promise<CausalLM>;
  private clock = 0;
  private capacityWaiters: (() => void)[] = [];
  private disposed = false;

  constructor(options: ModelRegistryOptions) {
    if (!Number.isFinite(options.budgetBytes) || options.budgetBytes <= 0) {
      throw new RegistryError('REGISTRY_INVALID_OPTIONS', 'budgetBytes must be a positive number', {
        details: `got ${options.budgetBytes}`,
      });
    }
    this.budgetBytes = options.budgetBytes;
    this.measureRss = options.measureRss ?? true;
    this.loader = options.loader ?? ((_, spec) => CausalLM.load(spec.dir, spec.load));
    for (const [name, spec] of Object.entries(options.models)) {
      const permits = spec.maxConcurrency ?? 1;
      if (!Number.isInteger(permits) || permits < 1) {
        throw new RegistryError(
          'REGISTRY_INVALID_OPTIONS',
          `model ${name}: maxConcurrency must be a positive integer`,
          {
            details: `got ${spec.maxConcurrency}`,
          },
        );
      }
      this.entries.set(name, {
        spec,
        gate: new Semaphore(permits),
        state: 'unloaded',
        loading: undefined,
        model: undefined,
        bytes: 0,
        active: 0,
        lastUsed: 0,
        loads: 0,
      });
    }
  }

  get names(): string[] {
    return [...this.entries.keys()];
  }

  /** Bytes charged by loaded and loading models. */
  get usedBytes(): number {
    let used = 0;
    for (const entry of this.entries.values()) used += entry.bytes;
    return used;
  }

  stats(name: string): ModelStats {
    const entry = this.entry(name);
    return {
      state: entry.state,
      bytes: entry.bytes,
      active: entry.active,
      queued: entry.gate.queued,
      loads: entry.loads,
    };
  }

  /**
   * Checks a model out, waiting for a concurrency slot and loading it if needed. Release the
   * lease when done; `signal` abandons the wait (not a load already under way).
   */
  async acquire(name: string, options: { signal?: AbortSignal } = {}): Promise<ModelLease> {
    this.assertOpen();
    const entry = this.entry(name);
    await entry.gate.acquire(options.signal);
    entry.active++;
    let model: CausalLM;
    try {
      this.assertOpen();
      model = await this.ensureLoaded(name, entry, options.signal);
    } catch (error) {
      entry.active--;
      entry.gate.release();
      this.notifyCapacity();
      throw error;
    }
    let released = false;
    return {
      name,
      model,
      release: () => {
        if (released) return;
        released = true;
        entry.active--;
        entry.lastUsed = ++this.clock;
        entry.gate.release();
        this.notifyCapacity();
      },
    };
  }

  /** Runs `fn` with the model checked out, releasing it however `fn` ends. */
  async use<T>(
    name: string,
    fn: (model: CausalLM) => Promise<T>,
    options: { signal?: AbortSignal } = {},
  ): Promise<T> {
    const lease = await this.acquire(name, options);
    try {
      return await fn(lease.model);
    } finally {
      lease.release();
    }
  }

  /** Unloads a model now if nobody holds it; returns whether it was unloaded. */
  async unload(name: string): Promise<boolean> {
    const entry = this.entry(name);
    if (entry.state !== 'loaded' || entry.active > 0) return false;
    await this.evict(entry);
    return true;
  }

  /** Unloads every model and refuses further requests. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const error = new RegistryError('REGISTRY_DISPOSED', 'the model registry was disposed');
    for (const entry of this.entries.values()) entry.gate.rejectAll(error);
    this.notifyCapacity();
    await Promise.all(
      [...this.entries.values()].map(async (entry) => {
        const model = entry.model ?? (await entry.loading?.catch(() => undefined));
        entry.model = undefined;
        entry.state = 'unloaded';
        entry.bytes = 0;
        await model?.dispose();
      }),
    );
  }

  private async ensureLoaded(
    name: string,
    entry: Entry,
    signal: AbortSignal | undefined,
  ): Promise<CausalLM> {
    if (entry.model) return entry.model;
    if (entry.loading) return entry.loading;
    entry.loading = this.load(name, entry, signal);
    try {
      return await entry.loading;
    } finally {
      entry.loading = undefined;
    }
  }

  private async load(
    name: string,
    entry: Entry,
    signal: AbortSignal | undefined,
  ): Promise<CausalLM> {
    const { modelBytes } = await locateModelFiles(entry.spec.dir, entry.spec.load ?? {});
    if (modelBytes > this.budgetBytes) {
      throw new RegistryError(
        'REGISTRY_OVER_BUDGET',
        `model ${name} alone exceeds the memory budget`,
        {
          details: `${modelBytes} bytes of model files, budget ${this.budgetBytes} bytes`,
        },
      );
    }
    await this.reserve(entry, modelBytes, signal);
    const before = process.memoryUsage.rss();
    let model: CausalLM;
    try {
      model = await this.loader(name, entry.spec);
    } catch (error) {
      entry.state = 'unloaded';
      entry.bytes = 0;
      this.notifyCapacity();
      throw error;
    }
    if (this.disposed) {
      await model.dispose();
      throw new RegistryError('REGISTRY_DISPOSED', 'the model registry was disposed during a load');
    }
    if (this.measureRss) entry.bytes = Math.max(modelBytes, process.memoryUsage.rss() - before);
    entry.model = model;
    entry.state = 'loaded';
    entry.loads++;
    entry.lastUsed = ++this.clock;
    return model;
  }

  /**
   * Evicts idle models, least recently used first, until `bytes` more fit, then charges them
   * to `entry` in the same tick so concurrent loads cannot both claim the same room. Waits
   * while every loaded model is busy.
   */
  private async reserve(
    entry: Entry,
    bytes: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    for (;;) {
      this.assertOpen();
      if (this.usedBytes + bytes <= this.budgetBytes) {
        entry.state = 'loading';
        entry.bytes = bytes;
        return;
      }
      const idle = [...this.entries.values()]
        .filter((e) => e.state === 'loaded' && e.active === 0)
        .sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (idle) {
        await this.evict(idle);
        continue;
      }
      await this.waitForCapacity(signal);
    }
  }

  private async evict(entry: Entry): Promise<void> {
    const model = entry.model;
    entry.model = undefined;
    entry.state = 'unloaded';
    entry.bytes = 0;
    await model?.dispose();
  }

  private waitForCapacity(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) {
      return Promise.reject(
        new RegistryError('REGISTRY_ABORTED', 'gave up waiting for memory', {
          cause: signal.reason,
        }),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.capacityWaiters = this.capacityWaiters.filter((w) => w !== wake);
        reject(
          new RegistryError('REGISTRY_ABORTED', 'gave up waiting for memory', {
            cause: signal?.reason,
          }),
        );
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.capacityWaiters.push(wake);
    });
  }

  private notifyCapacity(): void {
    const waiters = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const wake of waiters) wake();
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) {
      throw new RegistryError('REGISTRY_UNKNOWN_MODEL', `no model named ${name} in the registry`, {
        details: `known models: ${this.names.join(', ') || 'none'}`,
      });
    }
    return entry;
  }

  private assertOpen(): void {
    if (this.disposed)
      throw new RegistryError('REGISTRY_DISPOSED', 'the model registry was disposed');
  }
}
