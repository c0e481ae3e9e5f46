import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMinerConfig, MinerConfigError, parseMinerConfig } from '@signal/miner';

const HOTKEY = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const SHA = 'a'.repeat(64);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'miner-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<MinerConfigError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MinerConfigError);
    return error as MinerConfigError;
  }
  throw new Error('expected the config to be refused');
}

describe('loadMinerConfig', () => {
  it('reads YAML, fills defaults, converts stake to rao and resolves relative dirs', async () => {
    const path = await write(
      'miner.yaml',
      [
        'models:',
        '  mistralai/Mistral-7B-Instruct-v0.2:',
        '    base_model_dir: models/mistral',
        '    adapter: { dir: /abs/adapter }',
        '  tiny:',
        '    base_model_dir: /models/tiny',
        `    adapter: { url: "https://example.org/a", sha256: "${SHA}", config_sha256: "${SHA}" }`,
        'tiers:',
        '  research: { method: snapkv, ratio: 0.5 }',
        '  inference_0: { method: text, ratio: 0.3, granularity: word, force: { digits: false } }',
        'limits:',
        '  min_validator_stake: "1000.5"',
        `  allowlist: [${HOTKEY}]`,
      ].join('\n'),
    );
    const config = await loadMinerConfig(path);
    expect(config.models['mistralai/Mistral-7B-Instruct-v0.2']).toEqual({
      base_model_dir: join(dir, 'models/mistral'),
      adapter: { dir: '/abs/adapter' },
    });
    expect(config.models.tiny!.adapter).toEqual({
      url: 'https://example.org/a',
      sha256: SHA,
      config_sha256: SHA,
    });
    expect(config.tiers.research).toEqual({ method: 'snapkv', ratio: 0.5, window: 64, kernel: 5 });
    expect(config.tiers.inference_0).toEqual({
      method: 'text',
      ratio: 0.3,
      granularity: 'word',
      aggregate: 'mean',
      force: { newlines: true, digits: false, punctuation: true },
    });
    expect(config.limits).toEqual({
      max_concurrency: 2,
      queue_size: 32,
      min_validator_stake: 1_000_500_000_000n,
      allowlist: [HOTKEY],
      rate_limit_per_epoch: 256,
      allowlist_requests_per_epoch: 32,
      max_new_tokens: 256,
      model_memory_mb: 16_384,
      adapter_memory_mb: 512,
    });
    expect(config.metrics_port).toBe(9100);
    expect(config.payload_dtype).toBe('float16');
  });

  it('reads JSON', async () => {
    const path = await write(
      'miner.json',
      JSON.stringify({
        models: { tiny: { base_model_dir: '/m' } },
        tiers: { research: { method: 'knorm', ratio: 0.25 } },
        limits: { min_validator_stake: 12 },
        metrics_port: 0,
      }),
    );
    const config = await loadMinerConfig(path);
    expect(config.limits.min_validator_stake).toBe(12_000_000_000n);
    expect(config.metrics_port).toBe(0);
  });

  it('names a missing file', async () => {
    const error = await failure(loadMinerConfig(join(dir, 'nope.yaml')));
    expect(error.code).toBe('MINER_CONFIG_NOT_FOUND');
    expect(error.message).toContain('nope.yaml');
  });

  it('names a file that does not parse', async () => {
    const json = await failure(loadMinerConfig(await write('broken.json', '{"models": ')));
    expect(json.code).toBe('MINER_CONFIG_PARSE');
    expect(json.message).toContain('broken.json');
    const yaml = await failure(loadMinerConfig(await write('broken.yaml', 'models: [unclosed')));
    expect(yaml.code).toBe('MINER_CONFIG_PARSE');
  });

  it('refuses a directory and an oversized file', async () => {
    expect((await failure(loadMinerConfig(dir))).code).toBe('MINER_CONFIG_UNREADABLE');
    const big = await write('big.yaml', `# ${'x'.repeat(1024 * 1024)}`);
    expect((await failure(loadMinerConfig(big))).message).toMatch(/too large/);
  });

  it('names every invalid field with its path', async () => {
    const path = await write(
      'bad.yaml',
      [
        'models:',
        '  org/model:',
        '    base_model_dir: /m',
        '    adapter: { url: "ftp://x/y", sha256: "zz" }',
        'tiers:',
        '  research: { method: snapkv, ratio: 1, kernel: 4 }',
        '  inference_0: { method: lingua, ratio: 0.5 }',
        'limits:',
        '  max_concurency: 3',
        '  min_validator_stake: "-5"',
        '  allowlist: [not-a-hotkey]',
      ].join('\n'),
    );
    const error = await failure(loadMinerConfig(path));
    expect(error.code).toBe('MINER_CONFIG_INVALID');
    expect(error.source).toBe(path);
    const text = error.metaMessages.join('\n');
    expect(text).toContain('models["org/model"].adapter');
    expect(text).toContain('tiers.research.ratio');
    expect(text).toContain('tiers.research.kernel');
    expect(text).toContain('tiers.inference_0.method');
    expect(text).toMatch(/limits: .*max_concurency/);
    expect(text).toContain('limits.min_validator_stake');
    expect(text).toContain('limits.allowlist[0]: not an SS58 address');
    expect(error.message).toContain('bad.yaml');
  });
});

describe('parseMinerConfig', () => {
  it('names the field of an adapter source (a union of dir and url) that is wrong', () => {
    const config = (adapter: unknown) => ({
      models: { 'org/model': { base_model_dir: '/m', adapter } },
      tiers: { research: { method: 'snapkv', ratio: 0.5 } },
    });
    expect(() => parseMinerConfig(config({ dir: 5 }))).toThrow(
      /models\["org\/model"\]\.adapter\.dir: /,
    );
    expect(() => parseMinerConfig(config({ url: 'https://x/y', sha256: SHA }))).toThrow(
      /adapter\.config_sha256: /,
    );
  });

  it('requires at least one model and one tier', () => {
    expect(() => parseMinerConfig({ models: {}, tiers: {} })).toThrow(/at least one target model/);
    expect(() => parseMinerConfig(null)).toThrow(/\(root\)/);
  });
});
