import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import { CausalLM, loadModelDir, readModel, writeModel } from '@signal/runtime';
import { layoutRoot, SESSION } from './layoutFixtures';

let fixture: Awaited<ReturnType<typeof layoutRoot>>;
let counter = 0;
beforeAll(async () => {
  fixture = await layoutRoot();
});
afterAll(() => fixture?.cleanup());

const fresh = async (options: Parameters<typeof fixture.build>[1] = {}) =>
  (await fixture.build(`m${counter++}`, options)).dir;

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );
}
const load = (dir: string, options: Parameters<typeof CausalLM.load>[1] = {}) =>
  CausalLM.load(dir, { session: SESSION, ...options }).then((lm) => lm.dispose());

describe('model directories that cannot be served', () => {
  it('an unknown layout says where it looked', async () => {
    const dir = await fresh();
    await rm(join(dir, 'onnx'), { recursive: true });
    const error = await failure(loadModelDir(dir));
    expect(isSignalError(error, 'MODEL_LAYOUT_UNKNOWN')).toBe(true);
    expect(error.message).toMatch(/genai_config\.json.*onnx\/model\.onnx.*model\.onnx/s);
  });

  it('a variant the directory lacks lists the ones it has', async () => {
    const dir = await fresh({ dtypes: ['fp16', 'q4'] });
    for (const dtype of [undefined, 'q8'] as const) {
      const error = await failure(loadModelDir(dir, dtype ? { dtype } : {}));
      expect(isSignalError(error, 'MODEL_VARIANT_MISSING')).toBe(true);
      expect(error.message).toContain('fp16 (onnx/model_fp16.onnx), q4 (onnx/model_q4.onnx)');
    }
    const genai = await fresh({ layout: 'genai' });
    const error = await failure(loadModelDir(genai, { dtype: 'fp16' }));
    expect(isSignalError(error, 'MODEL_VARIANT_MISSING')).toBe(true);
    expect(error.message).toContain('this one is q4');
  });

  it('a missing external-data file is named before any session opens', async () => {
    const dir = await fresh({ externalData: true });
    await rm(join(dir, 'onnx', 'model.onnx_data'));
    const error = await failure(load(dir));
    expect(isSignalError(error, 'MODEL_EXTERNAL_DATA_MISSING')).toBe(true);
    expect(error.message).toContain('model.onnx_data');
    const genai = await fresh({ layout: 'genai' });
    await rm(join(genai, 'model.onnx.data'));
    expect(isSignalError(await failure(load(genai)), 'MODEL_EXTERNAL_DATA_MISSING')).toBe(true);
  });

  it('an operator ONNX Runtime cannot run is named, with its node', async () => {
    for (const domain of ['', 'org.example']) {
      const dir = await fresh();
      const path = join(dir, 'onnx', 'model.onnx');
      const model = await readModel(path);
      const node = model.graph!.node!.find((n) => n.op_type === 'Sqrt')!;
      node.op_type = 'RootOfAllEvil';
      if (domain) {
        node.domain = domain;
        model.opset_import!.push({ domain, version: 1 });
      }
      await writeModel(model, path);
      const error = await failure(load(dir));
      expect(isSignalError(error, 'MODEL_OP_UNSUPPORTED')).toBe(true);
      expect(error.message).toContain('RootOfAllEvil');
    }
  });

  it('an operator set this ONNX Runtime does not know is refused', async () => {
    const dir = await fresh();
    const path = join(dir, 'onnx', 'model.onnx');
    const model = await readModel(path);
    model.opset_import = [{ domain: '', version: 99 }];
    await writeModel(model, path);
    expect(isSignalError(await failure(load(dir)), 'MODEL_OPSET_UNSUPPORTED')).toBe(true);
  });

  it('an invalid genai_config.json is refused; a genai directory needs no config.json', async () => {
    const dir = await fresh({ layout: 'genai' });
    await rm(join(dir, 'config.json'));
    const modelDir = await loadModelDir(dir);
    expect(modelDir.config).toMatchObject({
      model_type: 'llama',
      num_hidden_layers: 2,
      head_dim: 16,
    });
    await load(dir);
    await writeFile(join(dir, 'genai_config.json'), JSON.stringify({ model: { type: 'llama' } }));
    const error = await failure(loadModelDir(dir));
    expect(isSignalError(error, 'MODEL_CONFIG_INVALID')).toBe(true);
    expect(error.message).toContain('model.decoder');
  });

  it('a tokenizer without a chat template refuses chat', async () => {
    const dir = await fresh({ layout: 'genai' });
    await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify({ model_max_length: 64 }));
    const { tokenizer } = await loadModelDir(dir);
    let error: unknown;
    try {
      tokenizer.applyChatTemplate([{ role: 'user', content: 'hi' }]);
    } catch (caught) {
      error = caught;
    }
    expect(isSignalError(error, 'TOKENIZER_NO_CHAT_TEMPLATE')).toBe(true);
  });
});
