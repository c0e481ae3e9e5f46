const TRUSTED = Symbol('trusted html');

/** Markup that is already safe: made by `html`, or vouched for with `raw`. */
export interface Html {
  readonly [TRUSTED]: true;
  readonly text: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function raw(text: string): Html {
  return { [TRUSTED]: true, text };
}

function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && TRUSTED in value;
}

function part(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(part).join('');
  if (isHtml(value)) return value.text;
  return escapeHtml(String(value));
}

/**
 * A template tag that escapes every interpolated value (text and attribute alike) unless it
 * is `Html` itself; arrays are joined, and null, undefined and false render as nothing. Every
 * string that came from a miner, a chain or a file goes through it, so none can inject markup.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let text = strings[0]!;
  for (let i = 0; i < values.length; i++) text += part(values[i]) + strings[i + 1]!;
  return raw(text);
}
