import { encode } from '@msgpack/msgpack';
import { isSignalError } from '../../src/errors/SignalError';
import type { BtTensor } from '../../src/tensor/BtTensor';
import { decodeTensor, encodeTensor } from '../../src/tensor/codec';

const hex = (base64: string) => Buffer.from(base64, 'base64').toString('hex');
const ascii = (s: string) => Buffer.from(s, 'latin1').toString('hex');
const MAX = 1 << 20;

function expectCode(run: () => unknown, code: string, message?: string) {
  try {
    run();
    throw new Error('expected a TensorCodecError');
  } catch (error) {
    expect(isSignalError(error, code)).toBe(true);
    if (message) expect((error as Error).message).toContain(message);
  }
}

describe('encodeTensor', () => {
  it('writes msgpack_numpy bytes exactly as msgpack-python packs them', () => {
    const tensor = encodeTensor({ dtype: 'float16', shape: [2], data: [1, 2] });
    expect(tensor.dtype).toBe('float16');
    expect(tensor.shape).toEqual([2]);
    expect(hex(tensor.buffer)).toBe(
      `85c402${ascii('nd')}c3c404${ascii('type')}a3${ascii('<f2')}c404${ascii('kind')}c400` +
        `c405${ascii('shape')}9102c404${ascii('data')}c404003c0040`,
    );
  });

  it('uses numpy type strings and the smallest msgpack ints for shapes', () => {
    const tensor = encodeTensor({ dtype: 'int16', shape: [1, 300], data: new Array(300).fill(-1) });
    const bytes = hex(tensor.buffer);
    expect(bytes).toContain(`a3${ascii('<i2')}`);
    expect(bytes).toContain(`9201cd012c`);
    expect(bytes).toContain(`c50258${'ffff'.repeat(300)}`);
    expect(hex(encodeTensor({ dtype: 'bool', shape: [1], data: [1] }).buffer)).toContain(
      `a3${ascii('|b1')}`,
    );
  });

  it('writes a scalar with shape [0] and an empty record shape, as bittensor does', () => {
    const tensor = encodeTensor({ dtype: 'float32', shape: [], data: [1.5] });
    expect(tensor.shape).toEqual([0]);
    expect(hex(tensor.buffer)).toContain(`c405${ascii('shape')}90c404${ascii('data')}c4040000c03f`);
    expect(decodeTensor(tensor, { maxBytes: 4 })).toEqual({
      dtype: 'float32',
      shape: [],
      data: Float32Array.of(1.5),
    });
  });

  it('refuses mismatched data, out-of-range ints and non-finite floats', () => {
    expectCode(() => encodeTensor({ dtype: 'float32', shape: [3], data: [1, 2] }), 'TENSOR_SHAPE');
    expectCode(() => encodeTensor({ dtype: 'int8', shape: [1], data: [128] }), 'TENSOR_VALUE');
    expectCode(() => encodeTensor({ dtype: 'int64', shape: [1], data: [1] }), 'TENSOR_VALUE');
    expectCode(
      () => encodeTensor({ dtype: 'float32', shape: [2], data: [1, Number.NaN] }),
      'TENSOR_NON_FINITE',
      'index 1',
    );
    expectCode(
      () => encodeTensor({ dtype: 'float16', shape: [1], data: [70000] }),
      'TENSOR_NON_FINITE',
      'float16',
    );
    expect(
      encodeTensor({ dtype: 'float16', shape: [1], data: [70000] }, { allowNonFinite: true }).shape,
    ).toEqual([1]);
  });
});

