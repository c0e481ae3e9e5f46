import { createClient, ErrorReply, type RedisClientType } from '@redis/client';
import { ApiKeyAdminError } from '../../errors/GatewayKeyError';
import { GatewayStoreError } from '../../errors/GatewayStoreError';
import {
  type ApiKeyCredential,
  type ApiKeyInfo,
  type ApiKeyRecord,
  ApiKeyRecordSchema,
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
import { type MinerView, MinerViewSchema } from '../../miners/MinerView';
import {
  FAILURE_COOLDOWN_MS,
  MAX_FAILURE_COOLDOWN_MS,
  MAX_RETRY_AFTER_MS,
} from '../../miners/minerCooldown';
import { USAGE_COUNTERS, type UsageDay } from '../../usage/UsageDay';
import { dayNumberOf, utcDayKey } from '../../usage/utcDay';
import { BoundedCache } from '../BoundedCache';
import { USAGE_RETENTION_DAYS } from '../file/FileGatewayStore';
import type {
  Admission,
  AdmissionRefusal,
  AdmissionRequest,
  GatewayStore,
  MinerOutcome,
  Settlement,
  UsageQuery,
} from '../GatewayStore';
import { filterUsage, statusClass } from '../usageQueries';
import { redisReconnectDelay } from './redisReconnectDelay';
import {
  ADMIT_SCRIPT,
  MINER_OUTCOME_SCRIPT,
  PATCH_KEY_SCRIPT,
  REVOKE_KEY_SCRIPT,
  type RedisScript,
  SETTLE_SCRIPT,
} from './redisScripts';

export interface RedisGatewayStoreOptions {
  /** `redis://[user:password@]host:port[/db]`, `rediss://…` for TLS, or `unix:///path`. */
  url: string;
  /** Keeps several subnets (or test runs) apart on one Redis. Default `signal:gateway`. */
  namespace?: string;
  /** Per-command deadline; a slower Redis counts as unavailable. Default 2 000 ms. */
  commandTimeoutMs?: number;
  /** Credentials kept in memory (they never change); bounds memory under floods. Default 10 000. */
  maxCachedCredentials?: number;
  /** Wait for the first connection (the CLI) or serve 503s until it comes (a gateway). */
  waitForConnection?: boolean;
  /** Told of connection errors (reconnects are automatic, with backoff). */
  onError?: (error: Error) => void;
}

const USAGE_RETENTION_S = USAGE_RETENTION_DAYS * 86_400;
const SETTLED_MARKER_TTL_S = 2 * 86_400;

type Reply = string | number | null | Reply[] | { [field: string]: Reply };

/** A hash reply as field/value pairs, whichever protocol version (array or map) sent it. */
function hashEntries(reply: Reply): Array<[string, string]> {
  if (Array.isArray(reply)) {
    const entries: Array<[string, string]> = [];
    for (let i = 0; i + 1 < reply.length; i += 2)
      entries.push([String(reply[i]), String(reply[i + 1])]);
    return entries;
  }
  if (reply !== null && typeof reply === 'object') {
    return Object.entries(reply).map(([field, value]) => [field, String(value)]);
  }
  return [];
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'redis (unparseable URL)';
  }
}

/**
 * The gateway's state in Redis, shared by any number of replicas. Admission, settlement and
 * miner outcomes are Lua scripts on Redis's own clock, so concurrent replicas never
 * over-admit and never disagree on a window. Every key sits under one hash tag, so the
 * scripts also run on a Redis Cluster slot. While Redis is unreachable every call fails at
 * once with `GATEWAY_STORE_UNAVAILABLE` (no offline queue), and the client reconnects with
 * capped exponential backoff.
 */
export class RedisGatewayStore implements GatewayStore {
  readonly description: string;
  readonly #client: RedisClientType;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #credentials: BoundedCache<string, ApiKeyCredential>;
  readonly #listeners = new Set<(available: boolean) => void>();
  #available = false;
  #closed = false;

