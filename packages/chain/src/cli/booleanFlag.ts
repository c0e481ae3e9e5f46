import { InvalidArgumentError } from 'commander';

const TRUE = ['1', 'true', 'yes', 'on', ''];
const FALSE = ['0', 'false', 'no', 'off'];

/**
 * An argument parser for an on/off flag whose env form carries a word: `SIGNAL_X_DEBUG=off`
 * must mean off, not "set, so on". An empty value counts as on, like the bare flag.
 */
export function booleanFlag(flag: string): (raw: string) => boolean {
  return (raw) => {
    const value = raw.trim().toLowerCase();
    if (TRUE.includes(value)) return true;
    if (FALSE.includes(value)) return false;
    throw new InvalidArgumentError(`${flag} takes true or false, got "${raw}".`);
  };
}
