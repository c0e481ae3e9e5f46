import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubSettings } from '@signal/runtime';

const NAMES = [
  'HF_ENDPOINT',
  'HF_TOKEN',
  'HF_TOKEN_PATH',
  'HF_HOME',
  'HF_HUB_CACHE',
  'HF_HUB_OFFLINE',
  'XDG_CACHE_HOME',
] as const;
let saved: Partial<Record<(typeof NAMES)[number], string>>;
let root: string;

beforeEach(async () => {
  saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
  for (const name of NAMES) delete process.env[name];
  root = await mkdtemp(join(tmpdir(), 'hub-settings-'));
});
afterEach(async () => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await rm(root, { recursive: true, force: true });
});

describe('hubSettings reads the environment as huggingface_hub does', () => {
  it('HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE and HF_HUB_OFFLINE', async () => {
    process.env.HF_ENDPOINT = 'http://127.0.0.1:9/mirror/';
    process.env.HF_TOKEN = 'hf_from_env';
    process.env.HF_HUB_CACHE = join(root, 'hub-cache');
    process.env.HF_HUB_OFFLINE = '1';
    expect(await hubSettings()).toEqual({
      endpoint: 'http://127.0.0.1:9/mirror',
      token: 'hf_from_env',
      cacheDir: join(root, 'hub-cache'),
      offline: true,
    });
    process.env.HF_HUB_OFFLINE = '0';
    expect((await hubSettings()).offline).toBe(false);
  });

  it('defaults: huggingface.co, the token file huggingface-cli login writes, $HF_HOME/hub, online', async () => {
    process.env.HF_HOME = join(root, 'hf-home');
    await mkdir(process.env.HF_HOME, { recursive: true });
    await writeFile(join(process.env.HF_HOME, 'token'), 'hf_from_file\n');
    expect(await hubSettings()).toEqual({
      endpoint: 'https://huggingface.co',
      token: 'hf_from_file',
      cacheDir: join(root, 'hf-home', 'hub'),
      offline: false,
    });
    // Overrides win over the environment.
    process.env.HF_TOKEN = 'hf_from_env';
    expect((await hubSettings({ token: 'hf_override', offline: true })).token).toBe('hf_override');
  });
});
