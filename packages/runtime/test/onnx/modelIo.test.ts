import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import {
  type BuiltModel,
  buildModel,
  DataLocation,
  DataType,
  decodeModel,
  encodeModel,
  type ModelProto,
  makeTensor,
  readModel,
  tensorValues,
  writeModel,
} from '@signal/runtime';
import * as ort from 'onnxruntime-node';
import { int64, pastFeeds } from '../builder/ortHarness';

let root: string;
let built: BuiltModel;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-io-'));
  built = await buildModel({ arch: 'llama', size: 'tiny', seed: 5, outDir: join(root, 'tiny') });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function logitsOf(source: string | Uint8Array): Promise<Float32Array> {
  const session =
    typeof source === 'string'
      ? await ort.InferenceSession.create(source)
      : await ort.InferenceSession.create(source);
  try {
    const out = await session.run({
      input_ids: int64([[1, 9, 8, 7]]),
      attention_mask: int64([[1, 1, 1, 1]]),
      position_ids: int64([[0, 1, 2, 3]]),
      ...pastFeeds(built.config, 1),
    });
    return out.logits?.data as Float32Array;
  } finally {
    await session.release();
  }
}

const caught = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('model I/O', () => {
  it('decodes and re-encodes a model byte-for-byte', async () => {
    const bytes = await readFile(built.files.model);
    const model = decodeModel(bytes);
    expect(model.opset_import).toEqual([{ domain: '', version: 17 }]);
    expect(Buffer.compare(Buffer.from(encodeModel(model)), bytes)).toBe(0);
  });

  it('round-trips through external data: small .onnx, data file, same logits, same weights', async () => {
    const model = await readModel(built.files.model);
    const path = join(root, 'external', 'model.onnx');
    await writeModel(model, path, { externalData: { sizeThreshold: 1024 } });
    const [main, data] = await Promise.all([stat(path), stat(`${path}_data`)]);
    expect(main.size).toBeLessThan(64 * 1024);
    expect(data.size).toBeGreaterThan(100 * 1024);

    const raw = decodeModel(await readFile(path));
    const q = raw.graph?.initializer?.find(
      (t) => t.name === 'model.layers.0.self_attn.q_proj.weight',
    );
    expect(q?.data_location).toBe(DataLocation.EXTERNAL);
    expect(q?.raw_data).toBeUndefined();
    const offset = Number(q?.external_data?.find((e) => e.key === 'offset')?.value);
    expect(offset % 4096).toBe(0);
    // The input model was not mutated.
    expect(model.graph?.initializer?.every((t) => t.data_location === undefined)).toBe(true);

    expect(Array.from(await logitsOf(path))).toEqual(Array.from(await logitsOf(built.files.model)));
    const reread = await readModel(path);
    for (const tensor of model.graph?.initializer ?? []) {
      const back = reread.graph?.initializer?.find((t) => t.name === tensor.name);
      expect(tensorValues(back!)).toEqual(tensorValues(tensor));
    }
    // A self-contained copy again runs from bytes.
    expect(Array.from(await logitsOf(encodeModel(reread)))).toEqual(
      Array.from(await logitsOf(built.files.model)),
    );
  });

  it('reads tensors stored in typed fields as well as raw data', () => {
    const viaRaw = makeTensor('a', DataType.INT64, [2], BigInt64Array.of(-3n, 5n));
    expect(tensorValues(viaRaw)).toEqual(BigInt64Array.of(-3n, 5n));
    expect(
      tensorValues({ name: 'b', data_type: DataType.FLOAT, dims: [3], float_data: [1, 2, 3] }),
    ).toEqual(Float32Array.of(1, 2, 3));
    expect(() =>
      tensorValues({ name: 'c', data_type: DataType.FLOAT, dims: [4], float_data: [1] }),
    ).toThrow(expect.objectContaining({ code: 'ONNX_TENSOR_INVALID' }));
    expect(() => makeTensor('d', DataType.FLOAT, [2], Float32Array.of(1))).toThrow(
      expect.objectContaining({ code: 'ONNX_TENSOR_INVALID' }),
    );
    expect(() =>
      tensorValues({
        name: 'e',
        data_type: DataType.FLOAT,
        dims: [1],
        raw_data: new Uint8Array(5),
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'ONNX_TENSOR_INVALID',
        message: expect.stringContaining('"e"'),
      }),
    );
  });

  it('refuses missing files, garbage bytes, truncated and escaping external data', async () => {
    expect(
      isSignalError(await caught(readModel(join(root, 'missing.onnx'))), 'ONNX_FILE_UNREADABLE'),
    ).toBe(true);
    const garbage = join(root, 'garbage.onnx');
    await writeFile(garbage, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect(isSignalError(await caught(readModel(garbage)), 'ONNX_DECODE_FAILED')).toBe(true);

    const path = join(root, 'truncated', 'model.onnx');
    await writeModel(await readModel(built.files.model), path, { externalData: true });
    await truncate(`${path}_data`, 1000);
    expect(isSignalError(await caught(readModel(path)), 'ONNX_EXTERNAL_DATA_INVALID')).toBe(true);

    const escaping: ModelProto = {
      ir_version: 8,
      graph: {
        initializer: [
          {
            name: 'w',
            data_type: DataType.FLOAT,
            dims: [1],
            data_location: DataLocation.EXTERNAL,
            external_data: [{ key: 'location', value: '../../etc/passwd' }],
          },
        ],
      },
    };
    const escapingPath = join(root, 'escaping.onnx');
    await writeFile(escapingPath, encodeModel(escaping));
    expect(isSignalError(await caught(readModel(escapingPath)), 'ONNX_EXTERNAL_DATA_INVALID')).toBe(
      true,
    );
  });
});
