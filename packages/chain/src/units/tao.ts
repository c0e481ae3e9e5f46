/** One TAO is 10⁹ rao, the chain's integer unit of stake. */
export const RAO_PER_TAO = 1_000_000_000n;

const DECIMAL_TAO = /^(\d+)(?:\.(\d{1,9}))?$/;

/**
 * Converts a TAO amount written in decimal ("1000", "0.5", or a plain number) to rao exactly,
 * without going through a float. Returns null for anything else (negative, exponent notation,
 * more than 9 decimals).
 */
export function taoToRao(amount: string | number): bigint | null {
  const text =
    typeof amount === 'number' ? (Number.isFinite(amount) ? String(amount) : '') : amount.trim();
  const match = DECIMAL_TAO.exec(text);
  if (!match) return null;
  const whole = BigInt(match[1]!);
  const fraction = BigInt((match[2] ?? '').padEnd(9, '0'));
  return whole * RAO_PER_TAO + fraction;
}
