import type { UsageDay } from '../usage/UsageDay';
import type { Settlement, UsageQuery } from './GatewayStore';

/** The days a query asks for, oldest first, then by key id. */
export function filterUsage(days: readonly UsageDay[], query: UsageQuery): UsageDay[] {
  return days
    .filter(
      (day) =>
        (query.keyId === undefined || day.keyId === query.keyId) &&
        (query.from === undefined || day.day >= query.from) &&
        (query.to === undefined || day.day <= query.to),
    )
    .map((day) => ({ ...day }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.keyId.localeCompare(b.keyId));
}

/** Folds one settlement into a usage day, in place. */
export function settleUsage(usage: UsageDay, settlement: Settlement): void {
  if (settlement.ticket) {
    usage.reservedTokens = Math.max(0, usage.reservedTokens - settlement.ticket.reservedTokens);
  }
  usage.tokensIn += settlement.tokensIn;
  usage.tokensOut += settlement.tokensOut;
  const klass = statusClass(settlement.status);
  if (klass) usage[klass] += 1;
}

/** The usage counter an HTTP status falls in. */
export function statusClass(status: number): 'status2xx' | 'status4xx' | 'status5xx' | undefined {
  if (status >= 200 && status < 300) return 'status2xx';
  if (status >= 400 && status < 500) return 'status4xx';
  if (status >= 500) return 'status5xx';
  return undefined;
}
