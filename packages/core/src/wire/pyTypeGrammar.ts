import { type PyType, py } from './pyType';
import { WireError } from './WireError';

/**
 * Parses the type notation of the wire test vectors into a `PyType`:
 *
 *   type  := scalar | list[type] | optional[type] | dict[type,type] | model{field:type,...}
 *   scalar:= str | int | float | bool | none | any
 *
 * Names are case-insensitive (so `Optional[str]` and `Any` read as Python spells them) and
 * whitespace between tokens is ignored. Errors name the offending position.
 */
export function parsePyType(text: string): PyType {
  let pos = 0;

  const fail = (what: string): never => {
    throw new WireError('WIRE_TYPE_GRAMMAR', `Cannot parse Python type "${text}": ${what}.`, {
      details: `at position ${pos}`,
    });
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos] as string)) pos++;
  };
  const expect = (ch: string) => {
    skipSpace();
    if (text[pos] !== ch)
      fail(`expected "${ch}" but found ${text[pos] ? `"${text[pos]}"` : 'the end'}`);
    pos++;
  };
  const identifier = (): string => {
    skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos));
    if (!match) return fail('expected a name');
    pos += match[0].length;
    return match[0];
  };

  const parseType = (): PyType => {
    const name = identifier().toLowerCase();
    switch (name) {
      case 'str':
        return py.str;
      case 'int':
        return py.int;
      case 'float':
        return py.float;
      case 'bool':
        return py.bool;
      case 'none':
        return py.none;
      case 'any':
        return py.any;
      case 'list': {
        expect('[');
        const item = parseType();
        expect(']');
        return py.list(item);
      }
      case 'optional': {
        expect('[');
        const inner = parseType();
        expect(']');
        return py.optional(inner);
      }
      case 'dict': {
        expect('[');
        const key = parseType();
        expect(',');
        const value = parseType();
        expect(']');
        return py.dict(key, value);
      }
      case 'model':
        return parseModel();
      default:
        return fail(`unknown type "${name}"`);
    }
  };

  const parseModel = (): PyType => {
    expect('{');
    const fields: Array<readonly [string, PyType]> = [];
    skipSpace();
    if (text[pos] === '}') {
      pos++;
      return py.model(fields);
    }
    for (;;) {
      const name = identifier();
      if (fields.some(([existing]) => existing === name)) fail(`duplicate field "${name}"`);
      expect(':');
      fields.push([name, parseType()]);
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      expect('}');
      return py.model(fields);
    }
  };

  const type = parseType();
  skipSpace();
  if (pos !== text.length) fail(`unexpected "${text.slice(pos)}"`);
  return type;
}
