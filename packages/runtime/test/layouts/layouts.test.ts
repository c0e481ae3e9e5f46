import { join } from 'node:path';
import { AutoModelForCausalLM, env, type PreTrainedModel, Tensor } from '@huggingface/transformers';
import { fromFloat16Bits } from '@signal/core';
import { CausalLM, loadModelDir, type ModelDtype } from '@signal/runtime';
import { layoutRoot, maxAbsDiff, SESSION } from './layoutFixtures';

let fixture: Awaited<ReturnType<typeof layoutRoot>>;
const PROMPT = 'Signal condenses long contexts for small models.';

beforeAll(async () => {
  fixture = await layoutRoot();
  env.allowRemoteModels = false;
  env.localModelPath = fixture.root;
  await fixture.build('community', {
    layout: 'onnx-community',
    dtypes: ['fp32', 'fp16', 'q8', 'q4'],
    externalData: true,
  });
  await fixture.build('optimum', { layout: 'optimum' });
  await fixture.build('genai', { layout: 'genai' });
  await fixture.build('genai-fp32', { layout: 'genai', dtypes: ['fp32'] });
  await fixture.build('genai-packed', { layout: 'genai', packedQkv: true });
}, 120_000);
afterAll(() => fixture?.cleanup());

/** All-position logits from transformers.js loading the same directory. */
async function transformersLogits(
  name: string,
  ids: readonly number[],
  options: { dtype: ModelDtype; subfolder?: string },
): Promise<Float32Array> {
  const model = (await AutoModelForCausalLM.from_pretrained(name, {
    dtype: options.dtype as 'fp32',
    device: 'cpu',
    ...(options.subfolder !== undefined ? { subfolder: options.subfolder } : {}),
    session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
  })) as PreTrainedModel;
  try {
    const input_ids = new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
    const attention_mask = new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [
      1,
      ids.length,
    ]);
    const out = (await model({ input_ids, attention_mask })) as { logits: Tensor };
    const data = out.logits.data as ArrayBufferView & { length: number };
    if (out.logits.type !== 'float16') return data as Float32Array;
    return fromFloat16Bits(new Uint16Array(data.buffer, data.byteOffset, data.length));
  } finally {
    await model.dispose();
  }
}

async function ourLogits(dir: string, dtype?: ModelDtype) {
  const lm = await CausalLM.load(dir, { session: SESSION, ...(dtype ? { dtype } : {}) });
  try {
    const ids = lm.tokenizer.encode(PROMPT);
    const { logits } = await lm.prefill(ids, { allLogits: true });
    return { ids, logits: logits.data, signature: lm.signature, modelDir: lm.modelDir };
  } finally {
    await lm.dispose();
  }
}

