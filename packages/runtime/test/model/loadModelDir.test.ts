import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import {
  buildModel,
  CausalLM,
  DataType,
  graphUsesOp,
  loadModelDir,
  readGraphSummary,
} from '@signal/runtime';
import * as ort from 'onnxruntime-node';
import { maxAbsDiff } from '../causal/tinyModel';
import { derivePositionsFromMask, editGraph } from '../support/graphEdits';

let root: string;
let counter = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-modeldir-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const session = { intraOpThreads: 1, interOpThreads: 1 };
const fresh = async (
  options: { numLogitsToKeep?: boolean; exposeQueries?: boolean; inputsEmbeds?: boolean } = {},
) => {
  const dir = join(root, `m${counter++}`);
  await buildModel({ arch: 'llama', size: 'tiny', seed: 5, outDir: dir, ...options });
  return dir;
};

async function loadError(
  dir: string,
  options: Parameters<typeof CausalLM.load>[1] = {},
): Promise<Error> {
  const error = await CausalLM.load(dir, { session, ...options }).then(
    async (lm) => {
      await lm.dispose();
      throw new Error('expected the load to fail');
    },
    (e: unknown) => e as Error,
  );
  return error;
}

describe('loadModelDir and CausalLM.load', () => {
  it('introspects a builder model: layers, kv heads, head_dim, optional inputs', async () => {
    const dir = await fresh();
    const modelDir = await loadModelDir(dir);
    expect(modelDir.modelPath).toBe(join(dir, 'onnx', 'model.onnx'));
    expect(modelDir.modelBytes).toBeGreaterThan(10_000);
    const lm = await CausalLM.load(dir, { session });
    try {
      expect(lm.signature).toMatchObject({
        numLayers: 2,
        kvHeads: 2,
        headDim: 16,
        inputIds: 'int64',
        positionIds: 'int64',
        attentionMask: 'int64',
        logitsToKeep: undefined,
        useCacheBranch: false,
        inputsEmbeds: false,
        supportsPrunedCache: true,
      });
      expect(lm.signature.kv[1]).toEqual({
        pastKey: 'past_key_values.1.key',
        pastValue: 'past_key_values.1.value',
        presentKey: 'present.1.key',
        presentValue: 'present.1.value',
      });
      expect(lm.eosTokenIds).toEqual([lm.tokenizer.special.eos]);
      const ids = lm.tokenizer.encode('round trip: ünïcödé ✓', { addSpecialTokens: false });
      expect(lm.tokenizer.decode(ids)).toBe('round trip: ünïcödé ✓');
    } finally {
      await lm.dispose();
    }
  });

  it('finds decoder_model_merged.onnx and a model.onnx at the root', async () => {
    const merged = await fresh();
    await rename(
      join(merged, 'onnx', 'model.onnx'),
      join(merged, 'onnx', 'decoder_model_merged.onnx'),
    );
    expect((await loadModelDir(merged)).modelPath).toBe(
      join(merged, 'onnx', 'decoder_model_merged.onnx'),
    );
    const atRoot = await fresh();
    await rename(join(atRoot, 'onnx', 'model.onnx'), join(atRoot, 'model.onnx'));
    const lm = await CausalLM.load(atRoot, { session });
    expect(lm.modelDir.modelPath).toBe(join(atRoot, 'model.onnx'));
    await lm.dispose();
  });

  it('exposes extra outputs such as queries.N', async () => {
    const lm = await CausalLM.load(await fresh({ exposeQueries: true }), { session });
    try {
      expect(lm.signature.extraOutputs).toEqual(['queries.0', 'queries.1']);
      const { extras } = await lm.prefill([1, 40, 41]);
      expect(extras['queries.1']?.dims).toEqual([1, 4, 3, 16]);
    } finally {
      await lm.dispose();
    }
  });

  it('runs graphs that take inputs_embeds like the input_ids graph', async () => {
    const embedsDir = await fresh({ inputsEmbeds: true });
    const idsLm = await CausalLM.load(await fresh(), { session });
    const embedsLm = await CausalLM.load(embedsDir, { session });
    try {
      expect(embedsLm.signature.inputsEmbeds).toBe(true);
      expect(embedsLm.signature.inputIds).toBeUndefined();
      const ids = [1, 50, 60, 70];
      const embed = await ort.InferenceSession.create(join(embedsDir, 'onnx', 'embed_tokens.onnx'));
      const out = await embed.run({
        input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, 4]),
      });
      await embed.release();
      const data = out.inputs_embeds!.data as Float32Array;
      const viaEmbeds = await embedsLm.forward({
        embeds: { data, batch: 1, seq: 4 },
        cache: embedsLm.emptyCache(),
        logitsToKeep: 4,
      });
      const viaIds = await idsLm.prefill(ids, { allLogits: true });
      expect(maxAbsDiff(viaEmbeds.logits.data, viaIds.logits.data)).toBeLessThanOrEqual(1e-4);
      const wrong = await embedsLm.prefill(ids).catch((e: unknown) => e);
      expect(isSignalError(wrong, 'LM_INVALID_INPUT')).toBe(true);
      const nan = Float32Array.from(data);
      nan[3] = Number.NaN;
      const nanError = await embedsLm
        .forward({
          embeds: { data: nan, batch: 1, seq: 4 },
          cache: embedsLm.emptyCache(),
          logitsToKeep: 1,
        })
        .catch((e: unknown) => e);
      expect(isSignalError(nanError, 'LM_INVALID_INPUT')).toBe(true);
    } finally {
      await idsLm.dispose();
      await embedsLm.dispose();
    }
  });
});

