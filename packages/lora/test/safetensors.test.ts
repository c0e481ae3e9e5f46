import { isSignalError } from '@signal/core';
import { readSafetensors, writeSafetensors } from '@signal/lora';
import {
  bfloat16BitsToFloat32,
  float16BitsToFloat32,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
} from '../src/safetensors/halfFloat';

function header(json: unknown, data: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(json));
  const out = new Uint8Array(8 + text.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.byteLength), true);
  out.set(text, 8);
  out.set(data, 8 + text.byteLength);
  return out;
}

describe('safetensors', () => {
  it('round-trips F32 exactly and keeps metadata', () => {
    const data = Float32Array.from([1.5, -2.25, 3e-8, 1e30, 0, -0]);
    const bytes = writeSafetensors(
      [
        { name: 'a', dtype: 'F32', shape: [2, 3], data },
        { name: 'b', dtype: 'F32', shape: [0], data: new Float32Array(0) },
      ],
      { format: 'pt' },
    );
    const file = readSafetensors(bytes);
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.tensors.get('a')?.shape).toEqual([2, 3]);
    expect(Array.from(file.tensors.get('a')!.data)).toEqual(Array.from(data));
    expect(file.tensors.get('b')?.data.length).toBe(0);
    // The header is padded so tensor data starts 8-byte aligned.
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
  });

  it('reads the layout the reference writer produces', () => {
    const data = new Uint8Array(8);
    new DataView(data.buffer).setFloat32(0, 0.5, true);
    new DataView(data.buffer).setUint16(4, 0x3c00, true); // F16 1.0
    new DataView(data.buffer).setUint16(6, 0xc000, true); // BF16 -2.0
    const file = readSafetensors(
      header(
        {
          x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
          h: { dtype: 'F16', shape: [1], data_offsets: [4, 6] },
          b: { dtype: 'BF16', shape: [1], data_offsets: [6, 8] },
        },
        data,
      ),
    );
    expect(file.tensors.get('x')?.data[0]).toBe(0.5);
    expect(file.tensors.get('h')?.data[0]).toBe(1);
    expect(file.tensors.get('b')?.data[0]).toBe(-2);
  });

  it('converts half floats with round-to-nearest-even, subnormals and specials', () => {
    for (const bits of [
      0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x3c00, 0x7bff, 0x7c00, 0xfc00, 0x3555,
    ]) {
      expect(float32ToFloat16Bits(float16BitsToFloat32(bits))).toBe(bits);
    }
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie rounds to even
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(Number.NaN)))).toBe(true);
    expect(bfloat16BitsToFloat32(float32ToBfloat16Bits(1 + 2 ** -8))).toBe(1);
    expect(bfloat16BitsToFloat32(float32ToBfloat16Bits(3.140625))).toBe(3.140625);
  });

  it('round-trips F16 and BF16 within their precision', () => {
    const data = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) * 3);
    for (const dtype of ['F16', 'BF16'] as const) {
      const file = readSafetensors(writeSafetensors([{ name: 't', dtype, shape: [8, 8], data }]));
      const out = file.tensors.get('t')!;
      expect(out.dtype).toBe(dtype);
      const tolerance = dtype === 'F16' ? 3 * 2 ** -11 : 3 * 2 ** -8;
      const worst = Math.max(...data.map((v, i) => Math.abs(out.data[i]! - v)));
      expect(worst).toBeLessThanOrEqual(tolerance);
    }
  });

  it('names the tensor a truncated file cuts off', () => {
    const bytes = writeSafetensors([
      { name: 'first', dtype: 'F32', shape: [4], data: new Float32Array(4) },
      { name: 'second', dtype: 'F32', shape: [4], data: new Float32Array(4) },
    ]);
    expect(() => readSafetensors(bytes.subarray(0, bytes.byteLength - 3), 'x.safetensors')).toThrow(
      /x\.safetensors: tensor "second" ends at byte 32/,
    );
  });

  it('refuses malformed headers with typed errors', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(4), /too short/],
      [header({ a: 1 }, new Uint8Array()).subarray(0, 12), /header length/],
      [
        (() => {
          const b = header({}, new Uint8Array());
          b[8] = 0x7b;
          b[9] = 0x7b;
          return b;
        })(),
        /not JSON/,
      ],
      [header([], new Uint8Array()), /not a JSON object/],
      [
        header({ t: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)),
        /tensor "t" spans 4 bytes but shape \[2\] needs 8/,
      ],
      [
        header({ t: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)),
        /tensor "t" has a malformed header entry/,
      ],
      [
        header({ t: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)),
        /tensor "t" starts at byte 4, expected 0/,
      ],
      [
        header({ t: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(8)),
        /4 trailing bytes/,
      ],
      [header({ __metadata__: { a: 1 } }, new Uint8Array()), /__metadata__/],
    ];
    for (const [bytes, message] of cases) {
      let caught: unknown;
      try {
        readSafetensors(bytes);
      } catch (error) {
        caught = error;
      }
      expect(isSignalError(caught, 'LORA_SAFETENSORS_INVALID')).toBe(true);
      expect((caught as Error).message).toMatch(message);
    }
  });

  it('refuses dtypes an adapter cannot use, naming the tensor', () => {
    const bytes = header(
      { w: { dtype: 'I8', shape: [1], data_offsets: [0, 1] } },
      new Uint8Array(1),
    );
    expect(() => readSafetensors(bytes)).toThrow(
      expect.objectContaining({
        code: 'LORA_UNSUPPORTED',
        message: expect.stringMatching(/I8 for tensor "w"/),
      }),
    );
  });
});
