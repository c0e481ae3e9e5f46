import { z } from 'zod';

/** A UTC calendar day as `YYYY-MM-DD`. */
export const UsageDayKeySchema = z.iso.date();

/**
 * One key's metering for one UTC day. `tokensIn` are the contexts' original tokens,
 * `tokensOut` the condensed tokens returned; `reservedTokens` are held by requests still in
 * flight (each reserves its tier's most condensed tokens until it settles).
 */
export const UsageDaySchema = z.strictObject({
  keyId: z.string().min(1),
  day: UsageDayKeySchema,
  requests: z.int().nonnegative(),
  tokensIn: z.int().nonnegative(),
  tokensOut: z.int().nonnegative(),
  reservedTokens: z.int().nonnegative(),
  /** Answers by class: 2xx, 4xx (bad requests, refusals) and 5xx (no miner, miners failed). */
  status2xx: z.int().nonnegative(),
  status4xx: z.int().nonnegative(),
  status5xx: z.int().nonnegative(),
  /** Requests refused by one of the key's limits (also counted in `status4xx`). */
  rateLimited: z.int().nonnegative(),
});
export type UsageDay = z.infer<typeof UsageDaySchema>;

export type UsageCounter = Exclude<keyof UsageDay, 'keyId' | 'day'>;

export const USAGE_COUNTERS: readonly UsageCounter[] = [
  'requests',
  'tokensIn',
  'tokensOut',
  'reservedTokens',
  'status2xx',
  'status4xx',
  'status5xx',
  'rateLimited',
];

export function emptyUsageDay(keyId: string, day: string): UsageDay {
  return {
    keyId,
    day,
    requests: 0,
    tokensIn: 0,
    tokensOut: 0,
    reservedTokens: 0,
    status2xx: 0,
    status4xx: 0,
    status5xx: 0,
    rateLimited: 0,
  };
}
