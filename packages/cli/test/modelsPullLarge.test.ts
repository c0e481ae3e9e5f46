import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildModel } from '@signal/runtime';
import { THREAD_HASH_BYTES } from '../../runtime/src/hub/hashing/BlobHash';
import { type FakeHub, filesOf, startFakeHub } from '../../runtime/test/hub/fakeHub';

/*
 * The built CLI, in its own process, pulling weights large enough to be hashed on the hashing
 * thread: the thread's entry must be found beside the bundle (dist/hashWorker.js), not only
 * from sources as in the runtime's tests.
 */
const BIN = join(__dirname, '..', 'dist', 'bin.js');
const REPO = 'signal-test/large';
const weights = randomBytes(THREAD_HASH_BYTES + 4097);
const digestOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let root: string;
let hub: FakeHub;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-pull-large-'));
  const built = await buildModel({
    arch: 'llama',
    size: 'tiny',
    seed: 4,
    outDir: join(root, 'source'),
    externalData: true,
  });
  const files = await filesOf(built.dir);
  files.set('onnx/model.onnx_data', weights);
  hub = await startFakeHub([{ id: REPO, files }]);
}, 60_000);
afterAll(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

it('signal models pull (built) verifies a large file on the hashing thread', async () => {
  const cache = join(root, 'cache');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [BIN, 'models', 'pull', `${REPO}@main`, '--cache-dir', cache],
    { env: { ...process.env, HF_ENDPOINT: hub.endpoint, HF_HUB_OFFLINE: '' } },
  );
  const pulled = JSON.parse(stdout.trim().split('\n').at(-1)!) as { type: string; dir: string };
  expect(pulled.type).toBe('pulled');
  const data = await readFile(join(pulled.dir, 'onnx', 'model.onnx_data'));
  expect(digestOf(data)).toBe(digestOf(weights));
});
