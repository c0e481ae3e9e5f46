import type { ApiKeyCredential, ApiKeyInfo, KeyLimits } from '../keys/ApiKeyRecord';
import type { CreateApiKeyParameters, CreatedApiKey } from '../keys/CreateApiKeyParameters';
import type { MinerView } from '../miners/MinerView';
import type { UsageDay } from '../usage/UsageDay';

/** One request asking to be let through. */
export interface AdmissionRequest {
  keyId: string;
  /** Condensed tokens held against the key's daily budget until the request settles. */
  reserveTokens: number;
}

/** Why a request was not let through. `unknown`/`revoked` are 401s; the limits are 429s. */
export type AdmissionRefusal = 'unknown' | 'revoked' | 'requests_per_minute' | 'tokens_per_day';

export type Admission =
  | {
      admitted: true;
      /** Names the reservation for `settle`. */
      ticket: AdmissionTicket;
      /** Miners every replica leaves alone for now: hotkey to milliseconds left. */
      cooldowns: ReadonlyMap<string, number>;
      /** The miner view's version (see `minerViewVersion`), to refresh a stale copy. */
      minerViewVersion: number;
    }
  | { admitted: false; reason: AdmissionRefusal; retryAfterMs: number };

/** What `settle` needs to release a reservation on the day it was made. */
export interface AdmissionTicket {
  keyId: string;
  /** UTC day number (store clock) the request was admitted on. */
  day: number;
  reservedTokens: number;
}

/** How one request ended, metered per key per day. */
export interface Settlement {
  /** Unique per request: a settlement retried after a lost reply is applied once. */
  id: string;
  keyId: string;
  /** Present when the request was admitted: its reservation is released. */
  ticket?: AdmissionTicket;
  status: number;
  tokensIn: number;
  tokensOut: number;
}

/** What happened when a replica asked a miner. */
export type MinerOutcome =
  | { ok: true }
  | {
      ok: false;
      /** The miner's own `Retry-After` (429/503), honoured as given. */
      retryAfterMs?: number;
    };

export interface UsageQuery {
  keyId?: string;
  /** Inclusive `YYYY-MM-DD` bounds; both default to the whole history kept. */
  from?: string;
  to?: string;
}

/**
 * Everything gateway replicas share: API keys (hashed), per-key limits and their windows,
 * usage per key per day, the validator's published miner view, and miner cooldowns. The
 * file store serves one gateway process; the Redis store any number of replicas, with
 * admission decided atomically in Redis so replicas never over-admit together.
 *
 * Every method may throw `GatewayStoreError('GATEWAY_STORE_UNAVAILABLE')` while the
 * backing service is down; admin methods throw `ApiKeyAdminError` for bad input.
 */
export interface GatewayStore {
  /** `file:<dir>` or `redis://host:port` (credentials removed), for logs. */
  readonly description: string;

  createKey(parameters: CreateApiKeyParameters): Promise<CreatedApiKey>;
  listKeys(): Promise<ApiKeyInfo[]>;
  revokeKey(id: string): Promise<ApiKeyInfo>;
  setKeyLimits(id: string, limits: Partial<KeyLimits>): Promise<ApiKeyInfo>;
  /** The immutable part of a key needed to check a secret; undefined when unknown. */
  credential(id: string): Promise<ApiKeyCredential | undefined>;

  /** Checks revocation and both limits and, if all allow, counts the request, in one step. */
  admit(request: AdmissionRequest): Promise<Admission>;
  /** Meters how an admitted (or refused) request ended and releases its reservation. */
  settle(settlement: Settlement): Promise<void>;
  usage(query?: UsageQuery): Promise<UsageDay[]>;

  publishMinerView(view: MinerView): Promise<void>;
  /** The last published view; `undefined` before the first publication. */
  minerView(): Promise<MinerView | undefined>;
  /** A number that changes on every publication, cheap to poll. */
  minerViewVersion(): Promise<number>;
  recordMinerOutcome(hotkey: string, outcome: MinerOutcome): Promise<void>;
  /** Hotkeys cooling down, to the milliseconds left of their cooldown. */
  minerCooldowns(): Promise<ReadonlyMap<string, number>>;

  /** Whether the backing service is reachable now (always true for the file store). */
  readonly available: boolean;
  /** Called with each change of `available`. */
  onAvailability(listener: (available: boolean) => void): () => void;

  close(): Promise<void>;
}
