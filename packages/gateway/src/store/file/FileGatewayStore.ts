import { unwatchFile, watchFile } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { removeStaleTempFiles } from '@signal/chain';
import { ApiKeyAdminError } from '../../errors/GatewayKeyError';
import { GatewayStoreError } from '../../errors/GatewayStoreError';
import {
  type ApiKeyCredential,
  type ApiKeyInfo,
  type ApiKeyRecord,
  apiKeyInfo,
  type KeyLimits,
  KeyLimitsSchema,
} from '../../keys/ApiKeyRecord';
import {
  type CreateApiKeyParameters,
  type CreatedApiKey,
  parseAdminInput,
} from '../../keys/CreateApiKeyParameters';
import { newApiKey } from '../../keys/newApiKey';
import { takeFromWindow } from '../../limits/slidingWindow';
import { type MinerView, MinerViewSchema } from '../../miners/MinerView';
import { minerCooldownMs } from '../../miners/minerCooldown';
import { emptyUsageDay, type UsageDay } from '../../usage/UsageDay';
import { msToNextUtcDay, utcDayKey, utcDayNumber } from '../../usage/utcDay';
import { BoundedCache } from '../BoundedCache';
import type {
  Admission,
  AdmissionRequest,
  GatewayStore,
  MinerOutcome,
  Settlement,
  UsageQuery,
} from '../GatewayStore';
import { filterUsage, settleUsage } from '../usageQueries';
import {
  fileStorePaths,
  KEYS_SCHEMA_VERSION,
  type KeysFile,
  KeysFileSchema,
  USAGE_SCHEMA_VERSION,
  UsageFileSchema,
} from './FileStoreFiles';
import { readJsonFile, writeJsonFile } from './jsonFile';
import { acquireFileLock, withFileLock } from './withFileLock';

/** `serve`: the one gateway process admitting requests; `admin`: the CLI, the validator. */
export type FileStoreRole = 'serve' | 'admin';

export interface FileGatewayStoreOptions {
  role: FileStoreRole;
  /** Epoch milliseconds; injectable for tests. */
  now?: () => number;
  /** How often a serving store looks for changes other processes made (keys, miners). */
  pollMs?: number;
}

/** Days of usage kept; older days are dropped when the file is next written. */
export const USAGE_RETENTION_DAYS = 400;

/**
 * The gateway's state in a directory, for one machine: keys in `keys.json` (changed under a
 * lock by any process, e.g. `signal gateway keys`), the validator's view in `miners.json`,
 * and usage in `usage.json`, kept by the single serving process. That process holds a lock
 * for as long as it serves, so a second gateway on the same directory is refused rather
 * than allowed to double every limit; its windows and cooldowns live in its memory, and it
 * notices the other files change within `pollMs`.
 */
export class FileGatewayStore implements GatewayStore {
  readonly description: string;
  readonly available = true;
  readonly #paths: ReturnType<typeof fileStorePaths>;
  readonly #role: FileStoreRole;
  readonly #now: () => number;
  readonly #pollMs: number;
  #keys = new Map<string, ApiKeyRecord>();
  #view: MinerView | undefined;
  #viewVersion = 0;
  readonly #windows = new Map<string, number[]>();
  readonly #usage = new Map<string, UsageDay>();
  readonly #failures = new Map<string, number>();
  readonly #cooldowns = new Map<string, number>();
  /** Recent settlement ids, so one delivered twice is counted once (as in Redis). */
  readonly #settled = new BoundedCache<string, boolean>(100_000);
  #release: (() => Promise<void>) | undefined;
  #flushing: Promise<void> | undefined;
  #dirty = false;
  #closed = false;

  private constructor(dir: string, options: FileGatewayStoreOptions) {
    this.description = `file:${dir}`;
    this.#paths = fileStorePaths(dir);
    this.#role = options.role;
    this.#now = options.now ?? Date.now;
    this.#pollMs = options.pollMs ?? 200;
  }

  static async open(dir: string, options: FileGatewayStoreOptions): Promise<FileGatewayStore> {
    const store = new FileGatewayStore(dir, options);
    await mkdir(dir, { recursive: true });
    for (const path of Object.values(store.#paths)) await removeStaleTempFiles(path);
    if (options.role === 'serve') await store.#startServing();
    return store;
  }

  async #startServing(): Promise<void> {
    try {
      this.#release = await acquireFileLock(this.#paths.usage, () => undefined, 0);
    } catch (cause) {
      throw new GatewayStoreError(
        'GATEWAY_STORE_LOCKED',
        'Another gateway already serves from this file store.',
        {
          details: `${this.description}: one process per file store; run replicas on Redis (--gateway.redis-url)`,
          cause,
        },
      );
    }
    try {
      const usage = await readJsonFile(this.#paths.usage, UsageFileSchema);
      for (const day of usage?.days ?? []) this.#usage.set(usageKey(day.keyId, day.day), day);
      await this.#reloadKeys();
      await this.#reloadView();
    } catch (error) {
      await this.#release();
      throw error;
    }
    watchFile(this.#paths.keys, { interval: this.#pollMs, persistent: false }, () => {
      this.#reloadKeys().catch(() => undefined);
    });
    watchFile(this.#paths.miners, { interval: this.#pollMs, persistent: false }, () => {
      this.#reloadView().catch(() => undefined);
    });
  }

