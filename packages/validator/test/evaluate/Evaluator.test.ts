import { join } from 'node:path';
import { encodeTensor, framePayload, receivePayloadFrame, toWirePayload } from '@signal/core';
import { poolEmbeddings } from '@signal/miner';
import { buildModel, CausalLM, kvCacheToEncodedPayload, recallVocabulary } from '@signal/runtime';
import {
  type ContinuationTask,
  Evaluator,
  REFERENCE_FAMILIES,
  type RecallTask,
  synthesizeTasks,
  type Task,
  TokenEmbedder,
} from '@signal/validator';
import { condenseWithPress } from '../helpers/condenseWithPress';
import { testTiers } from '../helpers/testTiers';
import { MODEL_NAME, tinyModel } from '../helpers/tinyModel';

const tier = testTiers()[0]!;
let model: Awaited<ReturnType<typeof tinyModel>>;
let evaluator: Evaluator;
let continuation: ContinuationTask;
let needle: Task;

beforeAll(async () => {
  model = await tinyModel();
  evaluator = new Evaluator({ models: { [MODEL_NAME]: model.dir }, maxContinuationTokens: 16 });
  const tasks = synthesizeTasks({
    seed: 'evaluator-test',
    tier,
    count: 2,
    families: ['continuation', 'needle'],
  });
  continuation = tasks.find((task) => task.family === 'continuation') as ContinuationTask;
  needle = tasks.find((task) => task.family === 'needle')!;
});

afterAll(async () => {
  await evaluator.close();
  await model.cleanup();
});

describe('Evaluator on kv payloads', () => {
  it('gives a lossless cache full fidelity and no compression', async () => {
    const raw = await condenseWithPress(model.lm, MODEL_NAME, continuation.context, 'knorm', 0);
    const result = await evaluator.evaluate({ task: continuation, tier, model: MODEL_NAME, raw });
    expect(result).toMatchObject({ valid: true, format: 'kv', compression: 0 });
    if (!result.valid) throw new Error('unreachable');
    // float16 rounding of the cache is the only loss.
    expect(result.fidelity).toBeGreaterThan(0.97);
    expect(result.originalTokens).toBe(model.lm.tokenizer.encode(continuation.context).length);
  });

  // Whether pruning costs fidelity on a random-weight model is a coin flip of its weights;
  // the recall-model block below shows the loss where the context provably matters.
  it('measures a pruned cache: compression from the kept count, fidelity in (0, 1]', async () => {
    const raw = await condenseWithPress(model.lm, MODEL_NAME, continuation.context, 'knorm', 0.5);
    const result = await evaluator.evaluate({ task: continuation, tier, model: MODEL_NAME, raw });
    if (!result.valid) throw new Error(JSON.stringify(result));
    expect(result.condensedTokens).toBe(raw.kept);
    expect(result.compression).toBeCloseTo(1 - raw.kept / result.originalTokens, 10);
    expect(result.fidelity).toBeGreaterThan(0);
    expect(result.fidelity).toBeLessThanOrEqual(1);
  });

  it('ignores a lie about original_tokens: compression uses the validator count', async () => {
    const raw = await condenseWithPress(model.lm, MODEL_NAME, continuation.context, 'knorm', 0.5);
    const result = await evaluator.evaluate({
      task: continuation,
      tier,
      model: MODEL_NAME,
      raw: { ...raw, original_tokens: raw.original_tokens * 3 },
    });
    if (!result.valid) throw new Error(JSON.stringify(result));
    expect(result.originalTokens).toBe(raw.original_tokens);
  });

  it('scores needle answers by greedy generation on top of the cache', async () => {
    const raw = await condenseWithPress(model.lm, MODEL_NAME, needle.context, 'streaming_llm', 0.5);
    const result = await evaluator.evaluate({ task: needle, tier, model: MODEL_NAME, raw });
    expect(result.valid).toBe(true);
    if (!result.valid) return;
    expect(result.fidelity).toBeNull();
    expect(result.accuracy).toBeGreaterThanOrEqual(0);
    expect(result.accuracy).toBeLessThanOrEqual(1);
  });
});

