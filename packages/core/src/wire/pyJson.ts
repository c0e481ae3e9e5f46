import { pyFloatRepr } from './pyFloat';
import type { PyType } from './pyType';
import { type PyValue, toPyValue } from './pyValue';
import { WireError } from './WireError';

/**
 * Python's `json.dumps`, for the two callers the wire has: aiohttp in Python's dendrite
 * (the defaults: `", "`/`": "` separators, `ensure_ascii=True`, NaN allowed) and
 * Starlette's JSONResponse in Python's axon (compact separators, UTF-8 kept, NaN refused).
 */
export interface PyJsonOptions {
  readonly compact?: boolean;
  readonly ensureAscii?: boolean;
  readonly allowNan?: boolean;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function unicodeEscape(unit: number): string {
  return `\\u${unit.toString(16).padStart(4, '0')}`;
}

/** Quotes a string the way Python's json encoder does, code unit by code unit. */
/** Printable ASCII without `"` or `\`: the common case, which needs no escaping at all. */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export function pyJsonString(text: string, ensureAscii: boolean): string {
  if (PLAIN_ASCII.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const unit = text.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (unit < 0x20) out += unicodeEscape(unit);
    // ensure_ascii escapes everything outside printable ASCII, DEL included; a character
    // beyond the BMP comes out as its two surrogate escapes, which is what UTF-16 holds.
    else if (ensureAscii && unit > 0x7e) out += unicodeEscape(unit);
    else out += ch;
  }
  return `${out}"`;
}

function floatText(x: number, allowNan: boolean): string {
  if (Number.isFinite(x)) return pyFloatRepr(x);
  if (!allowNan) {
    throw new WireError('WIRE_PY_VALUE', 'Out of range float values are not JSON compliant.', {
      details: `got ${x}`,
    });
  }
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Infinity' : '-Infinity';
}

function keyText(key: PyValue, allowNan: boolean): string {
  switch (key.t) {
    case 'str':
      return key.v;
    case 'int':
      return key.v.toString();
    case 'float':
      return floatText(key.v, allowNan);
    case 'bool':
      return key.v ? 'true' : 'false';
    case 'none':
      return 'null';
    default:
      throw new WireError('WIRE_PY_VALUE', `JSON object keys must be scalars, not ${key.t}.`);
  }
}

/** The spelling of one `json.dumps` call, resolved from its options once. */
interface JsonSpelling {
  readonly ensureAscii: boolean;
  readonly allowNan: boolean;
  readonly itemSep: string;
  readonly keySep: string;
}

function render(v: PyValue, spelling: JsonSpelling): string {
  switch (v.t) {
    case 'str':
      return pyJsonString(v.v, spelling.ensureAscii);
    case 'int':
      return v.v.toString();
    case 'float':
      return floatText(v.v, spelling.allowNan);
    case 'bool':
      return v.v ? 'true' : 'false';
    case 'none':
      return 'null';
    case 'list': {
      let out = '[';
      for (let i = 0; i < v.items.length; i++) {
        if (i > 0) out += spelling.itemSep;
        out += render(v.items[i] as PyValue, spelling);
      }
      return `${out}]`;
    }
    case 'dict': {
      let out = '{';
      for (let i = 0; i < v.entries.length; i++) {
        const [key, item] = v.entries[i] as readonly [PyValue, PyValue];
        if (i > 0) out += spelling.itemSep;
        out += pyJsonString(keyText(key, spelling.allowNan), spelling.ensureAscii);
        out += spelling.keySep;
        out += render(item, spelling);
      }
      return `${out}}`;
    }
  }
}

/** Renders a dumped Python value as `json.dumps` would. */
export function pyJsonOf(value: PyValue, options: PyJsonOptions = {}): string {
  return render(value, {
    ensureAscii: options.ensureAscii ?? true,
    allowNan: options.allowNan ?? true,
    itemSep: options.compact ? ',' : ', ',
    keySep: options.compact ? ':' : ': ',
  });
}

/** `json.dumps(value)` for a field of Python type `type`. */
export function pyJsonDumps(
  value: unknown,
  type: PyType,
  options: PyJsonOptions = {},
  path = 'value',
): string {
  return pyJsonOf(toPyValue(value, type, path), options);
}
