import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { isSignalError } from '@signal/core';
import { buildModel } from '@signal/runtime';
import * as ort from 'onnxruntime-node';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-builder-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

describe('buildModel', () => {
  it('writes a Hugging Face Llama directory that ORT runs with optimum I/O names', async () => {
    const built = await buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 7,
      outDir: join(root, 'tiny'),
    });
    const config = await readJson(join(built.dir, 'config.json'));
    expect(config).toMatchObject({
      model_type: 'llama',
      architectures: ['LlamaForCausalLM'],
      hidden_size: 64,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      head_dim: 16,
      torch_dtype: 'float32',
      tie_word_embeddings: false,
    });
    expect(config).toEqual(built.config);

    const session = await ort.InferenceSession.create(built.files.model);
    expect(session.inputNames).toEqual([
      'input_ids',
      'attention_mask',
      'position_ids',
      'past_key_values.0.key',
      'past_key_values.0.value',
      'past_key_values.1.key',
      'past_key_values.1.value',
    ]);
    expect(session.outputNames).toEqual([
      'logits',
      'present.0.key',
      'present.0.value',
      'present.1.key',
      'present.1.value',
    ]);
    const empty = () => new ort.Tensor('float32', new Float32Array(0), [1, 2, 0, 16]);
    const out = await session.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from([1n, 40n, 41n]), [1, 3]),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from([1n, 1n, 1n]), [1, 3]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from([0n, 1n, 2n]), [1, 3]),
      'past_key_values.0.key': empty(),
      'past_key_values.0.value': empty(),
      'past_key_values.1.key': empty(),
      'past_key_values.1.value': empty(),
    });
    expect(out.logits?.dims).toEqual([1, 3, config.vocab_size]);
    expect(out['present.1.value']?.dims).toEqual([1, 2, 3, 16]);
    const logits = out.logits?.data as Float32Array;
    expect(logits.every(Number.isFinite)).toBe(true);
    // Not degenerate: the distribution over the vocabulary has a real spread.
    const last = logits.slice(2 * config.vocab_size);
    expect(Math.max(...last) - Math.min(...last)).toBeGreaterThan(2);
  });

  it('writes a byte-level BPE tokenizer that @huggingface/tokenizers loads and round-trips', async () => {
    const built = await buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 1,
      outDir: join(root, 'tok'),
    });
    const tokenizer = new Tokenizer(
      await readJson(join(built.dir, 'tokenizer.json')),
      await readJson(join(built.dir, 'tokenizer_config.json')),
    );
    const text = 'the cat and the hat, naïve 🙂';
    const encoded = tokenizer.encode(text);
    expect(encoded.ids[0]).toBe(built.config.bos_token_id);
    expect(encoded.tokens).toContain('Ġthe');
    expect(encoded.tokens).toContain('Ġand');
    expect(Math.max(...encoded.ids)).toBeLessThan(built.config.vocab_size);
    expect(tokenizer.decode(encoded.ids, { skip_special_tokens: true })).toBe(text);
    const tokenizerConfig = await readJson(join(built.dir, 'tokenizer_config.json'));
    expect(tokenizerConfig).toMatchObject({
      bos_token: '<s>',
      eos_token: '</s>',
      pad_token: '<pad>',
    });
    const generation = await readJson(join(built.dir, 'generation_config.json'));
    expect(generation).toMatchObject({ bos_token_id: 1, eos_token_id: 2, pad_token_id: 3 });
  });

  it('is deterministic in the seed and differs across seeds', async () => {
    const a = await buildModel({ arch: 'llama', size: 'tiny', seed: 3, outDir: join(root, 'a') });
    const b = await buildModel({ arch: 'llama', size: 'tiny', seed: 3, outDir: join(root, 'b') });
    const c = await buildModel({ arch: 'llama', size: 'tiny', seed: 4, outDir: join(root, 'c') });
    const [bytesA, bytesB, bytesC] = await Promise.all(
      [a, b, c].map((m) => readFile(m.files.model)),
    );
    expect(Buffer.compare(bytesA!, bytesB!)).toBe(0);
    expect(Buffer.compare(bytesA!, bytesC!)).not.toBe(0);
  });

  it('refuses bad options with a typed error', async () => {
    const bad = [
      { arch: 'gpt2', size: 'tiny', seed: 1 },
      { arch: 'llama', size: 'huge', seed: 1 },
      { arch: 'llama', size: 'tiny', seed: -1 },
      { arch: 'llama', size: 'tiny', seed: 1.5 },
    ];
    for (const options of bad) {
      const error = await buildModel({ ...options, outDir: join(root, 'bad') } as never).catch(
        (e) => e,
      );
      expect(isSignalError(error, 'BUILDER_INVALID_OPTIONS')).toBe(true);
    }
  });
});
