/**
 * What one chat-template render may spend. A template comes with a model directory, so it is
 * as untrusted as the weights: a loop over `range(10**8)` or a macro that calls itself must
 * fail with a typed error, not take the process's memory or its event loop.
 */
export interface TemplateBudget {
  /** Work of one render: evaluations, elements walked by loops and filters, KiB of strings. */
  readonly steps: number;
  /** Characters any one string the template builds (the output included) may hold. */
  readonly chars: number;
  /** Elements any one list or mapping the template builds (`range()` included) may hold. */
  readonly items: number;
}

/** A published template spends a few hundred steps per message. */
const STEPS_BASE = 50_000;
const STEPS_PER_MESSAGE = 1_000;
const INPUT_CHARS_PER_STEP = 256;
const CHARS_BASE = 1024 * 1024;
const CHARS_PER_INPUT_CHAR = 4;
/** A tenth of the bound Jinja's own sandbox puts on `range()`: this interpreter is slower per element. */
const ITEMS = 10_000;

/**
 * The budget of a render: fixed floors plus allowances that grow with what the template
 * reads, so a long conversation always fits and a template cannot turn a short one into
 * gigabytes. `inputChars` counts the template and every message's text.
 */
export function templateBudget(messages: number, inputChars: number): TemplateBudget {
  return {
    steps: STEPS_BASE + STEPS_PER_MESSAGE * messages + Math.ceil(inputChars / INPUT_CHARS_PER_STEP),
    chars: CHARS_BASE + CHARS_PER_INPUT_CHAR * inputChars,
    items: ITEMS,
  };
}