describe('the three export layouts, cross-checked with transformers.js', () => {
  it.each([
    ['fp32', 'onnx/model.onnx', null],
    ['fp16', 'onnx/model_fp16.onnx', null],
    ['q8', 'onnx/model_quantized.onnx', 'DequantizeLinear'],
    ['q4', 'onnx/model_q4.onnx', 'MatMulNBits'],
  ] as const)(
    'onnx-community %s: %s with its .onnx_data, same logits as transformers.js',
    async (dtype, file, op) => {
      const dir = join(fixture.root, 'community');
      const modelDir = await loadModelDir(dir, { dtype });
      expect(modelDir).toMatchObject({
        layout: 'onnx-community',
        dtype,
        modelPath: join(dir, file),
      });
      expect(modelDir.modelFiles).toEqual([join(dir, file), join(dir, `${file}_data`)]);
      const ours = await ourLogits(dir, dtype);
      expect(ours.signature).toMatchObject({
        attention: 'onnx-ops',
        rotary: 'onnx-ops',
        positions: 'position-ids',
        kvLayout: 'bnsh',
        numHeads: 4,
        kvHeads: 2,
        kvType: dtype === 'fp16' ? 'float16' : 'float32',
        supportsPrunedCache: true,
        quantization: { op },
      });
      const theirs = await transformersLogits('community', ours.ids, { dtype });
      expect(maxAbsDiff(ours.logits, theirs)).toBeLessThan(1e-4);
    },
    60_000,
  );

  it('optimum: model.onnx at the root, same logits as transformers.js', async () => {
    const dir = join(fixture.root, 'optimum');
    const ours = await ourLogits(dir);
    expect(ours.modelDir).toMatchObject({ layout: 'optimum', modelPath: join(dir, 'model.onnx') });
    const theirs = await transformersLogits('optimum', ours.ids, { dtype: 'fp32', subfolder: '' });
    expect(maxAbsDiff(ours.logits, theirs)).toBeLessThan(1e-4);
  }, 60_000);

  it.each([
    ['genai', 'q4', { op: 'MatMulNBits', bits: 4, blockSize: 32 }],
    ['genai-fp32', 'fp32', { op: null, bits: null, blockSize: null }],
    ['genai-packed', 'q4', { op: 'MatMulNBits', bits: 4, blockSize: 32 }],
  ] as const)(
    'onnxruntime-genai %s: genai_config.json, GroupQueryAttention, same logits as transformers.js',
    async (name, dtype, quantization) => {
      const dir = join(fixture.root, name);
      const modelDir = await loadModelDir(dir);
      expect(modelDir).toMatchObject({
        layout: 'genai',
        dtype,
        modelPath: join(dir, 'model.onnx'),
      });
      expect(modelDir.modelFiles).toEqual([join(dir, 'model.onnx'), join(dir, 'model.onnx.data')]);
      expect(modelDir.genaiConfig?.model.decoder).toMatchObject({
        head_size: 16,
        num_key_value_heads: 2,
      });
      expect(modelDir.graph.gqa).toHaveLength(2);
      const ours = await ourLogits(dir);
      expect(ours.signature).toMatchObject({
        attention: 'group-query-attention',
        rotary: 'rotary-embedding-op',
        positions: 'position-ids',
        positionIds: 'int64',
        numHeads: 4,
        kvHeads: 2,
        supportsPrunedCache: true,
        quantization,
      });
      // transformers.js runs the graph as exported, rotary inside GroupQueryAttention.
      const theirs = await transformersLogits(name, ours.ids, { dtype: 'fp32', subfolder: '' });
      expect(maxAbsDiff(ours.logits, theirs)).toBeLessThan(1e-4);
    },
    60_000,
  );

  it('the q4 variants of both layouts hold the same weights: same logits', async () => {
    const community = await ourLogits(join(fixture.root, 'community'), 'q4');
    const genai = await ourLogits(join(fixture.root, 'genai'));
    expect(maxAbsDiff(community.logits, genai.logits)).toBeLessThan(1e-4);
    // One packed qkv_proj computes what the three projections compute.
    const packed = await ourLogits(join(fixture.root, 'genai-packed'));
    expect(maxAbsDiff(packed.logits, genai.logits)).toBeLessThan(1e-4);
    const fp32 = await ourLogits(join(fixture.root, 'community'), 'fp32');
    const genaiFp32 = await ourLogits(join(fixture.root, 'genai-fp32'));
    expect(maxAbsDiff(fp32.logits, genaiFp32.logits)).toBeLessThan(1e-4);
    // int4 rounding moves the logits: the comparison above is not vacuous.
    expect(maxAbsDiff(fp32.logits, genai.logits)).toBeGreaterThan(1e-2);
  }, 60_000);

  it.each([
    ['genai', ['/model/layers.0/attn/q_proj/MatMul_Q4', '/model/layers.1/attn/o_proj/MatMul_Q4']],
    ['genai-fp32', ['/model/layers.0/attn/q_proj/MatMul', '/model/layers.0/mlp/down_proj/MatMul']],
    ['genai-packed', ['/model/layers.0/attn/qkv_proj/MatMul_Q4']],
  ] as const)('%s names its nodes as onnxruntime-genai does', async (name, nodes) => {
    const { graph } = await loadModelDir(join(fixture.root, name));
    for (const node of [...nodes, '/model/layers.0/attn/GroupQueryAttention'])
      expect(graph.nodeNames).toContain(node);
    expect(graph.nodeNames.some((n) => n.includes('/self_attn/'))).toBe(false);
    expect(graph.gqa.map((n) => n.packedQkv)).toEqual([
      name === 'genai-packed',
      name === 'genai-packed',
    ]);
  });
});
