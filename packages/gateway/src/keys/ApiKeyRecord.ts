import { z } from 'zod';

/** What a key may do: `condense` calls `POST /v1/condense`; `usage` reads its own usage. */
export const ApiKeyScopeSchema = z.enum(['condense', 'usage']);
export type ApiKeyScope = z.infer<typeof ApiKeyScopeSchema>;

/** Most requests a minute one key may be given; bounds a key's window in the store. */
export const MAX_REQUESTS_PER_MINUTE = 100_000;

/**
 * A key's limits; `null` means unlimited. Requests per minute are a sliding window over the
 * last 60 s; condensed tokens per day count from UTC midnight.
 */
export const KeyLimitsSchema = z.strictObject({
  requestsPerMinute: z.int().min(1).max(MAX_REQUESTS_PER_MINUTE).nullable(),
  tokensPerDay: z.int().min(1).max(Number.MAX_SAFE_INTEGER).nullable(),
});
export type KeyLimits = z.infer<typeof KeyLimitsSchema>;

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));

/** The public part of a key, used to find its record; not a secret. */
export const ApiKeyIdSchema = hex(6);

/** What anyone may see of a key: never its secret, nor the hash of it. */
export const ApiKeyInfoSchema = z.strictObject({
  id: ApiKeyIdSchema,
  name: z.string().min(1).max(200),
  scopes: z.array(ApiKeyScopeSchema).min(1),
  limits: KeyLimitsSchema,
  createdAt: z.int().nonnegative(),
  revokedAt: z.int().nonnegative().nullable(),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfoSchema>;

/** A stored key: its info plus a salted hash of the secret (never the secret itself). */
export const ApiKeyRecordSchema = z.strictObject({
  ...ApiKeyInfoSchema.shape,
  salt: hex(16),
  /** sha256(salt ‖ secret), hex. */
  hash: hex(32),
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;

/** What verifying a presented key needs; fixed for a key's life, so safe to cache. */
export type ApiKeyCredential = Pick<ApiKeyRecord, 'id' | 'salt' | 'hash' | 'scopes'>;

export function apiKeyInfo(record: ApiKeyRecord): ApiKeyInfo {
  return {
    id: record.id,
    name: record.name,
    scopes: record.scopes,
    limits: record.limits,
    createdAt: record.createdAt,
    revokedAt: record.revokedAt,
  };
}
