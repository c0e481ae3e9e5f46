const DAY_MS = 86_400_000;

/** The UTC day number (days since 1970-01-01) of an epoch-millisecond time. */
export function utcDayNumber(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

/** `YYYY-MM-DD` of a UTC day number. */
export function utcDayKey(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC day number of a `YYYY-MM-DD` key. */
export function dayNumberOf(dayKey: string): number {
  return utcDayNumber(Date.parse(`${dayKey}T00:00:00Z`));
}

/** Milliseconds from `epochMs` to the next UTC midnight. */
export function msToNextUtcDay(epochMs: number): number {
  return (utcDayNumber(epochMs) + 1) * DAY_MS - epochMs;
}
