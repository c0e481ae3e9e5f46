import { sha3_256 } from '@noble/hashes/sha3';
import { bytesToHex } from '@noble/hashes/utils';
import { LosslessNumber } from 'lossless-json';
import { z } from 'zod';
import { isSignalError } from '../../src/errors/SignalError';
import type { SynapseSpec } from '../../src/synapses/SynapseSpec';
import { bodyHash } from '../../src/wire/bodyHash';
import { py } from '../../src/wire/pyType';
import { sha3Hex } from '../../src/wire/sha3Hex';
import { decodeSynapseBody } from '../../src/wire/synapseBody';

const hex = (text: string) => bytesToHex(sha3_256(new TextEncoder().encode(text)));

describe('bodyHash', () => {
  const fields = [
    ['prompt', py.str],
    ['n', py.int],
    ['temperature', py.float],
    ['meta', py.dict(py.str, py.any)],
  ] as const;

  it('hashes "" when there are no hash fields', () => {
    expect(bodyHash({ fields, requiredHashFields: [] }, {})).toBe(
      'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a',
    );
  });

  it('is sha3 over the concatenated per-field sha3 hex digests of str(field)', () => {
    const values = { prompt: 'hi', n: 3, temperature: 1, meta: { k: 'v' } };
    const expected = hex(hex('hi') + hex('3') + hex('1.0') + hex("{'k': 'v'}"));
    expect(
      bodyHash({ fields, requiredHashFields: ['prompt', 'n', 'temperature', 'meta'] }, values),
    ).toBe(expected);
  });

  it('follows required_hash_fields order and ignores fields not listed', () => {
    const values = { prompt: 'hi', n: 3, temperature: 1, meta: {} };
    expect(bodyHash({ fields, requiredHashFields: ['n', 'prompt'] }, values)).toBe(
      hex(hex('3') + hex('hi')),
    );
  });

  it('tells an Any float from an Any int by the JSON text', () => {
    const declaration = { fields, requiredHashFields: ['meta'] };
    const asFloat = bodyHash(declaration, { meta: { k: new LosslessNumber('2.0') } });
    const asInt = bodyHash(declaration, { meta: { k: new LosslessNumber('2') } });
    expect(asFloat).toBe(hex(hex("{'k': 2.0}")));
    expect(asInt).toBe(hex(hex("{'k': 2}")));
  });

  it('refuses an undeclared hash field and text Python cannot encode', () => {
    expect(() => bodyHash({ fields, requiredHashFields: ['missing'] }, {})).toThrow(
      'Hash field "missing" is not a declared field.',
    );
    try {
      sha3Hex('bad \ud800');
      throw new Error('expected failure');
    } catch (error) {
      expect(isSignalError(error, 'WIRE_PY_VALUE')).toBe(true);
    }
  });

  it('reuses a known digest for the very same text, and hashes any other text afresh', () => {
    const declaration = { fields, requiredHashFields: ['prompt', 'n'] };
    // A digest no text has: the hash can only contain it if it was reused.
    const known = new Map([['prompt', { text: 'hi', digest: 'f'.repeat(64) }]]);
    expect(bodyHash(declaration, { prompt: 'hi', n: 3 }, known)).toBe(
      hex('f'.repeat(64) + hex('3')),
    );
    expect(bodyHash(declaration, { prompt: 'ho', n: 3 }, known)).toBe(hex(hex('ho') + hex('3')));
  });
});

describe('decodeSynapseBody field digests', () => {
  it('hands back the digest of each text-valued hash field as received', () => {
    const spec = {
      name: 'Digests',
      schema: z.object({ prompt: z.string(), n: z.number().int() }),
      fields: [
        ['prompt', py.str],
        ['n', py.int],
      ],
      requiredFields: ['prompt', 'n'],
      requiredHashFields: ['prompt', 'n'],
      responseFields: [],
      streaming: false,
    } satisfies SynapseSpec;
    const decoded = decodeSynapseBody(spec, '{"prompt": "hello", "n": 4}');
    expect([...decoded.fieldDigests]).toEqual([
      ['prompt', { text: 'hello', digest: hex('hello') }],
    ]);
    expect(decoded.bodyHash).toBe(hex(hex('hello') + hex('4')));
    expect(bodyHash(spec, decoded.values, decoded.fieldDigests)).toBe(decoded.bodyHash);
  });
});
