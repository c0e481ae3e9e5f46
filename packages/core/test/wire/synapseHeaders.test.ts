import { isSignalError } from '../../src/errors/SignalError';
import { safeHeaderValue } from '../../src/wire/headerValue';
import { py } from '../../src/wire/pyType';
import {
  decodeSynapseHeaders,
  encodeSynapseHeaders,
  inputObjectsOf,
} from '../../src/wire/synapseHeaders';

const spec = {
  fields: [
    ['prompt', py.str],
    ['n', py.int],
    ['answer', py.optional(py.str)],
    ['inner', py.model([['x', py.int]])],
  ] as const,
  requiredFields: ['prompt', 'answer', 'inner'],
};

const NONCE = 1763800000123456789n;

function sample() {
  return encodeSynapseHeaders({
    name: 'Echo',
    timeout: 12,
    axon: { ip: '127.0.0.1', port: 8091, hotkey: '5Axon' },
    dendrite: {
      ip: '10.0.0.1',
      version: 9012000,
      nonce: NONCE,
      uuid: 'u-1',
      hotkey: '5Dend',
      signature: '0xabc',
    },
    inputObjects: inputObjectsOf(spec, { prompt: 'hi', n: 1, answer: null, inner: { x: 2 } }),
    totalSize: 321,
    computedBodyHash: 'f'.repeat(64),
  });
}

describe('encodeSynapseHeaders', () => {
  it('writes what Python to_headers writes, in the same order', () => {
    const headers = sample();
    expect(Object.keys(headers)).toEqual([
      'name',
      'timeout',
      'bt_header_axon_ip',
      'bt_header_axon_port',
      'bt_header_axon_hotkey',
      'bt_header_dendrite_ip',
      'bt_header_dendrite_version',
      'bt_header_dendrite_nonce',
      'bt_header_dendrite_uuid',
      'bt_header_dendrite_hotkey',
      'bt_header_dendrite_signature',
      'bt_header_input_obj_prompt',
      'bt_header_input_obj_inner',
      'header_size',
      'total_size',
      'computed_body_hash',
    ]);
    expect(headers.timeout).toBe('12.0');
    expect(headers.bt_header_dendrite_nonce).toBe('1763800000123456789');
    expect(headers.bt_header_input_obj_prompt).toBe('IiI=');
    expect(headers.bt_header_input_obj_inner).toBe(Buffer.from('{}').toString('base64'));
    expect(headers.total_size).toBe('321');
    expect(Number(headers.header_size)).toBeGreaterThan(0);
  });

  it('writes axon status fields with Python spelling', () => {
    const headers = encodeSynapseHeaders({
      name: 'Echo',
      timeout: 0.5,
      axon: { status_code: 200, status_message: 'Success', process_time: 0.25 },
      dendrite: {},
      totalSize: 0,
      computedBodyHash: '',
    });
    expect(headers.bt_header_axon_status_code).toBe('200');
    expect(headers.bt_header_axon_process_time).toBe('0.25');
    expect(headers.timeout).toBe('0.5');
  });

  it('never lets a status message break the header block', () => {
    expect(safeHeaderValue('bad\r\nX-Injected: 1 ✓ ok\ttab')).toBe('bad??X-Injected: 1 ? ok\ttab');
  });
});

describe('decodeSynapseHeaders', () => {
  it('round-trips every header, keeping a 64-bit nonce exact', () => {
    const decoded = decodeSynapseHeaders(sample());
    expect(decoded.name).toBe('Echo');
    expect(decoded.timeout).toBe(12);
    expect(decoded.dendrite.nonce).toBe(NONCE);
    expect(decoded.dendrite.version).toBe(9012000);
    expect(decoded.axon.port).toBe(8091);
    expect(decoded.axon.hotkey).toBe('5Axon');
    expect(decoded.inputObjects).toEqual({ prompt: '', inner: {} });
    expect(decoded.totalSize).toBe(321);
    expect(decoded.computedBodyHash).toBe('f'.repeat(64));
  });

  it('reads names case-insensitively, takes the first of repeated values, ignores unknown keys', () => {
    const decoded = decodeSynapseHeaders({
      Timeout: ['inf', '3'],
      BT_HEADER_AXON_STATUS_CODE: '408',
      bt_header_axon_process_time: '1e-3',
      bt_header_dendrite_unknown: 'x',
    });
    expect(decoded.timeout).toBe(Number.POSITIVE_INFINITY);
    expect(decoded.axon).toEqual({ status_code: 408, process_time: 0.001 });
    expect(decoded.dendrite).toEqual({});
  });

  it.each([
    ['bt_header_dendrite_nonce', '12.5'],
    ['bt_header_axon_port', 'eighty'],
    ['timeout', '12s'],
    ['total_size', '99999999999999999999'],
    ['bt_header_input_obj_prompt', 'not base64 json'],
  ])('refuses a bad %s header, naming it', (name, value) => {
    try {
      decodeSynapseHeaders({ [name]: value });
      throw new Error('expected failure');
    } catch (error) {
      expect(isSignalError(error, 'WIRE_HEADER')).toBe(true);
      expect((error as Error).message).toContain(name);
    }
  });
});
