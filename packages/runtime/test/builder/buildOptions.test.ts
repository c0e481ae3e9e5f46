import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '@signal/runtime';
import * as ort from 'onnxruntime-node';
import { referenceForward } from './llamaReference';
import { int64, maxAbsDiff, pastFeeds, rowAt, weightTable } from './ortHarness';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-options-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const TOKENS = [1, 70, 71, 72, 273, 5];
const ones = (n: number) => Array.from({ length: n }, () => 1);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('builder options', () => {
  it('small + tied embeddings + num_logits_to_keep: keeps the last k logits (0 keeps all) and matches the reference', async () => {
    const built = await buildModel({
      arch: 'llama',
      size: 'small',
      seed: 2,
      outDir: join(root, 'small'),
      tieWordEmbeddings: true,
      numLogitsToKeep: true,
    });
    const c = built.config;
    expect(c).toMatchObject({ hidden_size: 256, num_hidden_layers: 4, tie_word_embeddings: true });
    const weights = await weightTable(built.files.model);
    expect(() => weights('lm_head.weight')).toThrow();
    const session = await ort.InferenceSession.create(built.files.model);
    expect(session.inputNames.at(-1)).toBe('num_logits_to_keep');
    const feeds = {
      input_ids: int64([TOKENS]),
      attention_mask: int64([ones(TOKENS.length)]),
      position_ids: int64([range(TOKENS.length)]),
      ...pastFeeds(c, 1),
    };
    const keep = (k: number) => new ort.Tensor('int64', BigInt64Array.from([BigInt(k)]), []);
    const ref = referenceForward(c, weights, {
      tokens: TOKENS,
      positions: range(TOKENS.length),
      mask: ones(TOKENS.length),
      past: [],
    });
    const last2 = await session.run({ ...feeds, num_logits_to_keep: keep(2) });
    expect(last2.logits?.dims).toEqual([1, 2, c.vocab_size]);
    expect(last2['present.3.key']?.dims).toEqual([
      1,
      c.num_key_value_heads,
      TOKENS.length,
      c.head_dim,
    ]);
    expect(maxAbsDiff(rowAt(last2.logits as ort.Tensor, 0, 0), ref.logits.at(-2)!)).toBeLessThan(
      1e-4,
    );
    expect(maxAbsDiff(rowAt(last2.logits as ort.Tensor, 0, 1), ref.logits.at(-1)!)).toBeLessThan(
      1e-4,
    );
    const all = await session.run({ ...feeds, num_logits_to_keep: keep(0) });
    expect(all.logits?.dims).toEqual([1, TOKENS.length, c.vocab_size]);
    expect(maxAbsDiff(rowAt(all.logits as ort.Tensor, 0, 0), ref.logits[0]!)).toBeLessThan(1e-4);
    await session.release();
  });

  it('inputs_embeds replaces input_ids and embed_tokens.onnx supplies the embeddings', async () => {
    const built = await buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 9,
      outDir: join(root, 'embeds'),
      inputsEmbeds: true,
    });
    const plain = await buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 9,
      outDir: join(root, 'plain'),
    });
    const c = built.config;
    expect(built.files.embedTokens).toBe(join(root, 'embeds', 'onnx', 'embed_tokens.onnx'));
    const embed = await ort.InferenceSession.create(built.files.embedTokens!);
    const decoder = await ort.InferenceSession.create(built.files.model);
    const base = await ort.InferenceSession.create(plain.files.model);
    expect(embed.inputNames).toEqual(['input_ids']);
    expect(embed.outputNames).toEqual(['inputs_embeds']);
    expect(decoder.inputNames).not.toContain('input_ids');
    expect(decoder.inputNames[0]).toBe('inputs_embeds');

    const { inputs_embeds } = await embed.run({ input_ids: int64([TOKENS]) });
    expect(inputs_embeds?.dims).toEqual([1, TOKENS.length, c.hidden_size]);
    const shared = {
      attention_mask: int64([ones(TOKENS.length)]),
      position_ids: int64([range(TOKENS.length)]),
      ...pastFeeds(c, 1),
    };
    const viaEmbeds = await decoder.run({ inputs_embeds: inputs_embeds!, ...shared });
    const viaIds = await base.run({ input_ids: int64([TOKENS]), ...shared });
    for (let s = 0; s < TOKENS.length; s++) {
      expect(
        maxAbsDiff(
          rowAt(viaEmbeds.logits as ort.Tensor, 0, s),
          rowAt(viaIds.logits as ort.Tensor, 0, s),
        ),
      ).toBeLessThan(1e-5);
    }

    // Arbitrary soft tokens (not rows of the embedding table) also match the reference.
    const weights = await weightTable(built.files.model);
    const soft = [0, 1, 2].map((i) =>
      Array.from({ length: c.hidden_size }, (_, d) => Math.sin(i * 31 + d) * 0.3),
    );
    const out = await decoder.run({
      inputs_embeds: new ort.Tensor('float32', Float32Array.from(soft.flat()), [
        1,
        3,
        c.hidden_size,
      ]),
      attention_mask: int64([ones(3)]),
      position_ids: int64([range(3)]),
      ...pastFeeds(c, 1),
    });
    const ref = referenceForward(c, weights, {
      tokens: soft,
      positions: range(3),
      mask: ones(3),
      past: [],
    });
    for (let s = 0; s < 3; s++) {
      expect(maxAbsDiff(rowAt(out.logits as ort.Tensor, 0, s), ref.logits[s]!)).toBeLessThan(1e-4);
    }
    await Promise.all([embed.release(), decoder.release(), base.release()]);
  });

  it('exposeQueries only adds outputs: weights and logits are unchanged', async () => {
    const withQueries = await buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 4,
      outDir: join(root, 'q'),
      exposeQueries: true,
    });
    const without = await buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 4,
      outDir: join(root, 'noq'),
    });
    const a = await ort.InferenceSession.create(withQueries.files.model);
    const b = await ort.InferenceSession.create(without.files.model);
    expect(a.outputNames.filter((n) => n.startsWith('queries.'))).toEqual([
      'queries.0',
      'queries.1',
    ]);
    expect(b.outputNames.some((n) => n.startsWith('queries.'))).toBe(false);
    const feeds = {
      input_ids: int64([TOKENS]),
      attention_mask: int64([ones(TOKENS.length)]),
      position_ids: int64([range(TOKENS.length)]),
      ...pastFeeds(withQueries.config, 1),
    };
    const [outA, outB] = await Promise.all([a.run(feeds), b.run(feeds)]);
    expect(outA['queries.1']?.dims).toEqual([1, 4, TOKENS.length, 16]);
    expect(Array.from(outA.logits?.data as Float32Array)).toEqual(
      Array.from(outB.logits?.data as Float32Array),
    );
    await Promise.all([a.release(), b.release()]);
  });
});
