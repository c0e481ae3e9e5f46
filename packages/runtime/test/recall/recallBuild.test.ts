import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BuildModelOptions,
  buildModel,
  RECALL_LAYOUT,
  recallVocabulary,
  TextTokenizer,
} from '@signal/runtime';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-recall-build-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("buildModel({ preset: 'recall' })", () => {
  it('writes the same bytes every time, with a whole-token vocabulary', async () => {
    const first = await buildModel({ arch: 'llama', preset: 'recall', outDir: join(root, 'a') });
    const second = await buildModel({ arch: 'llama', preset: 'recall', outDir: join(root, 'b') });
    const bytes = (dir: string, file: string) => readFile(join(dir, file));
    for (const file of [
      'onnx/model.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
      'config.json',
    ]) {
      expect((await bytes(first.dir, file)).equals(await bytes(second.dir, file))).toBe(true);
    }
    expect(first.config).toMatchObject({
      num_hidden_layers: 2,
      hidden_size: RECALL_LAYOUT.hiddenSize,
      head_dim: RECALL_LAYOUT.headDim,
      rope_theta: RECALL_LAYOUT.ropeTheta,
      tie_word_embeddings: false,
    });

    const tokenizer = await TextTokenizer.load(first.dir);
    const vocabulary = recallVocabulary();
    const words = [
      ...vocabulary.keys,
      ...vocabulary.values,
      ...vocabulary.fillers,
      ...vocabulary.separators,
      vocabulary.aggregate,
    ];
    const ids = tokenizer.encode(words.join(vocabulary.joiner), { addSpecialTokens: false });
    expect(ids).toEqual(words.map((_, i) => 4 + i));
    expect(first.config.vocab_size).toBe(4 + words.length);
    expect(tokenizer.decode(ids)).toBe(words.join(' '));
    expect(tokenizer.encode('k05 banana')).toEqual([1, 4 + 5, 0]);
  });

  it('has a chat template that renders a conversation as the completion prompt of its words', async () => {
    const built = await buildModel({ arch: 'llama', preset: 'recall', outDir: join(root, 'chat') });
    const tokenizer = await TextTokenizer.load(built.dir);
    const text = tokenizer.applyChatTemplate(
      [
        { role: 'system', content: 'the of' },
        { role: 'user', content: 'the k07 v19 v05 ; of' },
        { role: 'assistant', content: 'v19 v05' },
        { role: 'user', content: 'k07' },
      ],
      { addGenerationPrompt: true },
    );
    expect(tokenizer.encode(text, { addSpecialTokens: false })).toEqual(
      tokenizer.encode('the of the k07 v19 v05 ; of v19 v05 k07'),
    );
  });

  it('refuses a size, a seed or tied embeddings with a typed error', async () => {
    const refused = (options: Record<string, unknown>) =>
      buildModel({
        arch: 'llama',
        preset: 'recall',
        outDir: join(root, 'x'),
        ...options,
      } as unknown as BuildModelOptions);
    for (const options of [{ size: 'tiny' }, { seed: 1 }, { tieWordEmbeddings: true }]) {
      await expect(refused(options)).rejects.toMatchObject({ code: 'BUILDER_INVALID_OPTIONS' });
    }
    await expect(
      buildModel({
        arch: 'llama',
        preset: 'mystery',
        outDir: root,
      } as unknown as BuildModelOptions),
    ).rejects.toMatchObject({
      code: 'BUILDER_INVALID_OPTIONS',
      message: expect.stringContaining('preset'),
    });
  });
});
