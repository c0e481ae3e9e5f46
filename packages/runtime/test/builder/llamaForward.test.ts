import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuiltModel, buildModel } from '@signal/runtime';
import * as ort from 'onnxruntime-node';
import { referenceForward, type WeightTable } from './llamaReference';
import {
  cacheFeeds,
  cacheOf,
  headAt,
  int64,
  maxAbsDiff,
  pastFeeds,
  rowAt,
  weightTable,
} from './ortHarness';

const TOLERANCE = 1e-4;
let root: string;
let tiny: BuiltModel;
let session: ort.InferenceSession;
let weights: WeightTable;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-forward-'));
  tiny = await buildModel({
    arch: 'llama',
    size: 'tiny',
    seed: 11,
    outDir: join(root, 'tiny'),
    exposeQueries: true,
  });
  session = await ort.InferenceSession.create(tiny.files.model);
  weights = await weightTable(tiny.files.model);
});
afterAll(async () => {
  await session?.release();
  await rm(root, { recursive: true, force: true });
});

const PROMPT = [1, 120, 45, 77, 260, 9, 200, 33];
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe('built Llama graph vs the reference forward pass', () => {
  it('matches on a full prompt: logits, present keys/values and exposed queries', async () => {
    const c = tiny.config;
    const out = await session.run({
      input_ids: int64([PROMPT]),
      attention_mask: int64([PROMPT.map(() => 1)]),
      position_ids: int64([range(PROMPT.length)]),
      ...pastFeeds(c, 1),
    });
    const ref = referenceForward(c, weights, {
      tokens: PROMPT,
      positions: range(PROMPT.length),
      mask: PROMPT.map(() => 1),
      past: [],
    });
    for (let s = 0; s < PROMPT.length; s++) {
      expect(maxAbsDiff(rowAt(out.logits as ort.Tensor, 0, s), ref.logits[s]!)).toBeLessThan(
        TOLERANCE,
      );
    }
    for (let layer = 0; layer < c.num_hidden_layers; layer++) {
      for (let h = 0; h < c.num_key_value_heads; h++) {
        for (let s = 0; s < PROMPT.length; s++) {
          const key = headAt(out[`present.${layer}.key`] as ort.Tensor, 0, h, s);
          const value = headAt(out[`present.${layer}.value`] as ort.Tensor, 0, h, s);
          expect(maxAbsDiff(key, ref.present[layer]!.keys[h]![s]!)).toBeLessThan(TOLERANCE);
          expect(maxAbsDiff(value, ref.present[layer]!.values[h]![s]!)).toBeLessThan(TOLERANCE);
        }
      }
      for (let h = 0; h < c.num_attention_heads; h++) {
        for (let s = 0; s < PROMPT.length; s++) {
          const query = headAt(out[`queries.${layer}`] as ort.Tensor, 0, h, s);
          expect(maxAbsDiff(query, ref.queries[layer]![h]![s]!)).toBeLessThan(TOLERANCE);
        }
      }
    }
  });

  it('matches with batch 2 and left padding: padded rows equal their unpadded run', async () => {
    const c = tiny.config;
    const short = [1, 50, 60, 70];
    const pad = PROMPT.length - short.length;
    const out = await session.run({
      input_ids: int64([PROMPT, [...Array(pad).fill(c.pad_token_id), ...short]]),
      attention_mask: int64([PROMPT.map(() => 1), [...Array(pad).fill(0), ...short.map(() => 1)]]),
      // HF's left-padding positions: cumsum(mask) - 1, with pad slots set to 1.
      position_ids: int64([range(PROMPT.length), [...Array(pad).fill(1), ...range(short.length)]]),
      ...pastFeeds(c, 2),
    });
    const full = referenceForward(c, weights, {
      tokens: PROMPT,
      positions: range(PROMPT.length),
      mask: PROMPT.map(() => 1),
      past: [],
    });
    const alone = referenceForward(c, weights, {
      tokens: short,
      positions: range(short.length),
      mask: short.map(() => 1),
      past: [],
    });
    for (let s = 0; s < PROMPT.length; s++) {
      expect(maxAbsDiff(rowAt(out.logits as ort.Tensor, 0, s), full.logits[s]!)).toBeLessThan(
        TOLERANCE,
      );
    }
    for (let s = 0; s < short.length; s++) {
      expect(
        maxAbsDiff(rowAt(out.logits as ort.Tensor, 1, pad + s), alone.logits[s]!),
      ).toBeLessThan(TOLERANCE);
      const key = headAt(out['present.1.key'] as ort.Tensor, 1, 1, pad + s);
      expect(maxAbsDiff(key, alone.present[1]!.keys[1]![s]!)).toBeLessThan(TOLERANCE);
    }
  });

  it('matches incremental decode from present → past_key_values with left padding', async () => {
    const c = tiny.config;
    const short = [1, 50, 60];
    let mask = [
      [1, 1, 1, 1, 1],
      [0, 0, 1, 1, 1],
    ];
    let out = await session.run({
      input_ids: int64([PROMPT.slice(0, 5), [3, 3, ...short]]),
      attention_mask: int64(mask),
      position_ids: int64([range(5), [1, 1, 0, 1, 2]]),
      ...pastFeeds(c, 2),
    });
    const next = [
      [90, 91],
      [92, 93],
    ];
    for (let step = 0; step < 2; step++) {
      mask = mask.map((row) => [...row, 1]);
      out = await session.run({
        input_ids: int64([[next[0]![step]!], [next[1]![step]!]]),
        attention_mask: int64(mask),
        position_ids: int64([[5 + step], [3 + step]]),
        ...pastFeeds(c, 2, out),
      });
    }
    const seq0 = [...PROMPT.slice(0, 5), ...next[0]!];
    const seq1 = [...short, ...next[1]!];
    const ref0 = referenceForward(c, weights, {
      tokens: seq0,
      positions: range(seq0.length),
      mask: seq0.map(() => 1),
      past: [],
    });
    const ref1 = referenceForward(c, weights, {
      tokens: seq1,
      positions: range(seq1.length),
      mask: seq1.map(() => 1),
      past: [],
    });
    expect(out.logits?.dims).toEqual([2, 1, c.vocab_size]);
    expect(out['present.0.key']?.dims).toEqual([2, c.num_key_value_heads, 7, c.head_dim]);
    expect(maxAbsDiff(rowAt(out.logits as ort.Tensor, 0, 0), ref0.logits.at(-1)!)).toBeLessThan(
      TOLERANCE,
    );
    expect(maxAbsDiff(rowAt(out.logits as ort.Tensor, 1, 0), ref1.logits.at(-1)!)).toBeLessThan(
      TOLERANCE,
    );
  });

  it('decodes from a pruned cache: kept keys stay rotated, positions continue from the original length', async () => {
    const c = tiny.config;
    const prefill = await session.run({
      input_ids: int64([PROMPT]),
      attention_mask: int64([PROMPT.map(() => 1)]),
      position_ids: int64([range(PROMPT.length)]),
      ...pastFeeds(c, 1),
    });
    const keep = [0, 2, 3, 6, 7];
    const pruned = cacheOf(c, prefill, 0, keep);
    const out = await session.run({
      input_ids: int64([[140]]),
      attention_mask: int64([[...keep.map(() => 1), 1]]),
      position_ids: int64([[PROMPT.length]]),
      ...cacheFeeds(c, [pruned]),
    });
    const ref = referenceForward(c, weights, {
      tokens: [140],
      positions: [PROMPT.length],
      mask: [...keep.map(() => 1), 1],
      past: pruned,
    });
    expect(maxAbsDiff(rowAt(out.logits as ort.Tensor, 0, 0), ref.logits[0]!)).toBeLessThan(
      TOLERANCE,
    );
    // And it really differs from decoding with the full cache (the pruning took effect).
    const full = referenceForward(c, weights, {
      tokens: [140],
      positions: [PROMPT.length],
      mask: [...PROMPT.map(() => 1), 1],
      past: cacheOf(c, prefill, 0),
    });
    expect(maxAbsDiff(full.logits[0]!, ref.logits[0]!)).toBeGreaterThan(1e-3);
  });
});
