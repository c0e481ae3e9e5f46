import { z } from 'zod';

/** One API key as the dashboard shows it: its public id and label, never the key or its hash. */
export const GatewayKeyRowSchema = z.object({
  key_id: z.string().min(1),
  name: z.string().nullable(),
  revoked: z.boolean(),
});
export type GatewayKeyRow = z.infer<typeof GatewayKeyRowSchema>;

/** One key's metering on one UTC day. */
export const GatewayUsageRowSchema = z.object({
  key_id: z.string().min(1),
  /** `YYYY-MM-DD`, UTC. */
  day: z.iso.date(),
  requests: z.int().nonnegative(),
  status_2xx: z.int().nonnegative(),
  status_4xx: z.int().nonnegative(),
  status_5xx: z.int().nonnegative(),
  /** Requests refused by one of the key's limits (also in `status_4xx`). */
  rate_limited: z.int().nonnegative(),
  /** The contexts' original tokens. */
  tokens_in: z.int().nonnegative(),
  /** Condensed tokens returned. */
  tokens_out: z.int().nonnegative(),
});
export type GatewayUsageRow = z.infer<typeof GatewayUsageRowSchema>;

/** `GET /dashboard/api/gateway`: usage per key id per day, oldest day first. */
export const GatewayViewSchema = z.object({
  keys: z.array(GatewayKeyRowSchema),
  usage: z.array(GatewayUsageRowSchema),
  generated_at: z.int().nonnegative(),
});
export type GatewayView = z.infer<typeof GatewayViewSchema>;
