import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { LocalChain } from '@signal/chain';
import { Condense, Dendrite, Metadata, sr25519Ready } from '@signal/core';
import { buildTestAdapter } from '@signal/lora';
import { type MinerConfigInput, parseMinerConfig, startMiner } from '@signal/miner';
import { buildModel } from '@signal/runtime';
import pino from 'pino';
import { type FakeHub, filesOf, startFakeHub } from '../../../runtime/test/hub/fakeHub';
import { derivePositionsFromMask, editGraph } from '../../../runtime/test/support/graphEdits';
import { NETUID, testTiers } from './fixture';

const TAO = 1_000_000_000n;
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
let root: string;
let chain: LocalChain;
let hub: FakeHub;
let plain: string;
let adapter: string;

beforeAll(async () => {
  await sr25519Ready();
  root = await mkdtemp(join(tmpdir(), 'signal-miner-start-'));
  process.env.SIGNAL_CACHE = join(root, 'signal');
  plain = (await buildModel({ arch: 'llama', size: 'tiny', seed: 2, outDir: join(root, 'plain') }))
    .dir;
  const genai = await buildModel({
    arch: 'llama',
    size: 'tiny',
    seed: 2,
    outDir: join(root, 'genai'),
    layout: 'genai',
  });
  adapter = (
    await buildTestAdapter(plain, {
      outDir: join(root, 'adapters', 'tiny-lora'),
      seed: 3,
      config: { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj'] },
      amplitude: 0.3,
    })
  ).dir;
  hub = await startFakeHub([
    { id: 'signal-test/tiny-genai', files: await filesOf(genai.dir) },
    { id: 'signal-test/tiny-lora', files: await filesOf(adapter), revisions: ['v1'] },
  ]);
  chain = await LocalChain.open({ blockTimeMs: 0 });
  await chain.createSubnet(NETUID, { tempo: 100 });
  await chain.register({
    netuid: NETUID,
    hotkey: keyring.addFromUri('//Alice').address,
    coldkey: keyring.addFromUri('//Alice').address,
    stake: 1000n * TAO,
  });
  await chain.register({
    netuid: NETUID,
    hotkey: keyring.addFromUri('//Bob').address,
    coldkey: keyring.addFromUri('//Bob').address,
  });
}, 60_000);
afterAll(async () => {
  delete process.env.SIGNAL_CACHE;
  await chain?.close();
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

const start = (input: Omit<MinerConfigInput, 'limits'>) =>
  startMiner({
    config: parseMinerConfig({ ...input, limits: { allowlist: [] } }),
    chain,
    netuid: NETUID,
    hotkey: keyring.addFromUri('//Bob'),
    tiers: testTiers(),
    logger: pino({ level: 'silent' }),
    metrics: false,
  });

describe('startMiner checks its models against the configured methods', () => {
  it.each([
    ['kv_snap', { method: 'snapkv', ratio: 0.25 }, /"snapkv".*queries\.0/],
    ['soft', { method: 'soft', ratio: 0.5 }, /"soft".*embed_tokens\.onnx/],
  ] as const)(
    'refuses %s on a model that cannot run it, naming model, method and reason',
    async (tier, method, message) => {
      const model = tier === 'soft' ? 'tiny-soft' : 'tiny';
      const error = await start({
        models: { [model]: { base_model_dir: plain } },
        tiers: { [tier]: method },
      }).catch((e: unknown) => e as Error);
      expect(error).toMatchObject({ code: 'MINER_MODEL_CANNOT_SERVE' });
      expect((error as Error).message).toMatch(new RegExp(`Model "${model}"`));
      expect((error as Error).message).toMatch(message);
    },
  );

  it.each([
    ['a q4 (MatMulNBits) variant', { dtypes: ['fp32', 'q4'] }, 'q4', /int4 MatMulNBits/],
    ['a q8 variant', { dtypes: ['fp32', 'q8'] }, 'q8', /int8/],
    [
      'a packed-QKV genai export',
      { layout: 'genai', dtypes: ['fp32'], packedQkv: true },
      undefined,
      /packed qkv_proj/,
    ],
  ] as const)(
    'refuses an adapter on %s at start, naming the model and the adapter',
    async (_what, options, dtype, reason) => {
      const built = await buildModel({
        arch: 'llama',
        size: 'tiny',
        seed: 2,
        outDir: join(root, `adapted-${dtype ?? 'packed'}`),
        ...options,
      });
      const error = await start({
        models: {
          tiny: {
            base_model_dir: built.dir,
            ...(dtype ? { dtype } : {}),
            adapter: { dir: adapter },
          },
        },
        tiers: { kv_knorm: { method: 'knorm', ratio: 0.5 } },
      }).catch((e: unknown) => e as Error);
      expect(error).toMatchObject({ code: 'MINER_ADAPTER_UNSUPPORTED' });
      expect((error as Error).message).toMatch(/Model "tiny" cannot take adapter "tiny-lora"/);
      expect((error as Error).message).toMatch(reason);
    },
  );

  it('serves expected_attention on a packed-QKV genai export, finding its q projections by genai names', async () => {
    const built = await buildModel({
      arch: 'llama',
      size: 'tiny',
      seed: 2,
      outDir: join(root, 'genai-packed'),
      layout: 'genai',
      packedQkv: true,
    });
    const miner = await start({
      models: { tiny: { base_model_dir: built.dir } },
      tiers: { kv_expected: { method: 'expected_attention', ratio: 0.5 } },
    });
    try {
      const dendrite = new Dendrite({ signer: keyring.addFromUri('//Alice') });
      const result = await dendrite.call(
        { ip: '127.0.0.1', port: miner.port, hotkey: miner.hotkey },
        Condense,
        Condense.schema.parse({
          context: 'Expected attention reads the queries a packed qkv_proj computes.',
          target_model: 'tiny',
          tier: 'kv_expected',
        }),
        { timeout: 20 },
      );
      expect(result.ok).toBe(true);
      expect(result.synapse.condensed?.format).toBe('kv');
    } finally {
      await miner.close();
    }
  }, 60_000);

  it.each(['knorm', 'streaming_llm', 'random'] as const)(
    'refuses %s on a graph that numbers positions itself: a condensed cache could not continue at its original positions',
    async (press) => {
      const dir = (
        await buildModel({
          arch: 'llama',
          size: 'tiny',
          seed: 2,
          outDir: join(root, `mask-${press}`),
        })
      ).dir;
      await editGraph(dir, derivePositionsFromMask);
      const error = await start({
        models: { tiny: { base_model_dir: dir } },
        tiers: { kv_knorm: { method: press, ratio: 0.5 } },
      }).catch((e: unknown) => e as Error);
      expect(error).toMatchObject({ code: 'MINER_MODEL_CANNOT_SERVE' });
      expect((error as Error).message).toMatch(
        new RegExp(`Model "tiny" cannot serve method "${press}" \\(tier "kv_knorm"\\)`),
      );
      expect((error as Error).message).toMatch(
        /takes no position_ids and numbers positions itself/,
      );
    },
  );

  it('refuses a model directory it cannot read, before serving', async () => {
    const error = await start({
      models: { tiny: { base_model_dir: join(root, 'absent') } },
      tiers: { kv_knorm: { method: 'knorm', ratio: 0.5 } },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MODEL_LAYOUT_UNKNOWN' });
  });

  it('pulls an hf: model at start and condenses on its GroupQueryAttention graph', async () => {
    process.env.HF_ENDPOINT = hub.endpoint;
    process.env.HF_HUB_CACHE = join(root, 'hf');
    try {
      const miner = await start({
        models: { tiny: { base_model_dir: 'hf:signal-test/tiny-genai@main', dtype: 'q4' } },
        tiers: { kv_knorm: { method: 'knorm', ratio: 0.5 } },
      });
      try {
        const dendrite = new Dendrite({ signer: keyring.addFromUri('//Alice') });
        const result = await dendrite.call(
          { ip: '127.0.0.1', port: miner.port, hotkey: miner.hotkey },
          Condense,
          Condense.schema.parse({
            context: 'A pruned cache on a GroupQueryAttention export, pulled from a hub.',
            target_model: 'tiny',
            tier: 'kv_knorm',
          }),
          { timeout: 20 },
        );
        expect(result.ok).toBe(true);
        expect(result.synapse.condensed?.format).toBe('kv');
      } finally {
        await miner.close();
      }
    } finally {
      delete process.env.HF_ENDPOINT;
      delete process.env.HF_HUB_CACHE;
    }
  }, 60_000);

  describe('an adapter configured as hf:org/name@rev', () => {
    beforeEach(() => {
      process.env.HF_ENDPOINT = hub.endpoint;
      process.env.HF_HUB_CACHE = join(root, `hf-adapters-${Math.random().toString(36).slice(2)}`);
    });
    afterEach(() => {
      delete process.env.HF_ENDPOINT;
      delete process.env.HF_HUB_CACHE;
    });

    it('is pulled at start and served under its repository name, adapting the cache', async () => {
      hub.requests.length = 0;
      const miner = await start({
        models: {
          tiny: { base_model_dir: plain },
          'tiny-lora': { base_model_dir: plain, adapter: { dir: 'hf:signal-test/tiny-lora@v1' } },
        },
        tiers: { kv_full: { method: 'knorm', ratio: 0 } },
      });
      try {
        // Pulled before the first request: the revision, then both PEFT files.
        const fetched = hub.requests
          .filter((r) => r.origin === 'hub' && r.path.includes('/resolve/'))
          .map((r) => r.path.split('/').at(-1))
          .sort();
        expect(fetched).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
        const commit = hub.commitOf('signal-test/tiny-lora');
        const snapshot = join(
          process.env.HF_HUB_CACHE!,
          'models--signal-test--tiny-lora',
          'snapshots',
          commit,
        );
        for (const file of ['adapter_config.json', 'adapter_model.safetensors']) {
          const pulled = await readFile(join(snapshot, file));
          expect(pulled.equals(await readFile(join(adapter, file)))).toBe(true);
        }
        expect(
          await readFile(
            join(process.env.HF_HUB_CACHE!, 'models--signal-test--tiny-lora', 'refs', 'v1'),
            'utf8',
          ),
        ).toBe(commit);

        const axon = { ip: '127.0.0.1', port: miner.port, hotkey: miner.hotkey };
        const dendrite = new Dendrite({ signer: keyring.addFromUri('//Alice') });
        const condense = async (model: string) => {
          const result = await dendrite.call(
            axon,
            Condense,
            Condense.schema.parse({
              context: 'An adapter pulled from a hub grafts onto the base model at start.',
              target_model: model,
              tier: 'kv_full',
            }),
            { timeout: 20 },
          );
          if (!result.ok) throw new Error(`Condense failed: ${result.status} ${result.message}`);
          const payload = result.synapse.condensed;
          if (payload?.format !== 'kv') throw new Error('expected a kv payload');
          return payload;
        };
        hub.requests.length = 0;
        const adapted = await condense('tiny-lora');
        const base = await condense('tiny');
        // Served from the cache: no further request to the Hub.
        expect(hub.requests).toEqual([]);
        expect(adapted.adapter).toBe('tiny-lora');
        expect(adapted.layers[0]!.value).not.toEqual(base.layers[0]!.value);
        const metadata = await dendrite.call(axon, Metadata, Metadata.schema.parse({}));
        expect(metadata.ok).toBe(true);
        expect(metadata.synapse.adapters).toEqual(['tiny-lora']);
      } finally {
        await miner.close();
      }
    }, 60_000);

    it.each([
      ['a repository that does not exist', 'hf:signal-test/absent-lora@main', 'HUB_REPO_NOT_FOUND'],
      ['a revision it lacks', 'hf:signal-test/tiny-lora@v2', 'HUB_REVISION_NOT_FOUND'],
      ['a repository holding no adapter', 'hf:signal-test/tiny-genai@main', 'HUB_ENTRY_NOT_FOUND'],
    ])('refuses to start on %s, with the Hub error', async (_what, dir, code) => {
      const error = await start({
        models: { 'tiny-lora': { base_model_dir: plain, adapter: { dir } } },
        tiers: { kv_full: { method: 'knorm', ratio: 0 } },
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code });
      expect((error as Error).message).toContain(dir.slice(3).split('@')[0]!);
    });
  });
});
