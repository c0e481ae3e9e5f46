import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdapterConfigSchema,
  isTargetModule,
  loadPeftAdapter,
  moduleScaling,
  moduleToNodeName,
  nodeNameToModule,
  parsePeftTensorKey,
  readSafetensors,
  writeSafetensors,
  writeTestAdapter,
} from '@signal/lora';
import { llamaTargets, targetMap } from './helpers/targets';

const cfg = (input: object) => AdapterConfigSchema.parse(input);
const Q0 = 'model.layers.0.self_attn.q_proj';
const Q1 = 'model.layers.1.self_attn.q_proj';
const K1 = 'model.layers.1.self_attn.k_proj';

describe('PEFT conventions', () => {
  it('maps module paths to optimum node names and back', () => {
    expect(moduleToNodeName(Q0)).toBe('/model/layers.0/self_attn/q_proj/MatMul');
    expect(nodeNameToModule('/model/layers.12/mlp/down_proj/MatMul')).toBe(
      'model.layers.12.mlp.down_proj',
    );
    expect(nodeNameToModule('/model/layers.0/self_attn/Add')).toBeUndefined();
    expect(parsePeftTensorKey(`base_model.model.${Q0}.lora_B.weight`)).toEqual({
      module: Q0,
      part: 'B',
    });
    expect(parsePeftTensorKey(`base_model.model.${Q0}.lora_A.default.weight`)).toEqual({
      module: Q0,
      part: 'A',
    });
    expect(parsePeftTensorKey(`base_model.model.${Q0}.lora_magnitude_vector`)).toBeUndefined();
  });

  it('matches list targets by suffix and string targets as a full regex', () => {
    const list = cfg({ target_modules: ['q_proj', 'v'] });
    expect(isTargetModule(list, Q0)).toBe(true);
    expect(isTargetModule(list, 'model.layers.0.self_attn.v_proj')).toBe(false); // suffix is per dotted part
    const regex = cfg({ target_modules: '.*\\.1\\.self_attn\\.(q|k)_proj' });
    expect(isTargetModule(regex, Q1)).toBe(true);
    expect(isTargetModule(regex, Q0)).toBe(false);
    expect(isTargetModule(cfg({ target_modules: 'q_proj' }), Q0)).toBe(false); // full match, not search
  });

  it('applies layers_to_transform with and without layers_pattern', () => {
    const only1 = cfg({ target_modules: ['q_proj'], layers_to_transform: 1 });
    expect([isTargetModule(only1, Q0), isTargetModule(only1, Q1)]).toEqual([false, true]);
    const listed = cfg({
      target_modules: ['q_proj'],
      layers_to_transform: [0],
      layers_pattern: 'layers',
    });
    expect([isTargetModule(listed, Q0), isTargetModule(listed, Q1)]).toEqual([true, false]);
    const wrongPattern = cfg({
      target_modules: ['q_proj'],
      layers_to_transform: [0],
      layers_pattern: ['h', 'blocks'],
    });
    expect(isTargetModule(wrongPattern, Q0)).toBe(false);
  });

  it('scales by alpha/r, alpha/sqrt(r) with rsLoRA, and honours rank/alpha patterns', () => {
    expect(moduleScaling(cfg({ r: 4, lora_alpha: 8 }), Q0)).toEqual({
      rank: 4,
      alpha: 8,
      scale: 2,
    });
    expect(moduleScaling(cfg({ r: 16, lora_alpha: 8, use_rslora: true }), Q0).scale).toBe(2);
    const patterned = cfg({
      r: 4,
      lora_alpha: 8,
      rank_pattern: { 'layers.1.self_attn.q_proj': 2, k_proj: 6 },
      alpha_pattern: { '^model.layers.1.self_attn.k_proj': 3 },
    });
    expect(moduleScaling(patterned, Q1)).toEqual({ rank: 2, alpha: 8, scale: 4 });
    expect(moduleScaling(patterned, Q0).rank).toBe(4);
    expect(moduleScaling(patterned, K1)).toEqual({ rank: 6, alpha: 3, scale: 0.5 });
    // A key must end on a dotted boundary: "proj" does not name "q_proj".
    expect(moduleScaling(cfg({ r: 4, rank_pattern: { proj: 2 } }), Q0).rank).toBe(4);
  });
});

