import type { LosslessNumber } from 'lossless-json';
import { z } from 'zod';
import { isSignalError } from '../../src/errors/SignalError';
import type { SynapseSpec } from '../../src/synapses/SynapseSpec';
import { mapsToObjects, parseOrderedJson } from '../../src/wire/orderedJson';
import { pyStr } from '../../src/wire/pyStr';
import { py } from '../../src/wire/pyType';
import { sha3Hex } from '../../src/wire/sha3Hex';
import { decodeSynapseBody } from '../../src/wire/synapseBody';

describe('parseOrderedJson', () => {
  it('keeps key order, including integer-like keys JS objects would move first', () => {
    const parsed = parseOrderedJson('{"b": 1, "10": 2, "2": 3.0}', 'test');
    expect(parsed).toBeInstanceOf(Map);
    expect([...(parsed as Map<string, unknown>).keys()]).toEqual(['b', '10', '2']);
    expect(pyStr(parsed, py.dict(py.str, py.any))).toBe("{'b': 1, '10': 2, '2': 3.0}");
  });

  it('keeps the first position and the last value of a repeated key, as a dict does', () => {
    const parsed = parseOrderedJson('{"a": 1, "b": 2, "a": 3}', 'test') as Map<
      string,
      LosslessNumber
    >;
    expect([...parsed.keys()]).toEqual(['a', 'b']);
    expect(parsed.get('a')?.value).toBe('3');
  });

  it('parses every JSON form exactly', () => {
    const parsed = parseOrderedJson(
      ' [true, false, null, "\\u00e9\\n\\"", -0.5e-3, 18446744073709551617, [], {}] ',
      'test',
    ) as unknown[];
    expect(parsed.slice(0, 4)).toEqual([true, false, null, 'é\n"']);
    expect((parsed[4] as LosslessNumber).value).toBe('-0.5e-3');
    expect((parsed[5] as LosslessNumber).value).toBe('18446744073709551617');
    expect(parsed[6]).toEqual([]);
    expect(parsed[7]).toEqual(new Map());
  });

  it.each([
    '{"a": 1,}',
    '[1 2]',
    '"unterminated',
    '01',
    '{"a" 1}',
    '[1] x',
    '',
    '"\u0001"',
    '{a: 1}',
  ])('refuses %j', (text) => {
    try {
      parseOrderedJson(text, 'The body');
      throw new Error('expected failure');
    } catch (error) {
      expect(isSignalError(error, 'WIRE_JSON')).toBe(true);
      expect((error as Error).message).toContain('The body is not valid JSON.');
    }
  });

  it('turns maps back into safe plain objects', () => {
    const plain = mapsToObjects(
      parseOrderedJson('{"__proto__": {"x": 1}, "k": [{"n": 2}]}', 't'),
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(Object.keys(plain)).toEqual(['__proto__', 'k']);
  });
});

describe('body hash over ordered dicts', () => {
  const Meta = {
    name: 'Meta',
    schema: z.object({ meta: z.record(z.string(), z.unknown()) }),
    fields: [['meta', py.dict(py.str, py.any)]],
    requiredFields: ['meta'],
    requiredHashFields: ['meta'],
    responseFields: [],
    streaming: false,
  } satisfies SynapseSpec;

  it('hashes the dict in the order the JSON text gave it', () => {
    const decoded = decodeSynapseBody(Meta, '{"meta": {"z": 1, "10": 2.0, "2": "x"}}');
    expect(decoded.bodyHash).toBe(sha3Hex(sha3Hex("{'z': 1, '10': 2.0, '2': 'x'}")));
    expect(decoded.values.meta).toEqual({ z: 1, '10': 2, '2': 'x' });
  });
});
