import { decode } from '@msgpack/msgpack';
import { TensorCodecError } from './codecError';

/**
 * The msgpack map msgpack_numpy writes for an ndarray, with Python's `use_bin_type=True`:
 * bin keys `nd`, `type`, `kind`, `shape`, `data` in that order; `nd` true, `type` a str
 * (`<f2`), `kind` an empty bin, `shape` an array of uints, `data` the raw C-order bytes.
 */
export interface NumpyArrayRecord {
  readonly type: string;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

const KEYS = ['nd', 'type', 'kind', 'shape', 'data'] as const;
const ASCII = new TextEncoder();

function uintSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x100) return 2;
  if (n < 0x10000) return 3;
  if (n < 0x100000000) return 5;
  return 9;
}

function binHeaderSize(length: number): number {
  return length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
}

/** Writes the record byte for byte as msgpack-python packs it (smallest encodings). */
export function encodeNumpyRecord(record: NumpyArrayRecord): Uint8Array {
  const type = ASCII.encode(record.type);
  if (type.length > 31) throw new RangeError('numpy type strings are short');
  const keys = KEYS.map((k) => ASCII.encode(k));
  const shapeHeader = record.shape.length < 16 ? 1 : record.shape.length < 0x10000 ? 3 : 5;
  let size = 1 + keys.reduce((n, k) => n + 2 + k.length, 0);
  size += 1 + (1 + type.length) + 2 + shapeHeader;
  for (const d of record.shape) size += uintSize(d);
  size += binHeaderSize(record.data.length) + record.data.length;

  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  const byte = (b: number) => {
    out[pos++] = b;
  };
  const bytes = (b: Uint8Array) => {
    out.set(b, pos);
    pos += b.length;
  };
  const binHeader = (length: number) => {
    if (length < 0x100) {
      byte(0xc4);
      byte(length);
    } else if (length < 0x10000) {
      byte(0xc5);
      view.setUint16(pos, length);
      pos += 2;
    } else {
      byte(0xc6);
      view.setUint32(pos, length);
      pos += 4;
    }
  };
  const key = (i: number) => {
    const k = keys[i] as Uint8Array;
    binHeader(k.length);
    bytes(k);
  };
  const uint = (n: number) => {
    if (n < 0x80) byte(n);
    else if (n < 0x100) {
      byte(0xcc);
      byte(n);
    } else if (n < 0x10000) {
      byte(0xcd);
      view.setUint16(pos, n);
      pos += 2;
    } else if (n < 0x100000000) {
      byte(0xce);
      view.setUint32(pos, n);
      pos += 4;
    } else {
      byte(0xcf);
      view.setBigUint64(pos, BigInt(n));
      pos += 8;
    }
  };

  byte(0x85);
  key(0);
  byte(0xc3);
  key(1);
  byte(0xa0 | type.length);
  bytes(type);
  key(2);
  binHeader(0);
  key(3);
  if (record.shape.length < 16) byte(0x90 | record.shape.length);
  else if (record.shape.length < 0x10000) {
    byte(0xdc);
    view.setUint16(pos, record.shape.length);
    pos += 2;
  } else {
    byte(0xdd);
    view.setUint32(pos, record.shape.length);
    pos += 4;
  }
  for (const d of record.shape) uint(d);
  key(4);
  binHeader(record.data.length);
  bytes(record.data);
  return out;
}

const BIN_KEY = 'bin:';
const STR_KEY = 'str:';

function fail(what: string, details?: string): never {
  throw new TensorCodecError(
    'TENSOR_MSGPACK',
    `Tensor buffer is not a msgpack-numpy array: ${what}.`,
    {
      details,
    },
  );
}

/**
 * Reads the record back. Python only ever writes bin keys and msgpack_numpy only reads bin
 * keys (a str-keyed map would come back from Python as a plain dict, not an array), so a
 * str key is refused with that explanation rather than silently accepted.
 */
export function decodeNumpyRecord(bytes: Uint8Array, maxDataBytes: number): NumpyArrayRecord {
  let decoded: unknown;
  try {
    decoded = decode(bytes, {
      // Keys are bins too, the longest being "shape".
      maxBinLength: Math.max(maxDataBytes, 8),
      maxStrLength: 64,
      maxArrayLength: 64,
      maxMapLength: 16,
      maxExtLength: 0,
      mapKeyConverter: (k) => {
        if (typeof k === 'string') return `${STR_KEY}${k}`;
        if (k instanceof Uint8Array) return `${BIN_KEY}${Buffer.from(k).toString('latin1')}`;
        return fail('a map key is neither bin nor str');
      },
    });
  } catch (cause) {
    if (cause instanceof TensorCodecError) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    if (/max.*length|exceeds/i.test(message)) {
      throw new TensorCodecError('TENSOR_TOO_LARGE', 'Tensor data is larger than allowed.', {
        details: `limit ${maxDataBytes} bytes; ${message}`,
        cause,
      });
    }
    return fail('msgpack decoding failed', message);
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    return fail('the top level is not a map');
  }
  const map = decoded as Record<string, unknown>;
  const names = Object.keys(map);
  if (names.some((k) => k.startsWith(STR_KEY))) {
    fail(
      'it uses str keys',
      'bittensor (msgpack_numpy with use_bin_type=True) writes and reads bin keys b"nd", b"type", b"kind", b"shape", b"data"',
    );
  }
  const expected = KEYS.map((k) => `${BIN_KEY}${k}`);
  const missing = expected.filter((k) => !Object.hasOwn(map, k));
  const extra = names.filter((k) => !expected.includes(k));
  if (missing.length > 0 || extra.length > 0) {
    fail('unexpected keys', `missing [${missing.join(', ')}], extra [${extra.join(', ')}]`);
  }
  const nd = map[`${BIN_KEY}nd`];
  const type = map[`${BIN_KEY}type`];
  const kind = map[`${BIN_KEY}kind`];
  const shape = map[`${BIN_KEY}shape`];
  const data = map[`${BIN_KEY}data`];
  if (nd !== true) fail('nd is not true', 'numpy scalars are not tensors');
  if (typeof type !== 'string') fail('type is not a str');
  if (!(kind instanceof Uint8Array) || kind.length !== 0) {
    fail('kind is not an empty bin', 'structured (kind "V") arrays are not tensors');
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail('shape is not an array of non-negative integers');
  }
  if (!(data instanceof Uint8Array)) fail('data is not a bin');
  return { type, shape, data };
}
