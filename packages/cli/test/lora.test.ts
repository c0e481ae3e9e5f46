import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram } from '@signal/cli';
import { loadPeftAdapter, readGraftManifest, readModelLinears } from '@signal/lora';
import { buildModel } from '@signal/runtime';
import { CommanderError } from 'commander';
import { captureOutput } from './support/capturedOutput';

let root: string;
let modelDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-lora-'));
  modelDir = (
    await buildModel({ arch: 'llama', size: 'tiny', seed: 3, outDir: join(root, 'model') })
  ).dir;
});
afterAll(() => rm(root, { recursive: true, force: true }));

const run = (...args: string[]) => createProgram().parseAsync(['node', 'signal', 'lora', ...args]);
const printed = captureOutput();
const lastJson = () => printed.json();

describe('signal lora', () => {
  it('grafts a model once and reuses the graft', async () => {
    const out = join(root, 'grafted');
    await run(
      'graft',
      '--model',
      modelDir,
      '--targets',
      'q_proj,k_proj,v_proj,o_proj',
      '--out',
      out,
    );
    const first = lastJson();
    expect(first).toMatchObject({ dir: out, reused: false });
    expect(first.modules).toHaveLength(8);
    expect((await readGraftManifest(out))?.targets).toEqual([
      'q_proj',
      'k_proj',
      'v_proj',
      'o_proj',
    ]);
    await run(
      'graft',
      '--model',
      modelDir,
      '--targets',
      'q_proj,k_proj,v_proj,o_proj',
      '--out',
      out,
    );
    expect(lastJson().reused).toBe(true);
  });

  it('builds a seeded test adapter that loads against the base', async () => {
    // The same seeded request twice must write the same adapter.
    const buildTest = (out: string) =>
      run(
        ...['build-test', '--model', modelDir, '--rank', '4', '--targets', 'q_proj,v_proj'],
        ...['--seed', '9', '--out', out, '--dtype', 'fp16', '--alpha', '8'],
      );
    const out = join(root, 'adapter');
    await buildTest(out);
    expect(lastJson().modules).toEqual([
      'model.layers.0.self_attn.q_proj',
      'model.layers.0.self_attn.v_proj',
      'model.layers.1.self_attn.q_proj',
      'model.layers.1.self_attn.v_proj',
    ]);
    const config = JSON.parse(await readFile(join(out, 'adapter_config.json'), 'utf8'));
    expect(config).toMatchObject({
      r: 4,
      lora_alpha: 8,
      use_rslora: false,
      target_modules: ['q_proj', 'v_proj'],
    });
    const targets = new Map((await readModelLinears(modelDir)).map((t) => [t.module, t]));
    const adapter = await loadPeftAdapter(out, { name: 'cli', targets });
    expect(adapter.maxRank).toBe(4);
    const again = join(root, 'adapter-again');
    await buildTest(again);
    expect(await readFile(join(again, 'adapter_model.safetensors'))).toEqual(
      await readFile(join(out, 'adapter_model.safetensors')),
    );
  });

  it('refuses bad flags and missing targets with clear errors', async () => {
    await expect(
      run(
        'build-test',
        '--model',
        modelDir,
        '--rank',
        '0',
        '--targets',
        'q_proj',
        '--seed',
        '1',
        '--out',
        root,
      ),
    ).rejects.toBeInstanceOf(CommanderError);
    await expect(run('graft', '--targets', 'q_proj')).rejects.toMatchObject({
      code: 'commander.missingMandatoryOptionValue',
    });
    await expect(
      run('graft', '--model', modelDir, '--targets', 'c_attn', '--out', join(root, 'bad')),
    ).rejects.toMatchObject({
      code: 'LORA_TARGET_MISSING',
    });
    await expect(
      run('graft', '--model', join(root, 'nowhere'), '--targets', 'q_proj'),
    ).rejects.toMatchObject({
      code: 'LORA_GRAFT_INVALID',
    });
  });
});