describe('model directory errors', () => {
  it('names a missing config.json', async () => {
    const dir = await fresh();
    await rm(join(dir, 'config.json'));
    const error = await loadError(dir);
    expect(isSignalError(error, 'MODEL_FILE_MISSING')).toBe(true);
    expect(error.message).toContain(join(dir, 'config.json'));
  });

  it('names a config.json that is not JSON or lacks fields', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'config.json'), '{"model_type": "llama",');
    expect(isSignalError(await loadError(dir), 'MODEL_CONFIG_INVALID')).toBe(true);
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ model_type: 'llama', vocab_size: 10 }),
    );
    const error = await loadError(dir);
    expect(isSignalError(error, 'MODEL_CONFIG_INVALID')).toBe(true);
    expect(error.message).toContain('num_hidden_layers');
  });

  it('lists where it looked for a missing ONNX file', async () => {
    const dir = await fresh();
    await rm(join(dir, 'onnx'), { recursive: true });
    const error = await loadError(dir);
    expect(isSignalError(error, 'MODEL_LAYOUT_UNKNOWN')).toBe(true);
    expect(error.message).toContain('onnx/decoder_model_merged.onnx');
    expect(error.message).toContain('genai_config.json');
  });

  it('names invalid session options', async () => {
    const error = await loadError(await fresh(), { session: { intraOpThreads: -1 } });
    expect(isSignalError(error, 'LM_INVALID_INPUT')).toBe(true);
    expect(error.message).toContain('intraOpThreads');
  });

  it('reports a corrupt ONNX file', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'onnx', 'model.onnx'), 'not a protobuf');
    expect(isSignalError(await loadError(dir), 'MODEL_GRAPH_INVALID')).toBe(true);
  });

  it('reports a broken tokenizer', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'tokenizer.json'), '{"model": {"type": "BPE"');
    const error = await loadError(dir);
    expect(isSignalError(error, 'TOKENIZER_INVALID')).toBe(true);
    expect(error.message).toContain('tokenizer.json');
  });

  it('refuses a config.json that contradicts the graph', async () => {
    const dir = await fresh();
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: 3 }));
    const error = await loadError(dir);
    expect(isSignalError(error, 'MODEL_IO_UNSUPPORTED')).toBe(true);
    expect(error.message).toContain('num_hidden_layers = 3');
  });

  it('names an input it does not know, and feeds it when the caller accepts it', async () => {
    const dir = await fresh();
    await editGraph(dir, (model) => {
      model.graph!.input!.push({
        name: 'adapter_scale',
        type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: [{ dim_value: 1 }] } } },
      });
    });
    const error = await loadError(dir);
    expect(isSignalError(error, 'MODEL_IO_UNSUPPORTED')).toBe(true);
    expect(error.message).toContain('adapter_scale');

    const lm = await CausalLM.load(dir, {
      session,
      acceptInput: (name) => name === 'adapter_scale',
    });
    try {
      expect(lm.signature.extraInputs).toEqual(['adapter_scale']);
      const extraFeeds = { adapter_scale: new ort.Tensor('float32', Float32Array.of(1), [1]) };
      const { logits } = await lm.prefill([1, 2, 3], { extraFeeds });
      expect(logits.vocab).toBe(lm.vocabSize);
    } finally {
      await lm.dispose();
    }
  });

  it('feeds use_cache_branch to merged decoders', async () => {
    const dir = await fresh();
    // optimum's merged decoder switches on this input; ORT refuses a run that leaves any
    // declared input unfed, so these runs prove the runtime feeds it as bool [1].
    await editGraph(dir, (model) => {
      model.graph!.input!.push({
        name: 'use_cache_branch',
        type: { tensor_type: { elem_type: DataType.BOOL, shape: { dim: [{ dim_value: 1 }] } } },
      });
    });
    const lm = await CausalLM.load(dir, { session });
    try {
      expect(lm.signature.useCacheBranch).toBe(true);
      const { cache } = await lm.prefill([1, 2, 3]);
      const { logits } = await lm.step(4, cache);
      expect(logits.positions).toBe(1);
    } finally {
      await lm.dispose();
    }
  });

  it('marks graphs that derive positions themselves as unable to take pruned caches', async () => {
    const dir = await fresh();
    // Replace the position_ids input by cumsum(attention_mask) - 1 over the new tokens, as
    // exports without position_ids do.
    await editGraph(dir, derivePositionsFromMask);
    const lm = await CausalLM.load(dir, { session });
    const reference = await CausalLM.load(await fresh(), { session });
    try {
      expect(lm.signature.positionIds).toBeUndefined();
      expect(lm.signature.supportsPrunedCache).toBe(false);
      const ids = reference.tokenizer.encode('positions from the mask');
      const a = await lm.prefill(ids, { allLogits: true });
      const b = await reference.prefill(ids, { allLogits: true });
      expect(maxAbsDiff(a.logits.data, b.logits.data)).toBeLessThanOrEqual(1e-4);
      const stepped = await lm.step(5, a.cache);
      expect(
        maxAbsDiff(stepped.logits.at(0), (await reference.step(5, b.cache)).logits.at(0)),
      ).toBeLessThanOrEqual(1e-4);
      const pruned = a.cache.gather([0, 2, 4]);
      const error = await lm.step(5, pruned).catch((e: unknown) => e);
      expect(isSignalError(error, 'LM_PRUNED_CACHE_UNSUPPORTED')).toBe(true);
    } finally {
      await lm.dispose();
      await reference.dispose();
    }
  });
});

