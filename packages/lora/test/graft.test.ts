import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AdapterConfigInput,
  type AdapterDType,
  graftLora,
  LoraModel,
  localDirSource,
  loraInputAcceptor,
  readGraftManifest,
  writeMergedModel,
  writeTestAdapter,
} from '@signal/lora';
import { buildModel, CausalLM, ModelRegistry, readModel } from '@signal/runtime';

const TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];
const PROMPTS = [
  [5, 17, 99, 3, 42, 7],
  [8, 1, 250, 66, 13, 9],
  [100, 101, 102, 103, 104, 105],
  [7, 7, 7, 30, 31, 32],
];

let root: string;
let baseDir: string;
let adaptersDir: string;
let lora: LoraModel;
let base: CausalLM;

const session = { intraOpThreads: 1, interOpThreads: 1 };

async function logitsOf(lm: CausalLM, rows: number[][]): Promise<Float32Array> {
  return (await lm.prefill(rows, { allLogits: true })).logits.data;
}

async function loraLogits(rows: number[][], adapters: (string | null)[]): Promise<Float32Array> {
  const binding = await lora.bind(adapters);
  try {
    return (await lora.prefill(rows, binding, { allLogits: true })).logits.data;
  } finally {
    binding.release();
  }
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lora-graft-'));
  baseDir = (
    await buildModel({ arch: 'llama', size: 'tiny', seed: 11, outDir: join(root, 'base') })
  ).dir;
  adaptersDir = join(root, 'adapters');
  lora = await LoraModel.load(baseDir, {
    targets: TARGETS,
    sources: [localDirSource(adaptersDir)],
    maxAdapterBytes: 8 << 20,
    session,
  });
  base = await CausalLM.load(baseDir, { session });
});
afterAll(async () => {
  await lora?.dispose();
  await base?.dispose();
  await rm(root, { recursive: true, force: true });
});

async function addAdapter(
  name: string,
  seed: number,
  config: AdapterConfigInput,
  dtype: AdapterDType = 'fp32',
) {
  await writeTestAdapter({
    outDir: join(adaptersDir, name),
    targets: lora.targets,
    seed,
    config,
    dtype,
  });
}

describe('graftLora', () => {
  it('adds rank-symbolic A/B inputs per target and caches the graft', async () => {
    const model = await readModel(lora.graft.modelPath);
    const input = model.graph?.input?.find(
      (i) => i.name === 'model.layers.1.self_attn.k_proj.lora_B',
    );
    expect(input?.type?.tensor_type?.shape?.dim).toEqual([
      { dim_param: 'lora_batch' },
      { dim_param: 'lora_rank.model.layers.1.self_attn.k_proj' },
      { dim_value: 32 },
    ]);
    expect(lora.targets).toHaveLength(2 * TARGETS.length);
    expect(lora.graft.dir).toBe(`${baseDir}-lora-${lora.graft.dir.split('-lora-')[1]}`);
    const again = await graftLora(baseDir, { targets: TARGETS });
    expect(again.reused).toBe(true);
    const manifest = await readGraftManifest(again.dir);
    await utimes(manifest!.source.modelPath, new Date(), new Date(Date.now() + 5000));
    const outDir = join(root, 'explicit');
    const rebuilt = await graftLora(baseDir, { targets: ['q_proj'], outDir });
    expect(rebuilt).toMatchObject({ reused: false, dir: outDir });
    expect((await graftLora(baseDir, { targets: ['q_proj'], outDir })).reused).toBe(true);
  });

  it('refuses targets the model lacks, already-grafted models and foreign output dirs', async () => {
    await expect(
      graftLora(baseDir, { targets: ['q_proj'], outDir: baseDir }),
    ).rejects.toMatchObject({
      code: 'LORA_GRAFT_INVALID',
      message: expect.stringContaining('is not a grafted model'),
    });
    await expect(readModel(join(baseDir, 'onnx', 'model.onnx'))).resolves.toBeDefined();
    await expect(
      graftLora(baseDir, { targets: ['q_proj', 'c_attn'], outDir: join(root, 'x') }),
    ).rejects.toMatchObject({
      code: 'LORA_TARGET_MISSING',
      message: expect.stringContaining('c_attn'),
    });
    await expect(
      graftLora(lora.graft.dir, { targets: ['q_proj'], outDir: join(root, 'y') }),
    ).rejects.toMatchObject({
      code: 'LORA_GRAFT_INVALID',
    });
  });
});

