import { InvalidArgumentError } from 'commander';

/**
 * An argument parser for a whole number in `[min, max]`. It refuses signs, decimals and
 * exponents (`Number` alone would take `1e3` or `0x10`), naming the flag and the raw value.
 */
export function integerIn(flag: string, min: number, max: number): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(
        `${flag} must be an integer in [${min}, ${max}], got "${raw}".`,
      );
    }
    return value;
  };
}
