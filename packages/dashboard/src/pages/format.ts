/** Display formats shared by the server's pages and the browser's re-renders. */

export function fixed(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(digits)} %`;
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

export function taoAmount(value: number): string {
  return `${value.toLocaleString('en-US', { maximumFractionDigits: 4 })} τ`;
}

export function milliseconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

/** `5F3sa2…tx9Q`: enough of an SS58 address to tell neurons apart in a table. */
export function shortKey(address: string): string {
  return address.length <= 12 ? address : `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** UTC `YYYY-MM-DD HH:MM:SS`. */
export function utcTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}
