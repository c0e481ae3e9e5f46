import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram } from '@signal/cli';
import { buildModel, readModel, TextTokenizer } from '@signal/runtime';
import { CommanderError } from 'commander';
import { captureOutput } from './support/capturedOutput';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-models-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));
const printed = captureOutput();

const run = (...args: string[]) =>
  createProgram().parseAsync(['node', 'signal', 'models', ...args]);
const failure = (...args: string[]) =>
  run(...args).then(
    () => undefined,
    (e: unknown) => e,
  );

describe('signal models build', () => {
  it('writes a model directory with the requested options and prints where', async () => {
    const out = join(root, 'tiny');
    await run(
      'build',
      '--arch',
      'llama',
      '--size',
      'tiny',
      '--seed',
      '12',
      '--out',
      out,
      '--inputs-embeds',
      '--num-logits-to-keep',
      '--tie-word-embeddings',
      '--expose-queries',
    );
    const result = printed.json();
    expect(result).toMatchObject({
      dir: out,
      files: {
        model: join(out, 'onnx', 'model.onnx'),
        embedTokens: join(out, 'onnx', 'embed_tokens.onnx'),
      },
      config: { hidden_size: 64, num_hidden_layers: 2, tie_word_embeddings: true },
    });
    const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model_type: 'llama', tie_word_embeddings: true });
    for (const file of [
      'tokenizer.json',
      'tokenizer_config.json',
      'generation_config.json',
      'onnx/model.onnx',
    ]) {
      expect((await stat(join(out, file))).size).toBeGreaterThan(0);
    }
  });

  it('refuses bad flags with commander errors naming the flag', async () => {
    const out = join(root, 'bad');
    const badSize = await failure('build', '--size', 'huge', '--seed', '1', '--out', out);
    expect(badSize).toBeInstanceOf(CommanderError);
    expect((badSize as CommanderError).code).toBe('commander.invalidArgument');
    expect((badSize as CommanderError).message).toContain('--size');

    const badArch = await failure(
      'build',
      '--arch',
      'gpt2',
      '--size',
      'tiny',
      '--seed',
      '1',
      '--out',
      out,
    );
    expect((badArch as CommanderError).code).toBe('commander.invalidArgument');

    const badSeed = await failure('build', '--size', 'tiny', '--seed', '-4', '--out', out);
    expect((badSeed as CommanderError).code).toBe('commander.invalidArgument');
    expect((badSeed as CommanderError).message).toContain('--seed');

    const noOut = await failure('build', '--size', 'tiny', '--seed', '1');
    expect((noOut as CommanderError).code).toBe('commander.missingMandatoryOptionValue');

    const noSize = await failure('build', '--seed', '1', '--out', out);
    expect((noSize as CommanderError).code).toBe('commander.missingMandatoryOptionValue');
    await expect(stat(out)).rejects.toThrow();
  });
});

describe('signal models build --preset recall', () => {
  it('writes the constructed recall model, which answers from its context', async () => {
    const out = join(root, 'recall');
    await run('build', '--preset', 'recall', '--out', out, '--expose-queries');
    const result = printed.json();
    expect(result).toMatchObject({
      dir: out,
      preset: 'recall',
      config: { num_hidden_layers: 2, num_attention_heads: 2, tie_word_embeddings: false },
    });
    // Byte-identical to the runtime's recall model, whose answers the runtime tests check.
    const reference = await buildModel({
      arch: 'llama',
      preset: 'recall',
      outDir: join(root, 'ref'),
      exposeQueries: true,
    });
    for (const file of ['onnx/model.onnx', 'tokenizer.json', 'config.json']) {
      const written = await readFile(join(out, file));
      expect(written.equals(await readFile(join(reference.dir, file)))).toBe(true);
    }
    const tokenizer = await TextTokenizer.load(out);
    expect(tokenizer.encode('k04 v17 ;', { addSpecialTokens: false })).toHaveLength(3);
    const model = await readModel(join(out, 'onnx', 'model.onnx'));
    expect(model.graph?.output?.map((o) => o.name)).toContain('queries.1');
  });

  it('refuses --size, --seed and --tie-word-embeddings with the recall preset', async () => {
    const out = join(root, 'recall-bad');
    for (const extra of [['--size', 'tiny'], ['--seed', '3'], ['--tie-word-embeddings']]) {
      const error = await failure('build', '--preset', 'recall', '--out', out, ...extra);
      expect(error).toBeInstanceOf(CommanderError);
      expect((error as CommanderError).code).toBe('commander.conflictingOption');
      expect((error as CommanderError).message).toContain(extra[0]!);
    }
    const badPreset = await failure('build', '--preset', 'smart', '--out', out);
    expect((badPreset as CommanderError).code).toBe('commander.invalidArgument');
    await expect(stat(out)).rejects.toThrow();
  });
});
