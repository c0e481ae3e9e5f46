import { WireError } from './WireError';

/**
 * HTTP header values are Latin-1 without CR/LF. A status message is free text (it may
 * quote user input), so anything that could break the header block or not encode is
 * replaced before it goes out; Python's Starlette would otherwise fail to send it.
 */
export function safeHeaderValue(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: those are what we remove.
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/g, '?');
}

const INT_TEXT = /^\s*[+-]?\d+\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|infinity|nan)\s*$/i;

/** Python's `int(raw)` for a header, as pydantic's `cast_int` validator applies it. */
export function parseIntHeader(raw: string, header: string): bigint {
  if (!INT_TEXT.test(raw)) {
    throw new WireError('WIRE_HEADER', `Header "${header}" is not an integer.`, {
      details: `got ${JSON.stringify(raw.slice(0, 60))}`,
    });
  }
  return BigInt(raw.trim());
}

/** Python's `float(raw)` for a header (`cast_float`), including `inf` and `nan`. */
export function parseFloatHeader(raw: string, header: string): number {
  if (!FLOAT_TEXT.test(raw)) {
    throw new WireError('WIRE_HEADER', `Header "${header}" is not a number.`, {
      details: `got ${JSON.stringify(raw.slice(0, 60))}`,
    });
  }
  const text = raw.trim().toLowerCase();
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  if (body === 'nan') return Number.NaN;
  if (body === 'inf' || body === 'infinity') return sign * Number.POSITIVE_INFINITY;
  return Number(text);
}

/** A bigint that must also fit a JS number (ports, versions, status codes, sizes). */
export function smallInt(value: bigint, header: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new WireError('WIRE_HEADER', `Header "${header}" is out of range.`, {
      details: `got ${value}`,
    });
  }
  return Number(value);
}
