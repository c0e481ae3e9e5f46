import { join } from 'node:path';
import { z } from 'zod';
import { ApiKeyRecordSchema } from '../../keys/ApiKeyRecord';
import { UsageDaySchema } from '../../usage/UsageDay';

export const KEYS_SCHEMA_VERSION = 2;
export const USAGE_SCHEMA_VERSION = 1;

export const KeysFileSchema = z.strictObject({
  schemaVersion: z.literal(KEYS_SCHEMA_VERSION),
  keys: z.array(ApiKeyRecordSchema).superRefine((keys, context) => {
    const seen = new Set<string>();
    keys.forEach((key, index) => {
      if (seen.has(key.id)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'id'],
          message: `duplicate id ${key.id}`,
        });
      }
      seen.add(key.id);
    });
  }),
});
export type KeysFile = z.infer<typeof KeysFileSchema>;

export const UsageFileSchema = z.strictObject({
  schemaVersion: z.literal(USAGE_SCHEMA_VERSION),
  days: z.array(UsageDaySchema),
});
export type UsageFile = z.infer<typeof UsageFileSchema>;

/** The files of a file store's directory, each with one writer. */
export function fileStorePaths(dir: string) {
  return {
    /** Keys: written by whoever administers them (the CLI), under a lock. */
    keys: join(dir, 'keys.json'),
    /** Usage per key per day: written by the one serving gateway, which holds its lock. */
    usage: join(dir, 'usage.json'),
    /** The validator's miner view: written by the validator. */
    miners: join(dir, 'miners.json'),
  };
}
