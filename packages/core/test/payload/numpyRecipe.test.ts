import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { receivePayloadFrame } from '../../src/wire/binary/receivePayloadFrame';

/*
 * The README's numpy recipe must decode a quantized cache to the same float32 numbers as
 * the TypeScript decoder. The fixture holds fixed frame bytes and the expected bits. The
 * recipe runs in python3 when numpy is there; an independent plain transcription of the
 * recipe runs always, so a machine without numpy still checks the documented layout.
 */
interface Fixture {
  frames: {
    format: string;
    group_size: number | null;
    frame_base64: string;
    float32_bits: string[][][];
  }[];
}
const fixture = JSON.parse(
  readFileSync(join(__dirname, 'fixtures/quantized-kv-frames.json'), 'utf8'),
) as Fixture;
const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const recipe = /```python\n(# signal: kv decoding recipe\n[\s\S]*?)```/.exec(readme)?.[1];
const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

const bitsOf = (values: Float32Array) =>
  Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length), (b) =>
    b.toString(16).padStart(8, '0'),
  );

/** The recipe, transcribed line for line with no help from the package's decoders. */
function transcribedRecipe(body: Buffer): string[][][] {
  if (body.toString('latin1', 0, 4) !== 'SPF1') throw new Error('not a frame');
  const n = body.readUInt32LE(4);
  const header = JSON.parse(body.subarray(8, 8 + n).toString('utf8'));
  const data = body.subarray(8 + n);
  const half16 = (h: number) => {
    const sign = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const m = h & 0x3ff;
    return e === 0 ? sign * m * 2 ** -24 : sign * (1 + m / 1024) * 2 ** (e - 15);
  };
  type Ref = { dtype: string; shape: number[]; offset: number; length: number };
  const tensor = (ref: Ref): number[] => {
    const out: number[] = [];
    for (let i = 0; i < ref.length; ) {
      if (ref.dtype === 'uint8') out.push(data[ref.offset + i++]!);
      else if (ref.dtype === 'float16') {
        out.push(half16(data.readUInt16LE(ref.offset + i)));
        i += 2;
      } else {
        out.push(data.readFloatLE(ref.offset + i));
        i += 4;
      }
    }
    return out;
  };
  const dequantize = (half: Record<string, unknown>): Float32Array => {
    if (!('quantization' in half)) return Float32Array.from(tensor(half as unknown as Ref));
    const shape = half.shape as number[];
    const axis = half.axis as number;
    const group = half.group_size as number;
    const codes = tensor(half.codes as Ref);
    const q = half.quantization === 'int4' ? codes.flatMap((b) => [b & 0x0f, b >> 4]) : codes;
    const scales = tensor(half.scale as Ref);
    const zeros = tensor(half.zero as Ref);
    const groupShape = shape.map((d, i) => (i === axis ? Math.ceil(d / group) : d));
    const out = new Float32Array(q.length);
    for (let e = 0; e < q.length; e++) {
      // Unravel e, divide the axis index by the group size, ravel into the group shape.
      let rest = e;
      const index = new Array<number>(shape.length);
      for (let d = shape.length - 1; d >= 0; d--) {
        index[d] = rest % shape[d]!;
        rest = Math.floor(rest / shape[d]!);
      }
      index[axis] = Math.floor(index[axis]! / group);
      let g = 0;
      for (let d = 0; d < shape.length; d++) g = g * groupShape[d]! + index[d]!;
      const product = Math.fround(Math.fround(q[e]!) * Math.fround(scales[g]!));
      out[e] = Math.fround(product + Math.fround(zeros[g]!));
    }
    return out;
  };
  return header.payload.layers.map((layer: Record<string, Record<string, unknown>>) => [
    bitsOf(dequantize(layer.key!)),
    bitsOf(dequantize(layer.value!)),
  ]);
}

describe('the README numpy recipe for quantized caches', () => {
  it('is in the README', () => {
    expect(recipe).toContain('def dequantize(half, tensor):');
  });

  it.each(fixture.frames.map((f) => [f.format, f.group_size, f] as const))(
    'decodes the fixed %s (group %s) frame to the expected numbers in TypeScript',
    async (_format, _group, frame) => {
      const body = Buffer.from(frame.frame_base64, 'base64');
      const chunks = (async function* () {
        yield body;
      })();
      const received = await receivePayloadFrame(chunks, {
        limits: { maxPayloadBytes: 1 << 20 },
        kvDtype: 'float32',
      });
      if (received.format !== 'kv') throw new Error('expected a kv frame');
      const ours = received.kv.layers.map((l) => [bitsOf(l.key), bitsOf(l.value)]);
      expect(ours).toEqual(frame.float32_bits);
      expect(transcribedRecipe(body)).toEqual(frame.float32_bits);
    },
  );

  (hasNumpy ? it : it.skip)(
    'gives the same numbers when python3 runs the recipe with numpy',
    () => {
      const driver = `${recipe}
import base64, sys
out = []
for frame in json.load(sys.stdin)["frames"]:
    layers = kv_layers(base64.b64decode(frame["frame_base64"]))
    out.append([[[format(int(b), "08x") for b in a.astype(np.float32).ravel().view(np.uint32)] for a in kv] for kv in layers])
print(json.dumps(out))
`;
      const run = spawnSync('python3', ['-c', driver], {
        input: JSON.stringify(fixture),
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual(fixture.frames.map((f) => f.float32_bits));
    },
  );
});
