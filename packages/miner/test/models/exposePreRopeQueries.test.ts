import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exposePreRopeQueries, preRopeQueriesOutput } from '@signal/miner';
import { buildModel, CausalLM } from '@signal/runtime';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-prerope-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('exposePreRopeQueries', () => {
  it('outputs the queries that RoPE turns into the post-RoPE queries, and reuses the copy', async () => {
    const built = await buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 9,
      outDir: join(root, 'm'),
      exposeQueries: true,
    });
    const dir = await exposePreRopeQueries(built.dir);
    expect(dir).toBe(`${built.dir}-prerope`);
    const written = (await stat(join(dir, 'onnx', 'model.onnx'))).mtimeMs;
    expect(await exposePreRopeQueries(built.dir)).toBe(dir);
    expect((await stat(join(dir, 'onnx', 'model.onnx'))).mtimeMs).toBe(written);

    const lm = await CausalLM.load(dir);
    try {
      const ids = lm.tokenizer.encode('Rotary positions turn queries around.');
      const { extras } = await lm.prefill(ids);
      const { headDim, numLayers } = lm.signature;
      const theta = Number(lm.modelDir.config.rope_theta ?? 10_000);
      for (let layer = 0; layer < numLayers; layer++) {
        const pre = extras[preRopeQueriesOutput(layer)]!;
        const post = extras[`queries.${layer}`]!;
        const [, heads, seq] = post.dims as number[];
        expect(pre.dims).toEqual([1, seq, heads! * headDim]);
        const a = pre.data as Float32Array;
        const b = post.data as Float32Array;
        const half = headDim / 2;
        let worst = 0;
        for (let t = 0; t < seq!; t++) {
          for (let h = 0; h < heads!; h++) {
            const q = a.subarray((t * heads! + h) * headDim, (t * heads! + h + 1) * headDim);
            const r = b.subarray((h * seq! + t) * headDim, (h * seq! + t + 1) * headDim);
            for (let i = 0; i < half; i++) {
              const angle = t * theta ** (-(2 * i) / headDim);
              const x = q[i]! * Math.cos(angle) - q[i + half]! * Math.sin(angle);
              const y = q[i + half]! * Math.cos(angle) + q[i]! * Math.sin(angle);
              worst = Math.max(worst, Math.abs(x - r[i]!), Math.abs(y - r[i + half]!));
            }
          }
        }
        expect(worst).toBeLessThan(1e-4);
      }
    } finally {
      await lm.dispose();
    }
  });

  it('finds the q projections onnxruntime-genai names (attn/q_proj, MatMul_Q4, packed qkv_proj)', async () => {
    const build = (name: string, options: Partial<Parameters<typeof buildModel>[0]>) =>
      buildModel({
        arch: 'llama',
        size: 'tiny',
        seed: 9,
        outDir: join(root, name),
        ...options,
      } as Parameters<typeof buildModel>[0]);
    const preRope = async (dir: string) => {
      const lm = await CausalLM.load(await exposePreRopeQueries(dir));
      try {
        const { extras } = await lm.prefill(
          lm.tokenizer.encode('Rotary positions turn queries around.'),
        );
        return Array.from({ length: lm.signature.numLayers }, (_, layer) => {
          const t = extras[preRopeQueriesOutput(layer)]!;
          expect(t.dims).toEqual([1, t.dims[1], lm.signature.numHeads * lm.signature.headDim]);
          return t.data as Float32Array;
        });
      } finally {
        await lm.dispose();
      }
    };
    const worst = (a: Float32Array[], b: Float32Array[]) =>
      Math.max(...a.map((x, l) => x.reduce((m, v, i) => Math.max(m, Math.abs(v - b[l]![i]!)), 0)));
    const optimum = await preRope((await build('ref', { layout: 'optimum' })).dir);
    const fp32 = await preRope((await build('g32', { layout: 'genai', dtypes: ['fp32'] })).dir);
    const fp32Packed = await preRope(
      (await build('g32p', { layout: 'genai', dtypes: ['fp32'], packedQkv: true })).dir,
    );
    const q4 = await preRope((await build('g4', { layout: 'genai' })).dir);
    const q4Packed = await preRope((await build('g4p', { layout: 'genai', packedQkv: true })).dir);
    expect(worst(fp32, optimum)).toBeLessThan(1e-4);
    expect(worst(fp32Packed, optimum)).toBeLessThan(1e-4);
    expect(worst(q4Packed, q4)).toBeLessThan(1e-4);
    // int4 weights move the queries: the comparisons above are not vacuous.
    expect(worst(q4, optimum)).toBeGreaterThan(1e-3);
  }, 120_000);
});
