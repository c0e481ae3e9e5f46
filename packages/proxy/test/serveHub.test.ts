import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHostedModel, type ServeModel, startServe } from '@signal/proxy';
import { buildModel, type HubSettings } from '@signal/runtime';
import OpenAI from 'openai';
import { pino } from 'pino';
import { type FakeHub, filesOf, startFakeHub } from '../../runtime/test/hub/fakeHub';

/* `signal serve --model hf:org/name@rev`: the model comes from a loopback Hub, as the miner's do. */
const REPO = 'signal-test/tiny';
let root: string;
let source: string;
let hub: FakeHub;
const opened: { close(): Promise<unknown> }[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-serve-hub-'));
  source = join(root, 'source');
  await buildModel({
    arch: 'llama',
    size: 'tiny',
    seed: 13,
    outDir: source,
    dtypes: ['fp32', 'q4'],
  });
  const files = await filesOf(source);
  hub = await startFakeHub(
    [
      { id: REPO, files },
      { id: 'signal-test/gated', files, gated: true },
    ],
    { token: 'hf_granted' },
  );
});

afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
});

afterAll(async () => {
  await hub.close();
  await rm(root, { recursive: true, force: true });
});

const settings = (cache: string, extra: Partial<HubSettings> = {}): Partial<HubSettings> => ({
  endpoint: hub.endpoint,
  cacheDir: join(root, cache),
  offline: false,
  ...extra,
});

async function answer(model: ServeModel): Promise<OpenAI.Chat.Completions.ChatCompletion> {
  const serve = await startServe({ model, modelName: REPO, logger: pino({ level: 'silent' }) });
  opened.push(serve);
  const client = new OpenAI({ baseURL: `${serve.url}/v1`, apiKey: 'none', maxRetries: 0 });
  return client.chat.completions.create({
    model: REPO,
    messages: [{ role: 'user', content: 'Tell me about the sea.' }],
    temperature: 0,
    max_tokens: 6,
  });
}

describe('signal serve on an hf: model', () => {
  it('pulls only the chosen variant and answers as the same variant loaded from disk', async () => {
    const fromHub = await loadHostedModel(`hf:${REPO}@main`, {
      threads: 1,
      dtype: 'q4',
      hub: { settings: settings('cache-q4') },
    });
    opened.push(fromHub);
    const fetched = hub.requests.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(fetched.some((path) => path.endsWith('/onnx/model_q4.onnx'))).toBe(true);
    expect(fetched.some((path) => path.endsWith('/onnx/model.onnx'))).toBe(false);
    const local = await loadHostedModel(source, { threads: 1, dtype: 'q4' });
    opened.push(local);
    const [hubAnswer, localAnswer] = [await answer(fromHub), await answer(local)];
    expect(hubAnswer.choices[0]!.message.content).toBe(localAnswer.choices[0]!.message.content);
    expect(hubAnswer.usage).toEqual(localAnswer.usage);
  });

  it('starts offline from the cache a pull left, without a request to the Hub', async () => {
    const warm = await loadHostedModel(`hf:${REPO}@main`, {
      threads: 1,
      hub: { settings: settings('cache-offline') },
    });
    await warm.close();
    const before = hub.requests.length;
    const offline = await loadHostedModel(`hf:${REPO}@main`, {
      threads: 1,
      hub: { settings: settings('cache-offline', { offline: true }) },
    });
    opened.push(offline);
    expect(hub.requests.length).toBe(before);
    expect((await answer(offline)).choices[0]!.finish_reason).toBe('length');
  });

  it('refuses a missing repo, a gated repo without its token and an empty offline cache by code', async () => {
    await expect(
      loadHostedModel('hf:signal-test/absent@main', { hub: { settings: settings('c1') } }),
    ).rejects.toMatchObject({ code: 'HUB_REPO_NOT_FOUND' });
    await expect(
      loadHostedModel('hf:signal-test/gated@main', { hub: { settings: settings('c2') } }),
    ).rejects.toMatchObject({ code: 'HUB_UNAUTHORIZED' });
    await expect(
      loadHostedModel(`hf:${REPO}@main`, {
        hub: { settings: settings('c3', { offline: true }) },
      }),
    ).rejects.toMatchObject({ code: 'HUB_OFFLINE_MISS' });
    const granted = await loadHostedModel('hf:signal-test/gated@main', {
      threads: 1,
      hub: { settings: settings('c2', { token: 'hf_granted' }) },
    });
    opened.push(granted);
    expect(granted.runtime).toEqual({ workers: 1, intraOpThreads: 1, queueSize: 32 });
  });
});