describe('grafted inference', () => {
  it('with rank-0 inputs reproduces the ungrafted base exactly', async () => {
    const expected = await logitsOf(base, PROMPTS);
    const actual = await loraLogits(PROMPTS, [null]);
    expect(maxDiff(actual, expected)).toBe(0);
  });

  it.each<[string, AdapterConfigInput, AdapterDType]>([
    ['plain', { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj', 'down_proj'] }, 'fp32'],
    ['rslora', { r: 8, lora_alpha: 4, use_rslora: true, target_modules: TARGETS }, 'fp32'],
    [
      'patterns',
      {
        r: 4,
        lora_alpha: 16,
        target_modules: '.*\\.(q_proj|k_proj|o_proj|up_proj)',
        rank_pattern: { 'layers.1.self_attn.q_proj': 2, up_proj: 6 },
        alpha_pattern: { o_proj: 3 },
      },
      'fp16',
    ],
    [
      'bf16-layers',
      { r: 2, lora_alpha: 2, target_modules: ['q_proj', 'gate_proj'], layers_to_transform: [1] },
      'bf16',
    ],
  ])(
    'with the %s adapter matches the offline-merged model within 1e-4',
    async (name, config, dtype) => {
      await addAdapter(name, name.length, config, dtype);
      const adapter = await lora.store.load(name);
      const mergedDir = join(root, `merged-${name}`);
      await writeMergedModel(baseDir, adapter, mergedDir);
      const merged = await CausalLM.load(mergedDir, { session });
      try {
        const expected = await logitsOf(merged, PROMPTS);
        const actual = await loraLogits(PROMPTS, [name]);
        expect(maxDiff(actual, expected)).toBeLessThan(1e-4);
        // The adapter really changes the output: it is not a no-op that trivially matches.
        expect(maxDiff(actual, await logitsOf(base, PROMPTS))).toBeGreaterThan(1e-2);
      } finally {
        await merged.dispose();
      }
    },
  );

  it('runs a mixed batch where each row equals a single run with its adapter', async () => {
    await addAdapter('mix-a', 21, { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj'] });
    await addAdapter('mix-b', 22, {
      r: 8,
      lora_alpha: 8,
      target_modules: TARGETS,
      rank_pattern: { o_proj: 3 },
    });
    const choices = ['mix-a', null, 'mix-b', 'mix-a'];
    const batch = await loraLogits(PROMPTS, choices);
    const perRow = batch.length / PROMPTS.length;
    for (const [i, prompt] of PROMPTS.entries()) {
      const single = await loraLogits([prompt], [choices[i]!]);
      expect(maxDiff(batch.subarray(i * perRow, (i + 1) * perRow), single)).toBeLessThan(1e-4);
    }
  });

  it('switches adapters per request on one session and decodes heterogeneous batches', async () => {
    await addAdapter('gen-a', 31, { r: 8, lora_alpha: 64, target_modules: TARGETS });
    const sessionBefore = lora.lm.session;
    const options = { maxNewTokens: 6, ignoreEos: true };
    const withA = await lora.generateText([5, 6, 7], { ...options, adapter: 'gen-a' });
    const plain = await lora.generateText([5, 6, 7], options);
    const baseline = await base.generateText([5, 6, 7], options);
    expect(plain.tokens).toEqual(baseline.tokens);
    expect(withA.tokens).toHaveLength(6);
    expect(lora.lm.session).toBe(sessionBefore);
    expect(lora.store.list().every((e) => e.pins === 0)).toBe(true);

    const batch = await lora.generateBatch(
      [
        [5, 6, 7],
        [5, 6, 7],
        [9, 9, 9],
      ],
      { adapters: ['gen-a', null, 'gen-a'], maxNewTokens: 6 },
    );
    const singleA = await lora.generateBatch([[5, 6, 7]], { adapters: ['gen-a'], maxNewTokens: 6 });
    expect(batch.tokens[0]).toEqual(singleA.tokens[0]);
    expect(lora.lm.session).toBe(sessionBefore);
    await expect(
      lora.generateBatch([[1]], { adapters: ['missing'], maxNewTokens: 1 }),
    ).rejects.toMatchObject({
      code: 'LORA_ADAPTER_NOT_FOUND',
    });
  });

  it('refuses adapters that do not fit the grafted targets', async () => {
    const narrow = await LoraModel.load(baseDir, {
      targets: ['q_proj'],
      graftDir: join(root, 'narrow'),
      sources: [localDirSource(adaptersDir)],
      maxAdapterBytes: 1 << 20,
      maxRank: 4,
      session,
    });
    try {
      await expect(narrow.bind(['plain'])).rejects.toMatchObject({
        code: 'LORA_TARGET_MISSING',
        message: expect.stringContaining('model.layers.0.self_attn.v_proj'),
      });
      await addAdapter('big-rank', 5, { r: 8, target_modules: ['q_proj'] });
      await expect(narrow.bind(['big-rank'])).rejects.toMatchObject({ code: 'LORA_RANK_EXCEEDED' });
    } finally {
      await narrow.dispose();
    }
  });
});

describe('LoraModel.attach', () => {
  it('serves adapters on a grafted model held by a ModelRegistry without owning it', async () => {
    await addAdapter('reg-a', 41, { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj'] });
    const registry = new ModelRegistry({
      budgetBytes: 1 << 30,
      measureRss: false,
      models: {
        tiny: {
          dir: lora.graft.dir,
          load: { session, acceptInput: loraInputAcceptor(lora.graft) },
        },
      },
    });
    const lease = await registry.acquire('tiny');
    try {
      const attached = LoraModel.attach(lease.model, lora.graft, {
        sources: [localDirSource(adaptersDir)],
        maxAdapterBytes: 1 << 20,
      });
      const options = { maxNewTokens: 4, ignoreEos: true, adapter: 'reg-a' };
      expect((await attached.generateText([5, 6, 7], options)).tokens).toEqual(
        (await lora.generateText([5, 6, 7], options)).tokens,
      );
      await attached.dispose();
      await expect(attached.generateText([1, 2], { maxNewTokens: 1 })).resolves.toBeDefined(); // still open
      expect(() => LoraModel.attach(base, lora.graft, { sources: [], maxAdapterBytes: 1 })).toThrow(
        expect.objectContaining({ code: 'LORA_GRAFT_INVALID' }),
      );
    } finally {
      lease.release();
      await registry.dispose();
    }
  });
});

describe('graftLora on an onnxruntime-genai export', () => {
  it('maps genai weight names (attn/, .MatMul.weight) onto PEFT modules: same adapted logits as the optimum twin', async () => {
    const genaiDir = (
      await buildModel({
        arch: 'llama',
        size: 'tiny',
        seed: 11,
        outDir: join(root, 'genai'),
        layout: 'genai',
        dtypes: ['fp32'],
      })
    ).dir;
    await addAdapter('twin', 41, { r: 4, lora_alpha: 8, target_modules: TARGETS });
    const genai = await LoraModel.load(genaiDir, {
      targets: TARGETS,
      sources: [localDirSource(adaptersDir)],
      maxAdapterBytes: 8 << 20,
      session,
    });
    try {
      expect(genai.targets.map((t) => t.module).sort()).toEqual(
        lora.targets.map((t) => t.module).sort(),
      );
      const binding = await genai.bind(['twin']);
      let actual: Float32Array;
      try {
        actual = (await genai.prefill(PROMPTS, binding, { allLogits: true })).logits.data;
      } finally {
        binding.release();
      }
      const expected = await loraLogits(PROMPTS, ['twin']);
      expect(maxDiff(actual, expected)).toBeLessThan(1e-4);
      expect(maxDiff(actual, await logitsOf(base, PROMPTS))).toBeGreaterThan(1e-2);
    } finally {
      await genai.dispose();
    }
  });
});
