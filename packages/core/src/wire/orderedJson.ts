import { LosslessNumber } from 'lossless-json';
import { WireError } from './WireError';

/**
 * Parses JSON the way Python's `json.loads` sees it: objects become `Map`s that keep the
 * text's key order (plain JS objects move integer-like keys such as "10" first, which
 * would change `str(dict)` and so the body hash), a repeated key keeps its first position
 * and its last value (as a dict does), and numbers stay `LosslessNumber`s, so `2.0` is a
 * float and nanosecond nonces stay exact.
 */
export function parseOrderedJson(text: string, what: string): unknown {
  let pos = 0;

  const fail = (message: string): never => {
    throw new WireError('WIRE_JSON', `${what} is not valid JSON.`, {
      details: `${message} at position ${pos}`,
    });
  };
  const space = () => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

  const string = (): string => {
    const start = pos;
    pos++;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 0x22) break;
      if (c === 0x5c) pos++;
      else if (c < 0x20) fail('control character in string');
      pos++;
    }
    pos++;
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return fail('bad escape in string');
    }
  };

  const value = (depth: number): unknown => {
    if (depth > 512) fail('nesting too deep');
    space();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const map = new Map<string, unknown>();
      space();
      if (text[pos] === '}') {
        pos++;
        return map;
      }
      for (;;) {
        space();
        if (text[pos] !== '"') fail('expected a key');
        const key = string();
        space();
        if (text[pos] !== ':') fail('expected ":"');
        pos++;
        map.set(key, value(depth + 1));
        space();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return map;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      pos++;
      const list: unknown[] = [];
      space();
      if (text[pos] === ']') {
        pos++;
        return list;
      }
      for (;;) {
        list.push(value(depth + 1));
        space();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return list;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    if (text.startsWith('true', pos)) {
      pos += 4;
      return true;
    }
    if (text.startsWith('false', pos)) {
      pos += 5;
      return false;
    }
    if (text.startsWith('null', pos)) {
      pos += 4;
      return null;
    }
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (!match) return fail(c === undefined ? 'unexpected end' : `unexpected "${c}"`);
    pos += match[0].length;
    return new LosslessNumber(match[0]);
  };

  const result = value(0);
  space();
  if (pos !== text.length) fail('unexpected text after the value');
  return result;
}

/** Turns ordered maps back into plain objects (for zod and user code), keeping numbers. */
export function mapsToObjects(value: unknown): unknown {
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) {
      Object.defineProperty(out, k, {
        value: mapsToObjects(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  if (Array.isArray(value)) return value.map(mapsToObjects);
  return value;
}
