import { LosslessNumber } from 'lossless-json';
import { WireError } from './WireError';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * One parse's position in its text. A class, so that a parse allocates one object rather than
 * a closure per grammar rule (an axon parses every request body).
 */
class OrderedJsonReader {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly what: string,
  ) {}

  document(): unknown {
    const result = this.value(0);
    this.space();
    if (this.pos !== this.text.length) this.fail('unexpected text after the value');
    return result;
  }

  private fail(message: string): never {
    throw new WireError('WIRE_JSON', `${this.what} is not valid JSON.`, {
      details: `${message} at position ${this.pos}`,
    });
  }

  private space(): void {
    const { text } = this;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else return;
    }
  }

  private string(): string {
    const { text } = this;
    const start = this.pos;
    let escaped = false;
    this.pos++;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        this.pos++;
      } else if (c < 0x20) this.fail('control character in string');
      this.pos++;
    }
    this.pos++;
    // Without a backslash the text between the quotes is the string itself.
    if (!escaped) return text.slice(start + 1, this.pos - 1);
    try {
      return JSON.parse(text.slice(start, this.pos)) as string;
    } catch {
      return this.fail('bad escape in string');
    }
  }

  private value(depth: number): unknown {
    if (depth > 512) this.fail('nesting too deep');
    this.space();
    const { text } = this;
    const c = text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.list(depth);
    if (c === '"') return this.string();
    if (text.startsWith('true', this.pos)) {
      this.pos += 4;
      return true;
    }
    if (text.startsWith('false', this.pos)) {
      this.pos += 5;
      return false;
    }
    if (text.startsWith('null', this.pos)) {
      this.pos += 4;
      return null;
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(text);
    if (!match) return this.fail(c === undefined ? 'unexpected end' : `unexpected "${c}"`);
    this.pos += match[0].length;
    return new LosslessNumber(match[0]);
  }

  private object(depth: number): Map<string, unknown> {
    const { text } = this;
    this.pos++;
    const map = new Map<string, unknown>();
    this.space();
    if (text[this.pos] === '}') {
      this.pos++;
      return map;
    }
    for (;;) {
      this.space();
      if (text[this.pos] !== '"') this.fail('expected a key');
      const key = this.string();
      this.space();
      if (text[this.pos] !== ':') this.fail('expected ":"');
      this.pos++;
      map.set(key, this.value(depth + 1));
      this.space();
      if (text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (text[this.pos] === '}') {
        this.pos++;
        return map;
      }
      this.fail('expected "," or "}"');
    }
  }

  private list(depth: number): unknown[] {
    const { text } = this;
    this.pos++;
    const list: unknown[] = [];
    this.space();
    if (text[this.pos] === ']') {
      this.pos++;
      return list;
    }
    for (;;) {
      list.push(this.value(depth + 1));
      this.space();
      if (text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (text[this.pos] === ']') {
        this.pos++;
        return list;
      }
      this.fail('expected "," or "]"');
    }
  }
}

/**
 * Parses JSON the way Python's `json.loads` sees it: objects become `Map`s that keep the
 * text's key order (plain JS objects move integer-like keys such as "10" first, which
 * would change `str(dict)` and so the body hash), a repeated key keeps its first position
 * and its last value (as a dict does), and numbers stay `LosslessNumber`s, so `2.0` is a
 * float and nanosecond nonces stay exact.
 */
export function parseOrderedJson(text: string, what: string): unknown {
  return new OrderedJsonReader(text, what).document();
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
