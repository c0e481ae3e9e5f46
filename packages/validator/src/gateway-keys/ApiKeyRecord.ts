import { z } from 'zod';

export const API_KEYS_SCHEMA_VERSION = 1;

/** A token bucket: up to `capacity` requests in a burst, refilled at `refillPerSecond`. */
export const RateLimitSchema = z.object({
  capacity: z.number().positive().max(1e9),
  refillPerSecond: z.number().positive().max(1e9),
});
export type RateLimit = z.infer<typeof RateLimitSchema>;

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));

/** A stored key: never the secret itself, only a salted hash of it. */
export const ApiKeyRecordSchema = z.object({
  /** Public part of the key, used to find the record; not a secret. */
  id: hex(6),
  name: z.string().min(1).max(200),
  salt: hex(16),
  /** sha256(salt ‖ secret), hex. */
  hash: hex(32),
  rateLimit: RateLimitSchema,
  createdAt: z.number().int().nonnegative(),
  revokedAt: z.number().int().nonnegative().nullable(),
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;

export const ApiKeyFileSchema = z.object({
  schemaVersion: z.literal(API_KEYS_SCHEMA_VERSION),
  keys: z.array(ApiKeyRecordSchema).superRefine((keys, context) => {
    const seen = new Set<string>();
    keys.forEach((key, index) => {
      if (seen.has(key.id)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'id'],
          message: `duplicate key id ${key.id}`,
        });
      }
      seen.add(key.id);
    });
  }),
});
export type ApiKeyFile = z.infer<typeof ApiKeyFileSchema>;
