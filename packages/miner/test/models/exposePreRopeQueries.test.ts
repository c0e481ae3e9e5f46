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
});
