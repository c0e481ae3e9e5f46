import { type Environment, Interpreter } from '@huggingface/jinja';
import type { TemplateBudget } from './TemplateBudget';
import { TemplateBudgetExceeded } from './TemplateBudgetExceeded';

type Statement = Parameters<Interpreter['evaluate']>[0];
type RuntimeValue = ReturnType<Interpreter['evaluate']>;

/** Native work a value stands for: a step per KiB of a string (filters and joins walk it). */
const CHARS_PER_STEP = 1024;

/** Filters that read a list without walking it. */
const CONSTANT_TIME_FILTERS = new Set(['length', 'count', 'first', 'last']);

/** The node whose value a loop or a filter walks element by element, if `statement` is one. */
function walkedBy(statement: Statement): object | undefined {
  const node = statement as
    | {
        type?: string;
        iterable?: { type?: string; lhs?: object };
        operand?: object;
        filter?: { type?: string; value?: unknown; callee?: { value?: unknown } };
      }
    | undefined;
  if (node?.type === 'For') {
    return node.iterable?.type === 'SelectExpression' ? node.iterable.lhs : node.iterable;
  }
  if (node?.type === 'FilterExpression') {
    const name =
      node.filter?.type === 'CallExpression' ? node.filter.callee?.value : node.filter?.value;
    return CONSTANT_TIME_FILTERS.has(String(name)) ? undefined : node.operand;
  }
  return undefined;
}

/**
 * The Jinja interpreter, metered: every evaluation costs one step, a list or mapping that a
 * loop or a filter walks costs a step per element, and a string a step per KiB, against the
 * budget; and every value is measured (characters, elements) before anything else can use
 * it. Strings a block accumulates internally are ropes until they come back through here, so
 * they never grow past one step's worth beyond the bound.
 */
export class BoundedInterpreter extends Interpreter {
  private steps = 0;
  /** Template nodes whose values are walked element by element (the AST is shared, the marks too). */
  private readonly walked = new WeakSet<object>();

  constructor(
    environment: Environment,
    private readonly budget: TemplateBudget,
  ) {
    super(environment);
  }

  override evaluate(statement: Statement, environment: Environment): RuntimeValue {
    this.spend(1);
    const walked = walkedBy(statement);
    if (walked) this.walked.add(walked);
    const value = super.evaluate(statement, environment);
    const elements = this.measure(value);
    if (statement && this.walked.has(statement)) this.spend(elements);
    return value;
  }

  private spend(steps: number): void {
    this.steps += steps;
    if (this.steps > this.budget.steps) {
      throw new TemplateBudgetExceeded(`more than ${this.budget.steps} evaluation steps`);
    }
  }

  /** Checks a value against the bounds and returns its element count. */
  private measure(value: RuntimeValue): number {
    const { type } = value;
    const inner: unknown = value.value;
    if (typeof inner === 'string') {
      if (inner.length > this.budget.chars) {
        throw new TemplateBudgetExceeded(
          `a string of ${inner.length} characters (at most ${this.budget.chars})`,
        );
      }
      this.spend(Math.floor(inner.length / CHARS_PER_STEP));
      return 0;
    }
    const size = Array.isArray(inner) ? inner.length : inner instanceof Map ? inner.size : 0;
    if (size > this.budget.items) {
      throw new TemplateBudgetExceeded(
        `a ${type} of ${size} elements (at most ${this.budget.items})`,
      );
    }
    return size;
  }
}
