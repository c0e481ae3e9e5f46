import { LosslessNumber } from 'lossless-json';
import { z } from 'zod';
import { isSignalError } from '../../src/errors/SignalError';
import type { SynapseSpec } from '../../src/synapses/SynapseSpec';
import { bodyHash } from '../../src/wire/bodyHash';
import { py } from '../../src/wire/pyType';
import {
  AXON_BODY_STYLE,
  DENDRITE_BODY_STYLE,
  decodeSynapseBody,
  encodeSynapseBody,
} from '../../src/wire/synapseBody';

const Probe = {
  name: 'Probe',
  schema: z.object({
    text: z.string(),
    count: z.union([z.number().int(), z.bigint()]),
    weights: z.array(z.number()).default([]),
    meta: z.record(z.string(), z.unknown()).default({}),
    reply: z.string().nullable().default(null),
  }),
  fields: [
    ['text', py.str],
    ['count', py.int],
    ['weights', py.list(py.float)],
    ['meta', py.dict(py.str, py.any)],
    ['reply', py.optional(py.str)],
  ],
  requiredFields: ['text', 'count'],
  requiredHashFields: ['text', 'weights', 'meta'],
  responseFields: ['reply'],
  streaming: false,
} satisfies SynapseSpec;

const envelope = {
  name: 'Probe',
  timeout: 12,
  totalSize: 10,
  headerSize: 0,
  dendrite: {
    ip: '1.2.3.4',
    version: 9012000,
    nonce: 1763800000123456789n,
    uuid: 'u',
    hotkey: 'h',
    signature: '0x00',
  },
  axon: { ip: '5.6.7.8', port: 8091, hotkey: 'a' },
  computedBodyHash: '',
};

describe('encodeSynapseBody', () => {
  it('writes model_dump() as aiohttp json= does: base fields first, spaced, ASCII', () => {
    const body = encodeSynapseBody(
      Probe,
      { text: 'hé', count: 3, weights: [1, 0.5], meta: { k: 1 }, reply: null },
      envelope,
      DENDRITE_BODY_STYLE,
    );
    expect(body).toBe(
      '{"name": "Probe", "timeout": 12.0, "total_size": 10, "header_size": 0, ' +
        '"dendrite": {"status_code": null, "status_message": null, "process_time": null, "ip": "1.2.3.4", ' +
        '"port": null, "version": 9012000, "nonce": 1763800000123456789, "uuid": "u", "hotkey": "h", "signature": "0x00"}, ' +
        '"axon": {"status_code": null, "status_message": null, "process_time": null, "ip": "5.6.7.8", ' +
        '"port": 8091, "version": null, "nonce": null, "uuid": null, "hotkey": "a", "signature": null}, ' +
        '"computed_body_hash": "", "text": "h\\u00e9", "count": 3, "weights": [1.0, 0.5], "meta": {"k": 1}, "reply": null}',
    );
  });

  it('writes the compact UTF-8 style of a Starlette JSONResponse', () => {
    const body = encodeSynapseBody(
      Probe,
      { text: 'hé', count: 3, weights: [], meta: {}, reply: 'ok' },
      envelope,
      AXON_BODY_STYLE,
    );
    expect(body).toContain('"text":"hé","count":3,"weights":[],"meta":{},"reply":"ok"}');
  });
});

describe('decodeSynapseBody', () => {
  it('validates with the schema, applies defaults and keeps big ints exact', () => {
    const decoded = decodeSynapseBody(
      Probe,
      '{"text": "x", "count": 18446744073709551617, "junk": 1}',
    );
    expect(decoded.values).toEqual({
      text: 'x',
      count: 18446744073709551617n,
      weights: [],
      meta: {},
      reply: null,
    });
  });

  it('hashes what was received: an Any 2.0 stays a float', () => {
    const decoded = decodeSynapseBody(
      Probe,
      '{"text": "x", "count": 1, "weights": [1], "meta": {"k": 2.0}}',
    );
    expect(decoded.values.meta).toEqual({ k: 2 });
    expect(decoded.bodyHash).toBe(
      bodyHash(Probe, { text: 'x', weights: [1], meta: { k: new LosslessNumber('2.0') } }),
    );
    expect(decoded.bodyHash).not.toBe(bodyHash(Probe, { text: 'x', weights: [1], meta: { k: 2 } }));
  });

  it.each([
    ['{"text": 5, "count": 1}', 'WIRE_SCHEMA', 'Field "text"'],
    ['{"text": "x", "count": 1.5}', 'WIRE_SCHEMA', 'Field "count"'],
    ['{"text": "x", "count": 1, "weights": [1, "a"]}', 'WIRE_SCHEMA', 'Field "weights.1"'],
    ['{"text": "x"', 'WIRE_JSON', 'not valid JSON'],
    ['[1, 2]', 'WIRE_JSON', 'not a JSON object'],
  ])('refuses %s', (text, code, message) => {
    try {
      decodeSynapseBody(Probe, text);
      throw new Error('expected failure');
    } catch (error) {
      expect(isSignalError(error, code)).toBe(true);
      expect((error as Error).message).toContain(message);
    }
  });
});