describe('Evaluator refuses bad payloads before decoding', () => {
  it.each([
    [
      'a payload for another model',
      (raw: Record<string, unknown>) => ({ ...raw, model: 'other' }),
      'PAYLOAD_MODEL_MISMATCH',
    ],
    ['a malformed payload', () => ({ format: 'kv', layers: 'nope' }), 'PAYLOAD_SCHEMA'],
    ['a non-object', () => 'garbage', 'PAYLOAD_SCHEMA'],
  ])('%s', async (_name, mutate, code) => {
    const raw = await condenseWithPress(model.lm, MODEL_NAME, continuation.context, 'knorm', 0.5);
    const result = await evaluator.evaluate({
      task: continuation,
      tier,
      model: MODEL_NAME,
      raw: mutate(raw as unknown as Record<string, unknown>),
    });
    expect(result).toMatchObject({ valid: false, code });
  });

  it('refuses a cache shaped for another model', async () => {
    const shape = [1, 3, 4, 16];
    const tensor = encodeTensor({ dtype: 'float16', shape, data: new Float32Array(3 * 4 * 16) });
    const raw = {
      format: 'kv',
      model: MODEL_NAME,
      original_tokens: 40,
      condensed_tokens: 4,
      original_length: 40,
      kept: 4,
      layers: [
        { key: tensor, value: tensor },
        { key: tensor, value: tensor },
      ],
    };
    const result = await evaluator.evaluate({ task: continuation, tier, model: MODEL_NAME, raw });
    expect(result).toMatchObject({ valid: false, code: 'PAYLOAD_GEOMETRY_MISMATCH' });
  });

  it('refuses a payload over the tier byte ceiling', async () => {
    const raw = await condenseWithPress(model.lm, MODEL_NAME, continuation.context, 'knorm', 0);
    const small = testTiers({ maxPayloadBytes: 1024 })[0]!;
    const result = await evaluator.evaluate({
      task: continuation,
      tier: small,
      model: MODEL_NAME,
      raw,
    });
    expect(result).toMatchObject({ valid: false, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses non-finite values found after decoding', async () => {
    const raw = await condenseWithPress(model.lm, MODEL_NAME, continuation.context, 'knorm', 0.5);
    const [, heads, kept, dim] = raw.layers[0]!.key.shape as [number, number, number, number];
    const data = new Float32Array(heads * kept * dim).fill(0.5);
    data[7] = Number.POSITIVE_INFINITY;
    const bad = encodeTensor(
      { dtype: 'float16', shape: [1, heads, kept, dim], data },
      { allowNonFinite: true },
    );
    const layers = raw.layers.map((layer, index) =>
      index === 1 ? { ...layer, value: bad } : layer,
    );
    const result = await evaluator.evaluate({
      task: continuation,
      tier,
      model: MODEL_NAME,
      raw: { ...raw, layers },
    });
    expect(result).toMatchObject({ valid: false, code: 'PAYLOAD_UNDECODABLE' });
    if (result.valid) return;
    expect(result.message).toMatch(/layers\[1\]\.value/);
  });
});

describe('Evaluator on text payloads', () => {
  it('re-tokenises the text and recounts both sides', async () => {
    const text = continuation.context.slice(0, Math.floor(continuation.context.length / 3));
    const result = await evaluator.evaluate({
      task: continuation,
      tier,
      model: MODEL_NAME,
      raw: { format: 'text', model: MODEL_NAME, original_tokens: 100, condensed_tokens: 50, text },
    });
    if (!result.valid) throw new Error(JSON.stringify(result));
    const count = (s: string) => model.lm.tokenizer.encode(s, { addSpecialTokens: false }).length;
    expect(result.format).toBe('text');
    expect(result.condensedTokens).toBe(count(text));
    expect(result.originalTokens).toBe(count(continuation.context));
    expect(result.fidelity).toBeGreaterThan(0);
  });

  it('refuses soft payloads for a model that takes token ids', async () => {
    const embeddings = encodeTensor({
      dtype: 'float16',
      shape: [4, 64],
      data: new Float32Array(256),
    });
    const result = await evaluator.evaluate({
      task: continuation,
      tier,
      model: MODEL_NAME,
      raw: {
        format: 'soft',
        model: MODEL_NAME,
        original_tokens: 40,
        condensed_tokens: 4,
        embeddings,
      },
    });
    expect(result).toMatchObject({ valid: false, code: 'PAYLOAD_FORMAT_UNSUPPORTED' });
  });
});

describe('Evaluator on soft payloads (an inputs_embeds model)', () => {
  const SOFT = 'tiny-soft';
  let softDir: string;
  let soft: Evaluator;
  let embedder: TokenEmbedder;
  let ids: number[];
  let full: Float32Array;

  beforeAll(async () => {
    softDir = join(model.root, 'soft');
    await buildModel({ arch: 'llama', size: 'tiny', seed: 7, inputsEmbeds: true, outDir: softDir });
    soft = new Evaluator({ models: { [SOFT]: softDir }, maxContinuationTokens: 16 });
    embedder = await TokenEmbedder.open(softDir, 64);
    ids = model.lm.tokenizer.encode(continuation.context);
    full = await embedder.embed(ids);
  });

  afterAll(async () => {
    await embedder.close();
    await soft.close();
  });

  const payload = (rows: number, data: Float32Array) => ({
    format: 'soft',
    model: SOFT,
    original_tokens: ids.length,
    condensed_tokens: rows,
    embeddings: encodeTensor({ dtype: 'float32', shape: [rows, 64], data }),
  });

  it('gives the full context as soft rows full fidelity', async () => {
    const result = await soft.evaluate({
      task: continuation,
      tier,
      model: SOFT,
      raw: payload(ids.length, full),
    });
    if (!result.valid) throw new Error(JSON.stringify(result));
    expect(result.format).toBe('soft');
    expect(result.fidelity).toBeGreaterThan(0.999);
    expect(result.compression).toBe(0);
  });

  it('measures pooled soft tokens: compression from the row count, fidelity in (0, 1]', async () => {
    const pooled = poolEmbeddings({ data: full, rows: ids.length, hidden: 64 }, { ratio: 0.75 });
    const result = await soft.evaluate({
      task: continuation,
      tier,
      model: SOFT,
      raw: payload(pooled.rows, pooled.data),
    });
    if (!result.valid) throw new Error(JSON.stringify(result));
    expect(result.condensedTokens).toBe(pooled.rows);
    expect(result.compression).toBeCloseTo(1 - pooled.rows / ids.length, 10);
    expect(result.fidelity).toBeGreaterThan(0);
    expect(result.fidelity).toBeLessThanOrEqual(1);
  });

  it('answers needle prompts on top of soft rows', async () => {
    const needleIds = model.lm.tokenizer.encode(needle.context);
    const result = await soft.evaluate({
      task: needle,
      tier,
      model: SOFT,
      raw: {
        ...payload(needleIds.length, await embedder.embed(needleIds)),
        original_tokens: needleIds.length,
      },
    });
    expect(result).toMatchObject({ valid: true, format: 'soft', fidelity: null });
  });

  it('refuses rows of the wrong width before decoding', async () => {
    const result = await soft.evaluate({
      task: continuation,
      tier,
      model: SOFT,
      raw: {
        ...payload(4, new Float32Array(4 * 64)),
        embeddings: encodeTensor({ dtype: 'float32', shape: [4, 32], data: new Float32Array(128) }),
      },
    });
    expect(result).toMatchObject({ valid: false, code: 'PAYLOAD_GEOMETRY_MISMATCH' });
  });
});

describe('Evaluator on the recall model, where the context provably matters', () => {
  const RECALL = 'recall';
  const recallTier = testTiers({
    supportingModels: ['recall', 'recall-soft'],
    maxContextChars: 1200,
    maxPayloadBytes: 4 * 1024 * 1024,
  })[0]!;
  const SOFT_RECALL = 'recall-soft';
  let recallLm: CausalLM;
  let recallEvaluator: Evaluator;
  let recallEmbedder: TokenEmbedder;
  let task: ContinuationTask;

  beforeAll(async () => {
    // The same constructed weights twice: one graph takes token ids, the other embeddings.
    const recallDir = join(model.root, 'recall');
    const softDir = join(model.root, 'recall-soft');
    await buildModel({ arch: 'llama', preset: 'recall', outDir: recallDir });
    const built = await buildModel({
      arch: 'llama',
      preset: 'recall',
      inputsEmbeds: true,
      outDir: softDir,
    });
    recallLm = await CausalLM.load(recallDir, {
      session: { intraOpThreads: 1, interOpThreads: 1 },
    });
    recallEvaluator = new Evaluator({
      models: { [RECALL]: recallDir, [SOFT_RECALL]: softDir },
      maxContinuationTokens: 4,
    });
    recallEmbedder = await TokenEmbedder.open(softDir, built.config.hidden_size);
    const [recall] = synthesizeTasks({
      seed: 'evaluator-recall',
      tier: recallTier,
      count: 1,
      families: ['recall'],
      recall: { vocabulary: recallVocabulary(), pairs: 6 },
    }) as [RecallTask];
    // The held-out text asks one key and gives its value: only a context that still holds
    // that pair predicts the value, so losing it must cost fidelity.
    task = {
      family: 'continuation',
      id: recall.id,
      tier: recall.tier,
      context: recall.context,
      continuation: ` ${recall.prompt} ${recall.expected.answers[0]}`,
    };
  });

  afterAll(async () => {
    await recallEmbedder.close();
    await recallEvaluator.close();
    await recallLm.dispose();
  });

  const evaluate = (raw: unknown, model = RECALL) =>
    recallEvaluator.evaluate({ task, tier: recallTier, model, raw });

  // The RULER-style families are fair tests: with the whole context the reference model
  // answers every question, through the same payload path a miner's answer takes.
  it('answers every reference family from a lossless kv payload', async () => {
    const tier = testTiers({
      supportingModels: ['recall', 'recall-soft'],
      maxContextChars: 2500,
      maxPayloadBytes: 16 * 1024 * 1024,
    })[0]!;
    const tasks = synthesizeTasks({
      seed: 'evaluator-families',
      tier,
      count: 10,
      families: [...REFERENCE_FAMILIES],
      recall: { vocabulary: recallVocabulary(), pairs: 8 },
    });
    for (const family of REFERENCE_FAMILIES) {
      expect(tasks.filter((t) => t.family === family)).toHaveLength(2);
    }
    for (const referenceTask of tasks) {
      const raw = await condenseWithPress(recallLm, RECALL, referenceTask.context, 'knorm', 0);
      const result = await recallEvaluator.evaluate({
        task: referenceTask,
        tier,
        model: RECALL,
        raw,
      });
      expect(result).toMatchObject({ valid: true, accuracy: 1 });
    }
  }, 120_000);

  // On this model knorm ranks the cached pairs last (it scores 0 on bench/recall's
  // leaderboard), so pruning half the cache leaves the value unpredictable (fidelity ≈ 0.01).
  it('scores a knorm-pruned cache well below the lossless one', async () => {
    const lossless = await evaluate(
      await condenseWithPress(recallLm, RECALL, task.context, 'knorm', 0),
    );
    const pruned = await evaluate(
      await condenseWithPress(recallLm, RECALL, task.context, 'knorm', 0.5),
    );
    if (!lossless.valid || !pruned.valid) throw new Error(JSON.stringify([lossless, pruned]));
    expect(lossless.fidelity).toBeGreaterThan(0.97);
    expect(pruned.fidelity).toBeLessThan(lossless.fidelity! - 0.2);
  });

  // The recall circuit reads one-hot keys and values: quantizing the cache after the press
  // keeps the answer, and a binary-route frame scores exactly as the same payload in JSON.
  it('scores int8 and int4 caches near the float16 one, the same from a frame as from JSON', async () => {
    const { cache } = await recallLm.prefill(recallLm.tokenizer.encode(task.context));
    const fidelity: Record<string, number> = {};
    for (const format of ['fp16', 'int8', 'int4'] as const) {
      const encoded = kvCacheToEncodedPayload(cache, { model: RECALL, format });
      const viaJson = await evaluate(toWirePayload(encoded));
      const frame = framePayload(encoded);
      const received = await receivePayloadFrame(frame.chunks(), {
        limits: { maxPayloadBytes: recallTier.maxPayloadBytes },
        kvDtype: 'float32',
      });
      const viaFrame = await recallEvaluator.evaluate({
        task,
        tier: recallTier,
        model: RECALL,
        received,
      });
      expect(viaFrame).toEqual(viaJson);
      if (!viaJson.valid) throw new Error(JSON.stringify(viaJson));
      fidelity[format] = viaJson.fidelity!;
    }
    expect(fidelity.int8).toBeGreaterThan(fidelity.fp16! - 0.01);
    expect(fidelity.int4).toBeGreaterThan(fidelity.fp16! - 0.03);
  });

  // Mean-pooling four rows into one blurs each key into its neighbours: the value stays the
  // likeliest token but loses probability (fidelity ≈ 0.96 against 1).
  it('scores pooled soft rows below the full rows', async () => {
    const ids = recallLm.tokenizer.encode(task.context);
    const full = await recallEmbedder.embed(ids);
    const hidden = full.length / ids.length;
    const soft = (rows: number, data: Float32Array) => ({
      format: 'soft',
      model: SOFT_RECALL,
      original_tokens: ids.length,
      condensed_tokens: rows,
      embeddings: encodeTensor({ dtype: 'float32', shape: [rows, hidden], data }),
    });
    const lossless = await evaluate(soft(ids.length, full), SOFT_RECALL);
    const pooled = poolEmbeddings({ data: full, rows: ids.length, hidden }, { ratio: 0.75 });
    const result = await evaluate(soft(pooled.rows, pooled.data), SOFT_RECALL);
    if (!lossless.valid || !result.valid) throw new Error(JSON.stringify([lossless, result]));
    expect(lossless.fidelity).toBeGreaterThan(0.999);
    expect(result.fidelity).toBeLessThan(lossless.fidelity! - 0.01);
  });
});

describe('Evaluator on organic responses', () => {
  it('scores a payload against the model own continuation of the full context', async () => {
    const context = continuation.context;
    const lossless = await evaluator.evaluateOrganic({
      context,
      tier,
      model: MODEL_NAME,
      raw: await condenseWithPress(model.lm, MODEL_NAME, context, 'knorm', 0),
    });
    const pruned = await evaluator.evaluateOrganic({
      context,
      tier,
      model: MODEL_NAME,
      raw: await condenseWithPress(model.lm, MODEL_NAME, context, 'random', 0.7),
    });
    if (!lossless.valid || !pruned.valid) throw new Error('both must be valid');
    expect(lossless.fidelity).toBeGreaterThan(0.97);
    expect(pruned.fidelity).toBeLessThan(lossless.fidelity!);
  });
});
