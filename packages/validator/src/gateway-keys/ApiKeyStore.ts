import { z } from 'zod';
import { atomicWriteFile, removeStaleTempFiles } from '../state/atomicWriteFile';
import { readStateFile } from '../state/readStateFile';
import {
  API_KEYS_SCHEMA_VERSION,
  type ApiKeyFile,
  ApiKeyFileSchema,
  type ApiKeyRecord,
  type RateLimit,
  RateLimitSchema,
} from './ApiKeyRecord';
import { generateApiKey, hashSecret, newSalt, parseApiKey, secretMatches } from './apiKeySecret';
import { ApiKeyAdminError, InvalidApiKeyError } from './GatewayKeyError';

export const CreateApiKeyParametersSchema = z.object({
  name: z.string().min(1).max(200),
  rateLimit: RateLimitSchema,
});
export type CreateApiKeyParameters = z.infer<typeof CreateApiKeyParametersSchema>;

export interface CreatedApiKey {
  /** The full key, shown once: only its salted hash is stored. */
  key: string;
  record: ApiKeyRecord;
}

// Verifying an unknown id still hashes and compares against this, so a caller cannot time
// the difference between "no such key" and "wrong secret".
const DECOY_SALT = '00'.repeat(16);
const DECOY_HASH = hashSecret(DECOY_SALT, 'decoy').toString('hex');

/**
 * Gateway API keys in a JSON file, written atomically on every change. Reads are served
 * from memory; `reload()` picks up changes another process (the CLI) made to the file.
 */
export class ApiKeyStore {
  readonly path: string;
  #file: ApiKeyFile;
  #byId: Map<string, ApiKeyRecord>;
  #writing: Promise<unknown> = Promise.resolve();

  private constructor(path: string, file: ApiKeyFile) {
    this.path = path;
    this.#file = file;
    this.#byId = new Map(file.keys.map((key) => [key.id, key]));
  }

  static async open(path: string): Promise<ApiKeyStore> {
    await removeStaleTempFiles(path);
    return new ApiKeyStore(path, await ApiKeyStore.#read(path));
  }

  static async #read(path: string): Promise<ApiKeyFile> {
    return (
      (await readStateFile(path, API_KEYS_SCHEMA_VERSION, ApiKeyFileSchema)) ?? {
        schemaVersion: API_KEYS_SCHEMA_VERSION,
        keys: [],
      }
    );
  }

  async reload(): Promise<void> {
    this.#replace(await ApiKeyStore.#read(this.path));
  }

  list(): readonly ApiKeyRecord[] {
    return this.#file.keys;
  }

  /**
   * The record for a presented key, checked in constant time with respect to the secret.
   * Throws InvalidApiKeyError (401) for a malformed, unknown, revoked or wrong key.
   */
  verify(presented: string): ApiKeyRecord {
    const parsed = parseApiKey(presented);
    if (!parsed) throw new InvalidApiKeyError('malformed');
    const record = this.#byId.get(parsed.id);
    const matches = record
      ? secretMatches(record.salt, record.hash, parsed.secret)
      : secretMatches(DECOY_SALT, DECOY_HASH, parsed.secret);
    if (!record) throw new InvalidApiKeyError('unknown');
    if (!matches) throw new InvalidApiKeyError('mismatch');
    if (record.revokedAt !== null) throw new InvalidApiKeyError('revoked');
    return record;
  }

  async create(parameters: CreateApiKeyParameters, now = Date.now()): Promise<CreatedApiKey> {
    const parsed = CreateApiKeyParametersSchema.safeParse(parameters);
    if (!parsed.success) {
      throw new ApiKeyAdminError('GATEWAY_BAD_KEY_PARAMETERS', 'Invalid API key parameters.', {
        details: z.prettifyError(parsed.error),
        cause: parsed.error,
      });
    }
    return this.#mutate((keys) => {
      let generated = generateApiKey();
      // 48-bit ids collide only by astronomical bad luck; retrying keeps ids unique anyway.
      while (keys.some((key) => key.id === generated.id)) generated = generateApiKey();
      const salt = newSalt();
      const record: ApiKeyRecord = {
        id: generated.id,
        name: parsed.data.name,
        salt,
        hash: hashSecret(salt, generated.secret).toString('hex'),
        rateLimit: parsed.data.rateLimit,
        createdAt: now,
        revokedAt: null,
      };
      return { keys: [...keys, record], result: { key: generated.key, record } };
    });
  }

  /** Marks a key revoked (kept in the file for the audit trail). */
  async revoke(id: string, now = Date.now()): Promise<ApiKeyRecord> {
    return this.#mutate((keys) => {
      const current = keys.find((key) => key.id === id);
      if (!current) {
        throw new ApiKeyAdminError('GATEWAY_KEY_UNKNOWN', 'No API key with this id.', {
          details: `id=${id}`,
        });
      }
      const revoked: ApiKeyRecord = { ...current, revokedAt: current.revokedAt ?? now };
      return { keys: keys.map((key) => (key.id === id ? revoked : key)), result: revoked };
    });
  }

  async setRateLimit(id: string, rateLimit: RateLimit): Promise<ApiKeyRecord> {
    const parsed = RateLimitSchema.safeParse(rateLimit);
    if (!parsed.success) {
      throw new ApiKeyAdminError('GATEWAY_BAD_KEY_PARAMETERS', 'Invalid rate limit.', {
        details: z.prettifyError(parsed.error),
      });
    }
    return this.#mutate((keys) => {
      const current = keys.find((key) => key.id === id);
      if (!current) {
        throw new ApiKeyAdminError('GATEWAY_KEY_UNKNOWN', 'No API key with this id.', {
          details: `id=${id}`,
        });
      }
      const updated = { ...current, rateLimit: parsed.data };
      return { keys: keys.map((key) => (key.id === id ? updated : key)), result: updated };
    });
  }

  /** Applies one change, persists it, then publishes it; changes run one at a time. */
  #mutate<T>(
    change: (keys: readonly ApiKeyRecord[]) => { keys: ApiKeyRecord[]; result: T },
  ): Promise<T> {
    const run = this.#writing
      .catch(() => undefined)
      .then(async () => {
        const { keys, result } = change(this.#file.keys);
        const next: ApiKeyFile = { schemaVersion: API_KEYS_SCHEMA_VERSION, keys };
        await atomicWriteFile(this.path, `${JSON.stringify(next, null, 2)}\n`);
        this.#replace(next);
        return result;
      });
    this.#writing = run;
    return run;
  }

  #replace(file: ApiKeyFile): void {
    this.#file = file;
    this.#byId = new Map(file.keys.map((key) => [key.id, key]));
  }
}
