import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '@signal/runtime';
import { loadValidatorConfig, startValidator } from '@signal/validator';
import { type FakeHub, filesOf, startFakeHub } from '../../../runtime/test/hub/fakeHub';
import { localSubnet, NETUID, silent } from '../helpers/subnet';
import { testTiers } from '../helpers/testTiers';
import { MODEL_NAME } from '../helpers/tinyModel';

let root: string;
let hub: FakeHub;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-validator-hub-'));
  const built = await buildModel({ arch: 'llama', size: 'tiny', seed: 3, outDir: join(root, 'm') });
  hub = await startFakeHub([{ id: 'signal-test/eval-model', files: await filesOf(built.dir) }]);
});
afterAll(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

describe('hf: evaluation models', () => {
  it('a config keeps hf: references as written and resolves paths beside them', async () => {
    const path = join(root, 'validator.yaml');
    await writeFile(path, 'models:\n  a: hf:signal-test/eval-model@main\n  b: local-model\n');
    const config = await loadValidatorConfig(path);
    expect(config.models).toEqual({
      a: 'hf:signal-test/eval-model@main',
      b: join(root, 'local-model'),
    });
  });

  it('startValidator pulls them into the huggingface_hub cache before its first epoch', async () => {
    const { chain, validator: hotkey } = await localSubnet();
    const cache = join(root, 'hf');
    process.env.HF_ENDPOINT = hub.endpoint;
    process.env.HF_HUB_CACHE = cache;
    try {
      const validator = await startValidator({
        chain,
        netuid: NETUID,
        hotkey,
        tiers: testTiers({ timeoutSeconds: 20 }),
        models: { [MODEL_NAME]: 'hf:signal-test/eval-model@main' },
        stateFile: join(root, 'scores.json'),
        gateway: false,
        metrics: false,
        logger: silent,
      });
      await validator.close();
      const snapshot = join(
        cache,
        'models--signal-test--eval-model',
        'snapshots',
        hub.commitOf('signal-test/eval-model'),
      );
      expect((await stat(join(snapshot, 'onnx', 'model.onnx'))).size).toBeGreaterThan(0);
    } finally {
      delete process.env.HF_ENDPOINT;
      delete process.env.HF_HUB_CACHE;
      await chain.close();
    }
  });
});