describe('decodeTensor', () => {
  it.each([
    ['float16', [0.5, -2, 65504], Float32Array],
    ['float32', [0.1, -3.5, 1e30], Float32Array],
    ['float64', [0.1, -3.5, 1e300], Float64Array],
    ['int8', [-128, 0, 127], Int8Array],
    ['int16', [-32768, 1, 32767], Int16Array],
    ['int32', [-2147483648, 7, 2147483647], Int32Array],
    ['uint8', [0, 128, 255], Uint8Array],
    ['bool', [1, 0, 1], Uint8Array],
  ] as const)('round-trips %s', (dtype, values, Typed) => {
    const decoded = decodeTensor(encodeTensor({ dtype, shape: [3, 1], data: values }), {
      maxBytes: MAX,
    });
    expect(decoded.shape).toEqual([3, 1]);
    expect(decoded.data).toBeInstanceOf(Typed);
    expect(Array.from(decoded.data as ArrayLike<number>)).toEqual(Array.from(Typed.from(values)));
  });

  it('round-trips int64 as bigints', () => {
    const data = [-(2n ** 63n), 2n ** 63n - 1n];
    const decoded = decodeTensor(encodeTensor({ dtype: 'int64', shape: [2], data }), {
      maxBytes: MAX,
    });
    expect(Array.from(decoded.data as BigInt64Array)).toEqual(data);
  });

  it('checks the declared size before decoding anything', () => {
    const huge: BtTensor = {
      buffer: 'not even base64!',
      dtype: 'float32',
      shape: [1 << 20, 1 << 10],
    };
    expectCode(() => decodeTensor(huge, { maxBytes: MAX }), 'TENSOR_TOO_LARGE', 'declared float32');
    const small = encodeTensor({ dtype: 'uint8', shape: [4], data: [1, 2, 3, 4] });
    const padded = { ...small, buffer: small.buffer + 'A'.repeat(4000) };
    expectCode(
      () => decodeTensor(padded, { maxBytes: MAX }),
      'TENSOR_TOO_LARGE',
      'larger than its declared shape',
    );
  });

  it('refuses a buffer whose type, shape or length disagrees with the declaration', () => {
    const t = encodeTensor({ dtype: 'float32', shape: [2, 2], data: [1, 2, 3, 4] });
    expectCode(
      () => decodeTensor({ ...t, dtype: 'int32' }, { maxBytes: MAX }),
      'TENSOR_DTYPE',
      'declared int32',
    );
    expectCode(
      () => decodeTensor({ ...t, shape: [4] }, { maxBytes: MAX }),
      'TENSOR_SHAPE',
      'declared [4]',
    );
    const lying = {
      nd: true,
      type: '<f4',
      kind: new Uint8Array(0),
      shape: [2, 2],
      data: new Uint8Array(12),
    };
    const record = binKeyed(lying);
    expectCode(
      () => decodeTensor({ buffer: record, dtype: 'float32', shape: [2, 2] }, { maxBytes: MAX }),
      'TENSOR_SHAPE',
      'needs 16 bytes, got 12',
    );
  });

  it('refuses str keys, naming what Python writes instead', () => {
    const strKeyed = Buffer.from(
      encode({
        nd: true,
        type: '<f4',
        kind: new Uint8Array(0),
        shape: [1],
        data: new Uint8Array(4),
      }),
    ).toString('base64');
    expectCode(
      () => decodeTensor({ buffer: strKeyed, dtype: 'float32', shape: [1] }, { maxBytes: MAX }),
      'TENSOR_MSGPACK',
      'str keys',
    );
  });

  it('refuses bad base64, garbage msgpack, unsupported types and non-finite data', () => {
    expectCode(
      () => decodeTensor({ buffer: 'ab$d', dtype: 'uint8', shape: [1] }, { maxBytes: MAX }),
      'TENSOR_BASE64',
    );
    for (const bad of ['AB-_', 'AA=A', 'AAA']) {
      expectCode(
        () => decodeTensor({ buffer: bad, dtype: 'uint8', shape: [1] }, { maxBytes: MAX }),
        'TENSOR_BASE64',
      );
    }
    expectCode(
      () => decodeTensor({ buffer: 'AAAA', dtype: 'uint8', shape: [1] }, { maxBytes: MAX }),
      'TENSOR_MSGPACK',
    );
    const bigEndian = binKeyed({
      nd: true,
      type: '>f4',
      kind: new Uint8Array(0),
      shape: [1],
      data: new Uint8Array(4),
    });
    expectCode(
      () => decodeTensor({ buffer: bigEndian, dtype: 'float32', shape: [1] }, { maxBytes: MAX }),
      'TENSOR_DTYPE',
      '">f4"',
    );
    const nan = encodeTensor(
      { dtype: 'float32', shape: [1], data: [Number.NaN] },
      { allowNonFinite: true },
    );
    expectCode(() => decodeTensor(nan, { maxBytes: MAX }), 'TENSOR_NON_FINITE');
    expect(Number.isNaN(decodeTensor(nan, { maxBytes: MAX, allowNonFinite: true }).data[0])).toBe(
      true,
    );
    const badBool = binKeyed({
      nd: true,
      type: '|b1',
      kind: new Uint8Array(0),
      shape: [1],
      data: Uint8Array.of(2),
    });
    expectCode(
      () => decodeTensor({ buffer: badBool, dtype: 'bool', shape: [1] }, { maxBytes: MAX }),
      'TENSOR_VALUE',
    );
  });
});

/** Packs a map with bin keys the way Python does, via a hand-built prefix per key. */
function binKeyed(fields: Record<string, unknown>): string {
  const parts: Buffer[] = [Buffer.from([0x80 | Object.keys(fields).length])];
  for (const [key, value] of Object.entries(fields)) {
    parts.push(Buffer.from([0xc4, key.length]), Buffer.from(key, 'latin1'));
    parts.push(Buffer.from(encode(value)));
  }
  return Buffer.concat(parts).toString('base64');
}
