import { LosslessNumber } from 'lossless-json';
import { isSignalError } from '../../src/errors/SignalError';
import { pyJsonDumps } from '../../src/wire/pyJson';
import { py } from '../../src/wire/pyType';

describe('pyJsonDumps', () => {
  const anyDict = py.dict(py.str, py.any);

  it('matches json.dumps defaults: spaced separators and ensure_ascii', () => {
    // json.dumps({"a": "é", "b": [1.0, None, True], "c": "😀"})
    expect(
      pyJsonDumps({ a: 'é', b: [new LosslessNumber('1.0'), null, true], c: '😀' }, anyDict),
    ).toBe('{"a": "\\u00e9", "b": [1.0, null, true], "c": "\\ud83d\\ude00"}');
    expect(pyJsonDumps('\x7f\x00\b\f\n\r\t"\\/', py.str)).toBe(
      '"\\u007f\\u0000\\b\\f\\n\\r\\t\\"\\\\/"',
    );
  });

  it('writes floats with repr and keeps big ints exact', () => {
    expect(pyJsonDumps([1, 1e-7, 1e16], py.list(py.float))).toBe('[1.0, 1e-07, 1e+16]');
    expect(pyJsonDumps(1763800000123456789n, py.int)).toBe('1763800000123456789');
    expect(pyJsonDumps([Number.NaN, Number.POSITIVE_INFINITY], py.list(py.float))).toBe(
      '[NaN, Infinity]',
    );
  });

  it('has a compact, UTF-8, NaN-refusing mode like Starlette JSONResponse', () => {
    const options = { compact: true, ensureAscii: false, allowNan: false };
    expect(pyJsonDumps({ a: 'é', b: [1, 2] }, py.dict(py.str, py.any), options)).toBe(
      '{"a":"é","b":[1,2]}',
    );
    expect(() => pyJsonDumps(Number.NaN, py.float, options)).toThrow(
      expect.objectContaining({ code: 'WIRE_PY_VALUE' }),
    );
  });

  it('writes non-string keys as Python does', () => {
    expect(pyJsonDumps({ '1': true }, py.dict(py.int, py.bool))).toBe('{"1": true}');
    expect(pyJsonDumps({ '2': 1 }, py.dict(py.float, py.int))).toBe('{"2.0": 1}');
  });

  it('refuses a value of the wrong type', () => {
    try {
      pyJsonDumps({ n: 'x' }, py.model([['n', py.int]]), {}, 'body');
      throw new Error('expected failure');
    } catch (error) {
      expect(isSignalError(error, 'WIRE_PY_VALUE')).toBe(true);
      expect((error as Error).message).toContain('body.n');
    }
  });
});
