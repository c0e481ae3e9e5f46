import { LosslessNumber } from 'lossless-json';
import { isSignalError } from '../../src/errors/SignalError';
import { pyFloatRepr } from '../../src/wire/pyFloat';
import { pyStr } from '../../src/wire/pyStr';
import { pyStrRepr } from '../../src/wire/pyStrRepr';
import { py } from '../../src/wire/pyType';

describe('pyFloatRepr', () => {
  // Expected strings are what CPython's repr(float) prints.
  it.each<[number, string]>([
    [1, '1.0'],
    [0.5, '0.5'],
    [1e-7, '1e-07'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [123456789, '123456789.0'],
    [0.1, '0.1'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.25e-5, '1.25e-05'],
    [0.001, '0.001'],
    [-0, '-0.0'],
    [0, '0.0'],
    [100, '100.0'],
    [-2.5, '-2.5'],
    [1.5e300, '1.5e+300'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0.1 + 0.2, '0.30000000000000004'],
    [2 ** 53, '9007199254740992.0'],
    [1e22, '1e+22'],
    [12345678901234568, '1.2345678901234568e+16'],
    [9999999999999998, '9999999999999998.0'],
    [1 / 3, '0.3333333333333333'],
    [-1e-100, '-1e-100'],
    [123.456, '123.456'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
    [Number.NaN, 'nan'],
  ])('repr(%p) is %s', (x, expected) => {
    expect(pyFloatRepr(x)).toBe(expected);
  });
});

describe('pyStrRepr', () => {
  it.each<[string, string]>([
    ['a', "'a'"],
    ['', "''"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    [`it's "x"`, `'it\\'s "x"'`],
    ['back\\slash', "'back\\\\slash'"],
    ['tab\there', "'tab\\there'"],
    ['line\nbreak\r', "'line\\nbreak\\r'"],
    ['\x00\x1b\x0b\x0c', "'\\x00\\x1b\\x0b\\x0c'"],
    ['\x7f', "'\\x7f'"],
    ['\x80\x9f', "'\\x80\\x9f'"],
    ['\xa0', "'\\xa0'"],
    ['\xad', "'\\xad'"],
    ['é中文', "'é中文'"],
    ['\u200b', "'\\u200b'"],
    ['\u2028\u2029', "'\\u2028\\u2029'"],
    ['\u3000', "'\\u3000'"],
    ['\ud800', "'\\ud800'"],
    ['\udc00x', "'\\udc00x'"],
    ['😀', "'😀'"],
    ['\u{e0001}', "'\\U000e0001'"],
    ['\u0378', "'\\u0378'"],
    ['\ue000', "'\\ue000'"],
    ['\u{f0000}', "'\\U000f0000'"],
    ['\ufeff', "'\\ufeff'"],
    [' ', "' '"],
  ])('repr(%j) is %s', (text, expected) => {
    expect(pyStrRepr(text)).toBe(expected);
  });
});

describe('pyStr', () => {
  it('prints a top-level str as itself, quotes it inside containers', () => {
    expect(pyStr("it's", py.str)).toBe("it's");
    expect(pyStr(["it's", 'a'], py.list(py.str))).toBe(`["it's", 'a']`);
  });

  it('prints ints, floats, bools and None the Python way', () => {
    expect(pyStr(7, py.int)).toBe('7');
    expect(pyStr(12345678901234567890n, py.int)).toBe('12345678901234567890');
    expect(pyStr(new LosslessNumber('98765432109876543210'), py.int)).toBe('98765432109876543210');
    expect(pyStr(2, py.float)).toBe('2.0');
    expect(pyStr(true, py.bool)).toBe('True');
    expect(pyStr(true, py.int)).toBe('1');
    expect(pyStr(false, py.float)).toBe('0.0');
    expect(pyStr(false, py.bool)).toBe('False');
    expect(pyStr(null, py.optional(py.str))).toBe('None');
    expect(pyStr(undefined, py.optional(py.int))).toBe('None');
  });

  it('prints lists and dicts with repr-quoted items', () => {
    expect(pyStr([], py.list(py.int))).toBe('[]');
    expect(pyStr({}, py.dict(py.str, py.int))).toBe('{}');
    expect(pyStr([1, 2, 3], py.list(py.float))).toBe('[1.0, 2.0, 3.0]');
    expect(pyStr({ a: [1, null], "b'": [] }, py.dict(py.str, py.list(py.optional(py.int))))).toBe(
      `{'a': [1, None], "b'": []}`,
    );
    expect(pyStr({ '3': 'x' }, py.dict(py.int, py.str))).toBe("{3: 'x'}");
  });

  it('takes the Python type of Any values from the JSON text', () => {
    const meta = {
      i: new LosslessNumber('2'),
      f: new LosslessNumber('2.0'),
      e: new LosslessNumber('1e5'),
      big: new LosslessNumber('18446744073709551617'),
      n: null,
      l: [true, 'x', 1.5],
      d: { k: 3 },
    };
    expect(pyStr(meta, py.dict(py.str, py.any))).toBe(
      "{'i': 2, 'f': 2.0, 'e': 100000.0, 'big': 18446744073709551617, 'n': None, 'l': [True, 'x', 1.5], 'd': {'k': 3}}",
    );
  });

  it('dumps nested models as dicts in declaration order, dropping unknown keys', () => {
    const inner = py.model([
      ['label', py.str],
      ['score', py.float],
      ['ids', py.list(py.int)],
      ['note', py.optional(py.str)],
    ]);
    const value = { ids: [1, 2], extra: 'dropped', score: 3, label: 'q' };
    expect(pyStr(value, inner)).toBe("{'label': 'q', 'score': 3.0, 'ids': [1, 2], 'note': None}");
    expect(pyStr([value], py.list(inner))).toBe(
      "[{'label': 'q', 'score': 3.0, 'ids': [1, 2], 'note': None}]",
    );
  });

  it('refuses values that do not fit the declared type, naming the field', () => {
    const expectWireError = (run: () => unknown, field: string) => {
      try {
        run();
        throw new Error('expected a WireError');
      } catch (error) {
        expect(isSignalError(error, 'WIRE_PY_VALUE')).toBe(true);
        expect((error as Error).message).toContain(field);
      }
    };
    expectWireError(() => pyStr(1.5, py.int, 'n'), '"n"');
    expectWireError(() => pyStr('1', py.float, 'temperature'), '"temperature"');
    expectWireError(() => pyStr([1, 'x'], py.list(py.int), 'ids'), '"ids[1]"');
    expectWireError(
      () => pyStr({ label: 'q' }, py.model([['score', py.float]]), 'inner'),
      '"inner.score"',
    );
    expectWireError(() => pyStr(new Date(), py.any, 'meta'), '"meta"');
  });
});