  async #reloadKeys(): Promise<void> {
    const file = await readJsonFile(this.#paths.keys, KeysFileSchema);
    this.#keys = new Map((file?.keys ?? []).map((key) => [key.id, key]));
  }

  async #reloadView(): Promise<void> {
    this.#view = await readJsonFile(this.#paths.miners, MinerViewSchema);
    this.#viewVersion += 1;
  }

  async #readKeys(): Promise<KeysFile> {
    return (
      (await readJsonFile(this.#paths.keys, KeysFileSchema)) ?? {
        schemaVersion: KEYS_SCHEMA_VERSION,
        keys: [],
      }
    );
  }

  /** One key change: lock, re-read (another process may have written), change, write. */
  #changeKeys<T>(change: (keys: ApiKeyRecord[]) => Promise<{ keys: ApiKeyRecord[]; result: T }>) {
    return withFileLock(this.#paths.keys, async () => {
      const file = await this.#readKeys();
      const { keys, result } = await change(file.keys);
      await writeJsonFile(this.#paths.keys, { schemaVersion: KEYS_SCHEMA_VERSION, keys });
      this.#keys = new Map(keys.map((key) => [key.id, key]));
      return result;
    });
  }

  createKey(parameters: CreateApiKeyParameters): Promise<CreatedApiKey> {
    return this.#changeKeys(async (keys) => {
      const { key, record } = await newApiKey(
        parameters,
        (id) => keys.some((existing) => existing.id === id),
        this.#now(),
      );
      return { keys: [...keys, record], result: { key, info: apiKeyInfo(record) } };
    });
  }

  async listKeys(): Promise<ApiKeyInfo[]> {
    return (await this.#readKeys()).keys.map(apiKeyInfo);
  }

  revokeKey(id: string): Promise<ApiKeyInfo> {
    return this.#updateKey(id, (key) => ({ ...key, revokedAt: key.revokedAt ?? this.#now() }));
  }

  setKeyLimits(id: string, limits: Partial<KeyLimits>): Promise<ApiKeyInfo> {
    const partial = parseAdminInput(KeyLimitsSchema.partial(), limits, 'key limits');
    return this.#updateKey(id, (key) => ({ ...key, limits: { ...key.limits, ...partial } }));
  }

  #updateKey(id: string, update: (key: ApiKeyRecord) => ApiKeyRecord): Promise<ApiKeyInfo> {
    return this.#changeKeys(async (keys) => {
      const current = keys.find((key) => key.id === id);
      if (!current) {
        throw new ApiKeyAdminError('GATEWAY_KEY_UNKNOWN', 'No API key with this id.', {
          details: `id=${id}`,
        });
      }
      const updated = update(current);
      return {
        keys: keys.map((key) => (key.id === id ? updated : key)),
        result: apiKeyInfo(updated),
      };
    });
  }

  async credential(id: string): Promise<ApiKeyCredential | undefined> {
    const record =
      this.#role === 'serve'
        ? this.#keys.get(id)
        : (await this.#readKeys()).keys.find((key) => key.id === id);
    return record && { id: record.id, salt: record.salt, hash: record.hash, scopes: record.scopes };
  }

  async admit({ keyId, reserveTokens }: AdmissionRequest): Promise<Admission> {
    this.#assertServing('admit');
    const key = this.#keys.get(keyId);
    if (!key) return { admitted: false, reason: 'unknown', retryAfterMs: 0 };
    if (key.revokedAt !== null) return { admitted: false, reason: 'revoked', retryAfterMs: 0 };
    const now = this.#now();
    const day = utcDayNumber(now);
    const usage = this.#usageDay(keyId, day);
    const refuse = (reason: 'requests_per_minute' | 'tokens_per_day', retryAfterMs: number) => {
      usage.rateLimited += 1;
      this.#changed();
      return { admitted: false as const, reason, retryAfterMs };
    };
    const { requestsPerMinute, tokensPerDay } = key.limits;
    if (
      tokensPerDay !== null &&
      usage.tokensOut + usage.reservedTokens + reserveTokens > tokensPerDay
    ) {
      return refuse('tokens_per_day', msToNextUtcDay(now));
    }
    if (requestsPerMinute !== null) {
      let log = this.#windows.get(keyId);
      if (!log) {
        log = [];
        this.#windows.set(keyId, log);
      }
      const decision = takeFromWindow(log, requestsPerMinute, now);
      if (!decision.allowed) return refuse('requests_per_minute', decision.retryAfterMs);
    }
    usage.requests += 1;
    usage.reservedTokens += reserveTokens;
    this.#changed();
    return {
      admitted: true,
      ticket: { keyId, day, reservedTokens: reserveTokens },
      cooldowns: await this.minerCooldowns(),
      minerViewVersion: this.#viewVersion,
    };
  }

  async settle(settlement: Settlement): Promise<void> {
    this.#assertServing('settle');
    if (this.#settled.get(settlement.id)) return;
    this.#settled.set(settlement.id, true);
    const day = settlement.ticket?.day ?? utcDayNumber(this.#now());
    settleUsage(this.#usageDay(settlement.keyId, day), settlement);
    this.#changed();
  }

  async usage(query: UsageQuery = {}): Promise<UsageDay[]> {
    const days =
      this.#role === 'serve'
        ? [...this.#usage.values()]
        : ((await readJsonFile(this.#paths.usage, UsageFileSchema))?.days ?? []);
    return filterUsage(days, query);
  }

  async publishMinerView(view: MinerView): Promise<void> {
    const parsed = MinerViewSchema.parse(view);
    await writeJsonFile(this.#paths.miners, parsed);
    if (this.#role === 'serve') {
      this.#view = parsed;
      this.#viewVersion += 1;
    }
  }

  async minerView(): Promise<MinerView | undefined> {
    if (this.#role === 'serve') return this.#view;
    return readJsonFile(this.#paths.miners, MinerViewSchema);
  }

  async minerViewVersion(): Promise<number> {
    return this.#viewVersion;
  }

  async recordMinerOutcome(hotkey: string, outcome: MinerOutcome): Promise<void> {
    if (outcome.ok) {
      this.#failures.delete(hotkey);
      this.#cooldowns.delete(hotkey);
      return;
    }
    const failures = (this.#failures.get(hotkey) ?? 0) + 1;
    this.#failures.set(hotkey, failures);
    this.#cooldowns.set(hotkey, this.#now() + minerCooldownMs(failures, outcome.retryAfterMs));
  }

  async minerCooldowns(): Promise<ReadonlyMap<string, number>> {
    const now = this.#now();
    const left = new Map<string, number>();
    for (const [hotkey, until] of this.#cooldowns) {
      if (until <= now) this.#cooldowns.delete(hotkey);
      else left.set(hotkey, until - now);
    }
    return left;
  }

  onAvailability(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    unwatchFile(this.#paths.keys);
    unwatchFile(this.#paths.miners);
    if (this.#role === 'serve') {
      await this.#flushing;
      if (this.#dirty) await this.#flush();
      await this.#release?.();
    }
  }

  #assertServing(what: string): void {
    if (this.#role !== 'serve' || this.#closed) {
      throw new GatewayStoreError('GATEWAY_STORE_CONFIG', `This file store cannot ${what}.`, {
        details: this.#closed
          ? 'the store is closed'
          : 'only the store a gateway serves from (role "serve") admits and meters requests',
      });
    }
  }

  #usageDay(keyId: string, day: number): UsageDay {
    const id = usageKey(keyId, utcDayKey(day));
    let usage = this.#usage.get(id);
    if (!usage) {
      usage = emptyUsageDay(keyId, utcDayKey(day));
      this.#usage.set(id, usage);
    }
    return usage;
  }

  /** Usage changed: write it soon, one write at a time, the newest state each time. */
  #changed(): void {
    this.#dirty = true;
    if (this.#flushing || this.#closed) return;
    this.#flushing = this.#flush().finally(() => {
      this.#flushing = undefined;
      if (this.#dirty && !this.#closed) this.#changed();
    });
  }

  async #flush(): Promise<void> {
    this.#dirty = false;
    const oldest = utcDayKey(utcDayNumber(this.#now()) - USAGE_RETENTION_DAYS);
    for (const [id, day] of this.#usage) if (day.day < oldest) this.#usage.delete(id);
    try {
      await writeJsonFile(this.#paths.usage, {
        schemaVersion: USAGE_SCHEMA_VERSION,
        days: [...this.#usage.values()],
      });
    } catch {
      // Kept in memory and written with the next change or at close.
      this.#dirty = true;
    }
  }
}

function usageKey(keyId: string, day: string): string {
  return `${keyId}/${day}`;
}