describe('loadPeftAdapter', () => {
  let dir: string;
  const targets = llamaTargets();
  const map = targetMap(targets);
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lora-peft-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('transposes A and folds the scale into B', async () => {
    await writeTestAdapter({
      outDir: dir,
      targets,
      seed: 3,
      config: { r: 2, lora_alpha: 6, target_modules: ['q_proj'] },
    });
    const raw = readSafetensors(await readFile(join(dir, 'adapter_model.safetensors')));
    const adapter = await loadPeftAdapter(dir, { name: 'x', targets: map });
    expect([...adapter.modules.keys()]).toEqual([Q0, Q1]);
    const m = adapter.modules.get(Q0)!;
    const A = raw.tensors.get(`base_model.model.${Q0}.lora_A.weight`)!; // [r, in]
    const B = raw.tensors.get(`base_model.model.${Q0}.lora_B.weight`)!; // [out, r]
    expect(A.shape).toEqual([2, 16]);
    expect(B.shape).toEqual([16, 2]);
    expect(m.a[5 * 2 + 1]).toBe(A.data[1 * 16 + 5]); // a[in=5, r=1] = A[r=1, in=5]
    expect(m.b[1 * 16 + 7]).toBeCloseTo(B.data[7 * 2 + 1]! * 3, 6); // b[r=1, out=7] = 3·B[7, 1]
    expect(adapter.byteLength).toBe(2 * (2 * 16 + 2 * 16) * 4);
    expect(adapter.maxRank).toBe(2);
  });

  it('writes per-module ranks from rank_pattern', async () => {
    await writeTestAdapter({
      outDir: dir,
      targets,
      seed: 1,
      config: { r: 4, target_modules: ['q_proj', 'v_proj'], rank_pattern: { v_proj: 8 } },
      dtype: 'bf16',
    });
    const adapter = await loadPeftAdapter(dir, { name: 'x', targets: map });
    expect(adapter.modules.get('model.layers.0.self_attn.v_proj')?.rank).toBe(8);
    expect(adapter.modules.get(Q0)?.rank).toBe(4);
    await expect(
      loadPeftAdapter(dir, { name: 'x', targets: map, maxRank: 4 }),
    ).rejects.toMatchObject({
      code: 'LORA_RANK_EXCEEDED',
      message: expect.stringContaining('model.layers.0.self_attn.v_proj'),
    });
  });

  async function patchConfig(patch: object): Promise<void> {
    const path = join(dir, 'adapter_config.json');
    const config = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...config, ...patch }));
  }

  it.each([
    [{ use_dora: true }, 'LORA_UNSUPPORTED', /DoRA/],
    [{ modules_to_save: ['lm_head'] }, 'LORA_UNSUPPORTED', /modules_to_save: lm_head/],
    [{ bias: 'all' }, 'LORA_UNSUPPORTED', /bias/],
    [{ r: 0 }, 'LORA_CONFIG_INVALID', /at r/],
    [{ r: 3 }, 'LORA_SHAPE_MISMATCH', /module model\.layers\.\d\.self_attn\.q_proj/],
    [
      { target_modules: ['k_proj'] },
      'LORA_CONFIG_INVALID',
      /weights for module model\.layers\.0\.self_attn\.q_proj/,
    ],
    [{ target_modules: ['q_proj', 'k_proj'] }, 'LORA_TARGET_MISSING', /target module k_proj/],
    [{ target_modules: '(' }, 'LORA_CONFIG_INVALID', /not a valid regex/],
  ])('refuses config %j', async (patch, code, message) => {
    await writeTestAdapter({
      outDir: dir,
      targets,
      seed: 1,
      config: { r: 2, target_modules: ['q_proj'] },
    });
    await patchConfig(patch);
    await expect(loadPeftAdapter(dir, { name: 'bad', targets: map })).rejects.toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
  });

  it('refuses targets the base lacks and shapes that do not fit, naming the module', async () => {
    await writeTestAdapter({
      outDir: dir,
      targets,
      seed: 1,
      config: { r: 2, target_modules: ['gate_proj'] },
    });
    const attentionOnly = targetMap(targets.filter((t) => t.module.includes('self_attn')));
    await expect(loadPeftAdapter(dir, { name: 'a', targets: attentionOnly })).rejects.toMatchObject(
      {
        code: 'LORA_TARGET_MISSING',
        message: expect.stringContaining('model.layers.0.mlp.gate_proj'),
      },
    );
    const wider = targetMap(llamaTargets(2, 16, 48));
    await expect(loadPeftAdapter(dir, { name: 'a', targets: wider })).rejects.toMatchObject({
      code: 'LORA_SHAPE_MISMATCH',
      message: expect.stringContaining('model.layers.0.mlp.gate_proj'),
    });
  });

  it('refuses missing files, foreign tensors and non-finite weights', async () => {
    await expect(loadPeftAdapter(dir, { name: 'none', targets: map })).rejects.toMatchObject({
      code: 'LORA_ADAPTER_NOT_FOUND',
    });
    await writeTestAdapter({
      outDir: dir,
      targets,
      seed: 1,
      config: { r: 1, target_modules: ['q_proj'] },
    });
    const weights = join(dir, 'adapter_model.safetensors');
    const nan = Float32Array.from([Number.NaN, ...new Array(15).fill(0)]);
    await writeFile(
      weights,
      writeSafetensors([
        { name: `base_model.model.${Q0}.lora_A.weight`, dtype: 'F32', shape: [1, 16], data: nan },
        {
          name: `base_model.model.${Q0}.lora_B.weight`,
          dtype: 'F32',
          shape: [16, 1],
          data: new Float32Array(16),
        },
      ]),
    );
    await patchConfig({ target_modules: ['0.self_attn.q_proj'] });
    await expect(loadPeftAdapter(dir, { name: 'n', targets: map })).rejects.toMatchObject({
      code: 'LORA_SAFETENSORS_INVALID',
      message: expect.stringContaining(`non-finite weights in module ${Q0}`),
    });
    await writeFile(
      weights,
      writeSafetensors([
        {
          name: 'base_model.model.lm_head.weight',
          dtype: 'F32',
          shape: [1],
          data: new Float32Array(1),
        },
      ]),
    );
    await expect(loadPeftAdapter(dir, { name: 'n', targets: map })).rejects.toMatchObject({
      code: 'LORA_UNSUPPORTED',
      message: expect.stringContaining('lm_head.weight'),
    });
    await writeFile(join(dir, 'adapter_config.json'), '{not json');
    await expect(loadPeftAdapter(dir, { name: 'n', targets: map })).rejects.toMatchObject({
      code: 'LORA_CONFIG_INVALID',
    });
  });
});

describe('all-linear and graph naming', () => {
  it('treats all-linear as every linear layer but the output head', () => {
    const all = cfg({ target_modules: 'all-linear' });
    expect(isTargetModule(all, 'model.layers.3.mlp.down_proj')).toBe(true);
    expect(isTargetModule(all, 'lm_head')).toBe(false);
    const excluded = cfg({
      target_modules: 'all-linear',
      exclude_modules: ['down_proj', 'layers.1.self_attn.q_proj'],
    });
    expect(isTargetModule(excluded, 'model.layers.3.mlp.down_proj')).toBe(false);
    expect(isTargetModule(excluded, Q1)).toBe(false);
    expect(isTargetModule(excluded, Q0)).toBe(true);
    expect(
      isTargetModule(cfg({ target_modules: ['q_proj'], exclude_modules: '.*\\.0\\..*' }), Q0),
    ).toBe(false);
  });
});