describe('broken weights', () => {
  it('reports non-finite logits instead of sampling from them', async () => {
    const dir = await fresh();
    await editGraph(dir, (model) => {
      const norm = model.graph!.initializer!.find((t) => t.name === 'model.norm.weight')!;
      const values = new Float32Array(norm.raw_data!.byteLength / 4).fill(Number.NaN);
      norm.raw_data = new Uint8Array(values.buffer);
    });
    const lm = await CausalLM.load(dir, { session });
    try {
      const error = await lm.generateText('hello', { maxNewTokens: 2 }).catch((e: unknown) => e);
      expect(isSignalError(error, 'LM_RUN_FAILED')).toBe(true);
      expect((error as Error).message).toContain('non-finite logits');
    } finally {
      await lm.dispose();
    }
  });
});

describe('graphUsesOp', () => {
  it('finds an op type anywhere in a file, including across read chunks', async () => {
    const dir = join(root, 'scan');
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'graph.onnx');
    const needle = Buffer.from('GroupQueryAttention');
    const body = Buffer.alloc((1 << 20) + 64, 7);
    needle.copy(body, (1 << 20) - 5);
    await writeFile(path, body);
    expect(await graphUsesOp(path, 'GroupQueryAttention')).toBe(true);
    expect(await graphUsesOp(path, 'MultiHeadAttention')).toBe(false);
  });
});

describe('readGraphSummary', () => {
  it('reads a graph once while the file is unchanged, and again once it is rewritten', async () => {
    const dir = await fresh();
    const path = join(dir, 'onnx', 'model.onnx');
    const first = await readGraphSummary(path);
    expect(await readGraphSummary(path)).toBe(first);
    expect(first.outputs).not.toContain('extra');
    await editGraph(dir, (model) => {
      model.graph!.output!.push({ ...model.graph!.output![0]!, name: 'extra' });
      model.graph!.node!.push({
        name: 'extra/Identity',
        op_type: 'Identity',
        input: ['logits'],
        output: ['extra'],
      });
    });
    const again = await readGraphSummary(path);
    expect(again).not.toBe(first);
    expect(again.outputs).toContain('extra');
  });
});
