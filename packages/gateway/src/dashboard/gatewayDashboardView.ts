import type { GatewayView } from '@signal/dashboard';
import type { GatewayStore } from '../store/GatewayStore';
import { utcDayKey, utcDayNumber } from '../usage/utcDay';

/** Days of usage the Gateway page shows by default: the last 30 UTC days, today included. */
export const GATEWAY_DASHBOARD_DAYS = 30;

export interface GatewayDashboardViewOptions {
  /** UTC days shown, today included. Default `GATEWAY_DASHBOARD_DAYS`. */
  days?: number;
  /** The clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * The dashboard's Gateway page from a gateway store: every key by id, label and whether it
 * is revoked, and the recent usage per key per day. Only ids, labels and counters are
 * copied: the secret, its salt and hash, the scopes and the limits never leave the store.
 */
export function gatewayDashboardView(
  store: GatewayStore,
  options: GatewayDashboardViewOptions = {},
): () => Promise<GatewayView> {
  const days = options.days ?? GATEWAY_DASHBOARD_DAYS;
  const now = options.now ?? Date.now;
  return async () => {
    const generatedAt = now();
    const today = utcDayNumber(generatedAt);
    const [keys, usage] = await Promise.all([
      store.listKeys(),
      store.usage({ from: utcDayKey(today - days + 1), to: utcDayKey(today) }),
    ]);
    return {
      keys: keys.map((key) => ({
        key_id: key.id,
        name: key.name,
        revoked: key.revokedAt !== null,
      })),
      usage: usage.map((day) => ({
        key_id: day.keyId,
        day: day.day,
        requests: day.requests,
        status_2xx: day.status2xx,
        status_4xx: day.status4xx,
        status_5xx: day.status5xx,
        rate_limited: day.rateLimited,
        tokens_in: day.tokensIn,
        tokens_out: day.tokensOut,
      })),
      generated_at: generatedAt,
    };
  };
}
