import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pressLayers, selectKept, snapKvScores, WindowAttention } from '@signal/miner';
import { buildModel, CausalLM } from '@signal/runtime';

let root: string;
let lm: CausalLM;
let attention: WindowAttention;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-window-'));
  const built = await buildModel({
    arch: 'llama',
    size: 'tiny',
    seed: 5,
    outDir: join(root, 'm'),
    exposeQueries: true,
  });
  lm = await CausalLM.load(built.dir);
  attention = await WindowAttention.create();
}, 60_000);

afterAll(async () => {
  await attention?.dispose();
  await lm?.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('WindowAttention (snapkv in ONNX Runtime)', () => {
  it.each([
    [8, 5],
    [64, 3],
  ])(
    'scores like the TypeScript press (window %d, kernel %d) and keeps the same positions',
    async (window, kernel) => {
      const ids = lm.tokenizer.encode(
        'A lighthouse keeper logged every ship that passed the rocks, its flag, its cargo and the hour.',
      );
      const prefill = await lm.prefill(ids);
      const layers = pressLayers(prefill, 'snapkv', 'tiny');
      const expected = layers.map((layer) =>
        snapKvScores(layer.keys, layer.queries!, { window, kernel }),
      );
      const actual = await attention.snapKvScores(prefill, { window, kernel });
      expect(actual).toHaveLength(expected.length);
      for (const [l, scores] of actual.entries()) {
        expect(scores.heads).toBe(expected[l]!.heads);
        expect(scores.length).toBe(ids.length);
        let worst = 0;
        for (let i = 0; i < scores.data.length; i++) {
          worst = Math.max(worst, Math.abs(scores.data[i]! - expected[l]!.data[i]!));
        }
        expect(worst).toBeLessThan(1e-5);
      }
      const kept = selectKept(actual, 0.5);
      const reference = selectKept(expected, 0.5);
      let same = 0;
      let total = 0;
      for (const [l, heads] of kept.layers.entries()) {
        for (const [h, positions] of heads.entries()) {
          const want = new Set(reference.layers[l]![h]!);
          for (const p of positions) if (want.has(p)) same++;
          total += positions.length;
        }
      }
      // Float32 against float64 sums can only swap positions tied to ~1e-6 at the cut.
      expect(same / total).toBeGreaterThan(0.97);
    },
  );

  it('refuses a model that does not expose its queries, as a request the miner cannot serve', async () => {
    const built = await buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 5,
      outDir: join(root, 'plain'),
    });
    const plain = await CausalLM.load(built.dir);
    try {
      const prefill = await plain.prefill(plain.tokenizer.encode('A short context.'));
      await expect(attention.snapKvScores(prefill, { window: 8, kernel: 5 })).rejects.toMatchObject(
        {
          code: 'MINER_NOT_SERVED',
          status: 400,
        },
      );
    } finally {
      await plain.dispose();
    }
  });
});
