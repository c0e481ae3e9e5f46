import type { Environment } from '@huggingface/jinja';
import type { TemplateBudget } from './TemplateBudget';
import { TemplateBudgetExceeded } from './TemplateBudgetExceeded';

const MONTHS_SHORT = new Intl.DateTimeFormat('en-US', { month: 'short', timeZone: 'UTC' });
const MONTHS_LONG = new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' });
const two = (n: number): string => String(n).padStart(2, '0');

/** `strftime_now(format)` as transformers provides it, for the directives templates use (UTC, English month names). */
function strftimeNow(format: unknown): string {
  const now = new Date();
  return String(format).replace(/%[YmdbBHM%]/g, (directive) => {
    switch (directive) {
      case '%Y':
        return String(now.getUTCFullYear());
      case '%m':
        return two(now.getUTCMonth() + 1);
      case '%d':
        return two(now.getUTCDate());
      case '%b':
        return MONTHS_SHORT.format(now);
      case '%B':
        return MONTHS_LONG.format(now);
      case '%H':
        return two(now.getUTCHours());
      case '%M':
        return two(now.getUTCMinutes());
      default:
        return '%';
    }
  });
}

/** `range()` that counts its elements before it makes them and refuses more than the budget allows. */
function boundedRange(budget: TemplateBudget) {
  return (...args: unknown[]): number[] => {
    if (!args.every((a) => Number.isInteger(a))) {
      throw new Error('range() takes integers');
    }
    const [start, stop, step] = (
      args.length === 1 ? [0, args[0], 1] : [args[0], args[1], args[2] ?? 1]
    ) as [number, number, number];
    if (step === 0) throw new Error('range() step must not be zero');
    const count = Math.max(0, Math.ceil((stop - start) / step));
    if (count > budget.items) {
      throw new TemplateBudgetExceeded(`range() of ${count} elements (at most ${budget.items})`);
    }
    return Array.from({ length: count }, (_, i) => start + i * step);
  };
}

/**
 * The names every template may use, as the Jinja runtime declares them, with `range` bounded
 * by the render's budget. Declared here rather than by the runtime's own setup, which a caller
 * cannot reach to replace `range`.
 */
export function declareTemplateGlobals(environment: Environment, budget: TemplateBudget): void {
  for (const [name, value] of [
    ['true', true],
    ['false', false],
    ['none', null],
    ['True', true],
    ['False', false],
    ['None', null],
  ] as const) {
    environment.set(name, value);
  }
  environment.set('raise_exception', (message: unknown) => {
    throw new Error(String(message));
  });
  environment.set('range', boundedRange(budget));
  environment.set('strftime_now', strftimeNow);
}