  private constructor(options: RedisGatewayStoreOptions) {
    this.description = redactedUrl(options.url);
    this.#prefix = `{${options.namespace ?? 'signal:gateway'}}:`;
    this.#timeoutMs = options.commandTimeoutMs ?? 2_000;
    this.#credentials = new BoundedCache(options.maxCachedCredentials ?? 10_000);
    const socketPath = options.url.startsWith('unix://')
      ? new URL(options.url).pathname
      : undefined;
    this.#client = createClient({
      ...(socketPath ? {} : { url: options.url }),
      disableOfflineQueue: true,
      socket: {
        ...(socketPath ? { path: socketPath, tls: false as const } : {}),
        connectTimeout: this.#timeoutMs,
        reconnectStrategy: (retries) => (this.#closed ? false : redisReconnectDelay(retries)),
      },
    }) as RedisClientType;
    this.#client.on('error', (error: Error) => {
      this.#setAvailable(false);
      options.onError?.(error);
    });
    this.#client.on('ready', () => this.#setAvailable(true));
    this.#client.on('end', () => this.#setAvailable(false));
    this.#client.on('reconnecting', () => this.#setAvailable(false));
  }

  static async open(options: RedisGatewayStoreOptions): Promise<RedisGatewayStore> {
    let store: RedisGatewayStore;
    try {
      store = new RedisGatewayStore(options);
    } catch (cause) {
      throw new GatewayStoreError('GATEWAY_STORE_CONFIG', 'Invalid Redis URL.', {
        details: `${redactedUrl(options.url)}: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause,
      });
    }
    const connected = store.#client.connect().then(() => undefined);
    if (options.waitForConnection) {
      try {
        await connected;
      } catch (cause) {
        await store.close();
        throw new GatewayStoreError('GATEWAY_STORE_UNAVAILABLE', 'Cannot connect to Redis.', {
          details: `${store.description}: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause,
        });
      }
    } else {
      connected.catch(() => undefined);
    }
    return store;
  }

  get available(): boolean {
    return this.#available;
  }

  onAvailability(listener: (available: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #setAvailable(available: boolean): void {
    if (available === this.#available) return;
    this.#available = available;
    for (const listener of this.#listeners) listener(available);
  }

  #key(...parts: Array<string | number>): string {
    return this.#prefix + parts.join(':');
  }

  async #command(args: ReadonlyArray<string>): Promise<Reply> {
    try {
      return await this.#client.sendCommand<Reply>(args, { timeout: this.#timeoutMs });
    } catch (cause) {
      throw this.#storeError(args[0]!, cause);
    }
  }

  #storeError(command: string, cause: unknown): GatewayStoreError {
    if (cause instanceof ErrorReply) {
      return new GatewayStoreError('GATEWAY_STORE_CORRUPT', 'Redis refused a gateway command.', {
        details: `${command}: ${cause.message}`,
        cause,
      });
    }
    return new GatewayStoreError('GATEWAY_STORE_UNAVAILABLE', 'Redis is unreachable.', {
      details: `${this.description}: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    });
  }

  /** EVALSHA, loading the script with EVAL the first time this Redis sees it. */
  async #script(
    script: RedisScript,
    keys: readonly string[],
    args: ReadonlyArray<string | number>,
  ): Promise<Reply> {
    const rest = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await this.#client.sendCommand<Reply>(['EVALSHA', script.sha1, ...rest], {
        timeout: this.#timeoutMs,
      });
    } catch (cause) {
      if (!(cause instanceof ErrorReply && cause.message.startsWith('NOSCRIPT'))) {
        throw this.#storeError('EVALSHA', cause);
      }
    }
    return this.#command(['EVAL', script.source, ...rest]);
  }

  async createKey(parameters: CreateApiKeyParameters): Promise<CreatedApiKey> {
    const { key, record } = await newApiKey(
      parameters,
      async (id) => (await this.#command(['EXISTS', this.#key('key', id)])) === 1,
      Date.now(),
    );
    await this.#command([
      'HSET',
      this.#key('key', record.id),
      ...Object.entries(keyFields(record)).flat(),
    ]);
    await this.#command(['SADD', this.#key('keys'), record.id]);
    return { key, info: apiKeyInfo(record) };
  }

  async listKeys(): Promise<ApiKeyInfo[]> {
    const ids = (await this.#command(['SMEMBERS', this.#key('keys')])) as string[];
    const records = await Promise.all(ids.map((id) => this.#record(id)));
    return records
      .filter((record): record is ApiKeyRecord => record !== undefined)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map(apiKeyInfo);
  }

  async #record(id: string): Promise<ApiKeyRecord | undefined> {
    const entries = hashEntries(await this.#command(['HGETALL', this.#key('key', id)]));
    if (entries.length === 0) return undefined;
    const fields: Record<string, string> = Object.fromEntries(entries);
    const optionalInt = (value: string | undefined) =>
      value === undefined || value === '' ? null : Number(value);
    const parsed = ApiKeyRecordSchema.safeParse({
      id,
      name: fields.name,
      scopes: (fields.scopes ?? '').split(',').filter(Boolean),
      limits: { requestsPerMinute: optionalInt(fields.rpm), tokensPerDay: optionalInt(fields.tpd) },
      createdAt: Number(fields.created_at),
      revokedAt: optionalInt(fields.revoked_at),
      salt: fields.salt,
      hash: fields.hash,
    });
    if (!parsed.success) {
      throw new GatewayStoreError('GATEWAY_STORE_CORRUPT', `API key ${id} in Redis is malformed.`, {
        details: parsed.error.message,
      });
    }
    return parsed.data;
  }

  async revokeKey(id: string): Promise<ApiKeyInfo> {
    const done = await this.#script(REVOKE_KEY_SCRIPT, [this.#key('key', id)], [Date.now()]);
    return this.#afterChange(id, done);
  }

  async setKeyLimits(id: string, limits: Partial<KeyLimits>): Promise<ApiKeyInfo> {
    const partial = parseAdminInput(KeyLimitsSchema.partial(), limits, 'key limits');
    const fields: string[] = [];
    if (partial.requestsPerMinute !== undefined)
      fields.push('rpm', String(partial.requestsPerMinute ?? ''));
    if (partial.tokensPerDay !== undefined) fields.push('tpd', String(partial.tokensPerDay ?? ''));
    const done =
      fields.length === 0
        ? await this.#command(['EXISTS', this.#key('key', id)])
        : await this.#script(PATCH_KEY_SCRIPT, [this.#key('key', id)], fields);
    return this.#afterChange(id, done);
  }

  async #afterChange(id: string, done: Reply): Promise<ApiKeyInfo> {
    const record = done === 1 ? await this.#record(id) : undefined;
    if (!record) {
      throw new ApiKeyAdminError('GATEWAY_KEY_UNKNOWN', 'No API key with this id.', {
        details: `id=${id}`,
      });
    }
    return apiKeyInfo(record);
  }

  async credential(id: string): Promise<ApiKeyCredential | undefined> {
    const cached = this.#credentials.get(id);
    if (cached) return cached;
    const [salt, hash, scopes] = (await this.#command([
      'HMGET',
      this.#key('key', id),
      'salt',
      'hash',
      'scopes',
    ])) as Array<string | null>;
    if (!salt || !hash) return undefined;
    const parsed = ApiKeyRecordSchema.pick({ salt: true, hash: true, scopes: true }).safeParse({
      salt,
      hash,
      scopes: (scopes ?? '').split(',').filter(Boolean),
    });
    if (!parsed.success) {
      throw new GatewayStoreError('GATEWAY_STORE_CORRUPT', `API key ${id} in Redis is malformed.`, {
        details: parsed.error.message,
      });
    }
    const credential = { id, ...parsed.data };
    this.#credentials.set(id, credential);
    return credential;
  }

  async admit({ keyId, reserveTokens }: AdmissionRequest): Promise<Admission> {
    const reply = (await this.#script(
      ADMIT_SCRIPT,
      [
        this.#key('key', keyId),
        this.#key('win', keyId),
        this.#key('miners', 'cooldown'),
        this.#key('miners', 'version'),
        this.#key('seq'),
      ],
      [this.#prefix, keyId, reserveTokens, USAGE_RETENTION_S],
    )) as Reply[];
    if (reply[0] === 1) {
      const cooldowns = new Map<string, number>();
      for (let i = 3; i + 1 < reply.length; i += 2) {
        cooldowns.set(String(reply[i]), Number(reply[i + 1]));
      }
      return {
        admitted: true,
        ticket: { keyId, day: Number(reply[1]), reservedTokens: reserveTokens },
        cooldowns,
        minerViewVersion: Number(reply[2]),
      };
    }
    return {
      admitted: false,
      reason: String(reply[1]) as AdmissionRefusal,
      retryAfterMs: Number(reply[2]),
    };
  }

  async settle(settlement: Settlement): Promise<void> {
    await this.#script(
      SETTLE_SCRIPT,
      [this.#key('settled', settlement.id)],
      [
        this.#prefix,
        settlement.keyId,
        settlement.ticket?.day ?? -1,
        settlement.ticket?.reservedTokens ?? 0,
        settlement.tokensIn,
        settlement.tokensOut,
        statusClass(settlement.status) ?? '',
        USAGE_RETENTION_S,
        SETTLED_MARKER_TTL_S,
      ],
    );
  }

  async usage(query: UsageQuery = {}): Promise<UsageDay[]> {
    const keyIds =
      query.keyId === undefined
        ? ((await this.#command(['SMEMBERS', this.#key('usekeys')])) as string[])
        : [query.keyId];
    const min = query.from === undefined ? '-inf' : String(dayNumberOf(query.from));
    const max = query.to === undefined ? '+inf' : String(dayNumberOf(query.to));
    const days: UsageDay[] = [];
    for (const keyId of keyIds) {
      const numbers = (await this.#command([
        'ZRANGEBYSCORE',
        this.#key('usedays', keyId),
        min,
        max,
      ])) as string[];
      for (const day of numbers) {
        const values = (await this.#command([
          'HMGET',
          this.#key('use', keyId, day),
          ...USAGE_COUNTERS,
        ])) as Array<string | null>;
        if (values.every((value) => value === null)) continue;
        const usage = { keyId, day: utcDayKey(Number(day)) } as UsageDay;
        USAGE_COUNTERS.forEach((counter, i) => {
          usage[counter] = Math.max(0, Number(values[i] ?? 0));
        });
        days.push(usage);
      }
    }
    return filterUsage(days, query);
  }

  async publishMinerView(view: MinerView): Promise<void> {
    const parsed = MinerViewSchema.parse(view);
    await this.#command(['SET', this.#key('miners', 'view'), JSON.stringify(parsed)]);
    await this.#command(['INCR', this.#key('miners', 'version')]);
  }

  async minerView(): Promise<MinerView | undefined> {
    const text = (await this.#command(['GET', this.#key('miners', 'view')])) as string | null;
    if (text === null) return undefined;
    const parsed = MinerViewSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new GatewayStoreError(
        'GATEWAY_STORE_CORRUPT',
        'The miner view in Redis is malformed.',
        {
          details: parsed.error.message,
        },
      );
    }
    return parsed.data;
  }

  async minerViewVersion(): Promise<number> {
    return Number((await this.#command(['GET', this.#key('miners', 'version')])) ?? 0);
  }

  async recordMinerOutcome(hotkey: string, outcome: MinerOutcome): Promise<void> {
    await this.#script(
      MINER_OUTCOME_SCRIPT,
      [this.#key('miners', 'failures', hotkey), this.#key('miners', 'cooldown')],
      [
        hotkey,
        outcome.ok ? 1 : 0,
        outcome.ok ? -1 : (outcome.retryAfterMs ?? -1),
        FAILURE_COOLDOWN_MS,
        MAX_FAILURE_COOLDOWN_MS,
        MAX_RETRY_AFTER_MS,
      ],
    );
  }

  async minerCooldowns(): Promise<ReadonlyMap<string, number>> {
    const [seconds, micros] = (await this.#command(['TIME'])) as string[];
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const entries = hashEntries(await this.#command(['HGETALL', this.#key('miners', 'cooldown')]));
    const cooldowns = new Map<string, number>();
    for (const [hotkey, until] of entries) {
      const left = Number(until) - now;
      if (left > 0) cooldowns.set(hotkey, left);
    }
    return cooldowns;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.#client.isOpen) this.#client.destroy();
    } finally {
      this.#setAvailable(false);
    }
  }
}

function keyFields(record: ApiKeyRecord): Record<string, string> {
  return {
    name: record.name,
    scopes: record.scopes.join(','),
    rpm: String(record.limits.requestsPerMinute ?? ''),
    tpd: String(record.limits.tokensPerDay ?? ''),
    created_at: String(record.createdAt),
    revoked_at: String(record.revokedAt ?? ''),
    salt: record.salt,
    hash: record.hash,
  };
}
