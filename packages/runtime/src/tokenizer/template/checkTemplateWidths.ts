import { TemplateBudgetExceeded } from './TemplateBudgetExceeded';

/** Widest `indent(n)` / `tojson(indent=n)` a template may ask for; published templates use 2 or 4. */
export const MAX_TEMPLATE_WIDTH = 8;

interface Node {
  readonly type: string;
  readonly [field: string]: unknown;
}

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';

/** The argument node that sets the width of filter `name`, or undefined when it keeps its default. */
function widthArgument(name: string, args: readonly Node[]): Node | undefined {
  const keyword = args.find(
    (a) =>
      a.type === 'KeywordArgumentExpression' &&
      (a.key as Node).value === (name === 'indent' ? 'width' : 'indent'),
  );
  if (keyword) return keyword.value as Node;
  return name === 'indent' ? args.find((a) => !a.type.startsWith('Keyword')) : undefined;
}

function checkFilter(filter: unknown): void {
  if (!isNode(filter) || filter.type !== 'CallExpression') return;
  const callee = filter.callee as Node;
  const name = callee.type === 'Identifier' ? String(callee.value) : '';
  if (name !== 'indent' && name !== 'tojson') return;
  const args = filter.args as Node[];
  if (args.some((a) => a.type === 'SpreadExpression' || a.type === 'KeywordSpreadExpression')) {
    throw new TemplateBudgetExceeded(
      `${name}() with spread arguments (its width must be a literal)`,
    );
  }
  const width = widthArgument(name, args);
  if (width === undefined) return;
  if (
    width.type === 'NullLiteral' ||
    (width.type === 'Identifier' && /^(none|None)$/.test(String(width.value)))
  )
    return;
  if (width.type !== 'IntegerLiteral' || Number(width.value) > MAX_TEMPLATE_WIDTH) {
    throw new TemplateBudgetExceeded(
      `${name}() width must be an integer literal of at most ${MAX_TEMPLATE_WIDTH}`,
    );
  }
}

/**
 * Refuses, before rendering, the filters whose output a number multiplies: `indent(n)` and
 * `tojson(indent=n)` repeat a pad n times per line, so n must be a small literal.
 */
export function checkTemplateWidths(program: unknown): void {
  const pending: unknown[] = [program];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      pending.push(...value);
    } else if (isNode(value)) {
      if (value.type === 'FilterExpression' || value.type === 'FilterStatement') {
        checkFilter(value.filter);
      }
      pending.push(...Object.values(value));
    }
  }
}
