import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet, LocalChain } from '@signal/chain';
import { recallVocabulary } from '@signal/runtime';
import {
  loadScoreState,
  type RunningValidator,
  resolveValidatorSettings,
  runValidatorCli,
  ValidatorCliError,
  validatorCommand,
} from '@signal/validator';
import { CommanderError } from 'commander';
import { pino } from 'pino';

jest.setTimeout(60_000);

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signal-validator-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, body);
  return path;
}

describe('resolveValidatorSettings', () => {
  const config = {
    netuid: 3,
    models: { m: '/models/m' },
    state_file: '/state/scores.json',
    epoch_length: 120,
    gateway: { store_dir: '/state/gateway' },
    wallet: { name: 'cfg' },
  };

  it('prefers flags to the config file, and the config to defaults', () => {
    const settings = resolveValidatorSettings(
      { netuid: 9, 'epoch.length': 30, 'gateway.port': 8080 },
      config,
      {},
    );
    expect(settings.start).toMatchObject({
      netuid: 9,
      epochLengthSeconds: 30,
      stateFile: '/state/scores.json',
      gateway: { store: { dir: '/state/gateway' }, serve: true, port: 8080 },
      metrics: false,
    });
    expect(settings.wallet).toMatchObject({ name: 'cfg', hotkey: 'default' });
    expect(settings.network).toBe('finney');
  });

  it('keeps the gateway off unless a port, a store or a gateway section is given', () => {
    const { gateway: _gateway, ...bare } = config;
    expect(resolveValidatorSettings({}, bare, {}).start.gateway).toBe(false);
    expect(resolveValidatorSettings({ 'gateway.port': 0 }, bare, {}).start.gateway).toMatchObject({
      store: { dir: join(homedir(), '.signal', 'gateway', 'netuid-3') },
      serve: true,
      port: 0,
    });
  });

  it('publishes into Redis without serving when only a Redis URL is given', () => {
    const { gateway: _gateway, ...bare } = config;
    const gateway = resolveValidatorSettings(
      { 'gateway.redisUrl': 'redis://127.0.0.1:6390' },
      bare,
      {},
    ).start.gateway;
    expect(gateway).toEqual({
      store: { redisUrl: 'redis://127.0.0.1:6390', namespace: 'signal:gateway:3' },
      serve: false,
    });
  });

  it('refuses a Redis URL and a store directory together', () => {
    expect(() =>
      resolveValidatorSettings({ 'gateway.redisUrl': 'redis://127.0.0.1:6390' }, config, {}),
    ).toThrow(expect.objectContaining({ code: 'VALIDATOR_CLI_USAGE' }));
  });

  it('turns recall: { vocabulary: reference } into the recall model vocabulary', () => {
    const recall = resolveValidatorSettings(
      {},
      { ...config, families: ['recall'], recall: { vocabulary: 'reference', pairs: 6 } },
      {},
    ).start.recall;
    expect(recall).toEqual({ vocabulary: recallVocabulary(), pairs: 6 });
    expect(resolveValidatorSettings({}, config, {}).start.recall).toBeUndefined();
    const perTier = resolveValidatorSettings(
      {},
      { ...config, tier_families: { research: ['multi_query', 'aggregation'] } },
      {},
    ).start.tierFamilies;
    expect(perTier).toEqual({ research: ['multi_query', 'aggregation'] });
  });

  it('requires a netuid', () => {
    const { netuid: _netuid, ...noNetuid } = config;
    expect(() => resolveValidatorSettings({}, noNetuid, {})).toThrow(ValidatorCliError);
  });

  it('reads env forms of the flags', () => {
    const previous = process.env;
    process.env = { ...previous, SIGNAL_VALIDATOR_NETUID: '12', SIGNAL_VALIDATOR_DEBUG: 'true' };
    try {
      const command = validatorCommand();
      command.parse(['--epoch.length', '5'], { from: 'user' });
      expect(command.opts()).toMatchObject({
        netuid: 12,
        'logging.debug': true,
        'epoch.length': 5,
      });
    } finally {
      process.env = previous;
    }
  });
});

describe('runValidatorCli', () => {
  it('refuses a malformed flag', async () => {
    await expect(
      runValidatorCli(['--netuid', 'abc'], { signal: AbortSignal.abort(), env: {} }),
    ).rejects.toBeInstanceOf(CommanderError);
  });

  it('asks for a config file', async () => {
    await expect(
      runValidatorCli([], { signal: AbortSignal.abort(), env: {} }),
    ).rejects.toMatchObject({
      code: 'VALIDATOR_CLI_USAGE',
    });
  });

  it('names the bad field of a config file', async () => {
    const path = await writeConfig('bad.yaml', 'netuid: 1\nmodels: {}\nepoch_length: -3\n');
    const error = await runValidatorCli(['--validator.config', path], {
      signal: AbortSignal.abort(),
      env: {},
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATOR_CONFIG_INVALID' });
    expect((error as Error).message).toMatch(/epoch_length/);
    expect((error as Error).message).toMatch(/models/);
  });

  it('runs epochs on a LocalChain file until aborted, then saves the scores', async () => {
    const walletRoot = join(dir, 'wallets');
    const { wallet } = await createWallet({ root: walletRoot, name: 'v', hotkey: 'h' });
    const chainFile = join(dir, 'chain.json');
    const chain = await LocalChain.open({ file: chainFile, blockTimeMs: 0 });
    await chain.createSubnet(5);
    await chain.register({
      netuid: 5,
      hotkey: wallet.hotkey.address,
      coldkey: wallet.coldkeyAddress,
      stake: 10n ** 12n,
    });
    await chain.close();
    const config = await writeConfig(
      'validator.yaml',
      [
        'models:',
        '  tiny: ./no-model-needed-without-miners',
        'state_file: ./state/scores.json',
        '',
      ].join('\n'),
    );

    const stop = new AbortController();
    let started: RunningValidator | undefined;
    const run = runValidatorCli(
      [
        '--validator.config',
        config,
        '--subtensor.network',
        `local:${chainFile}`,
        '--gateway.port',
        '0',
        '--gateway.store-dir',
        join(dir, 'gateway'),
      ],
      {
        signal: stop.signal,
        env: {
          SIGNAL_VALIDATOR_NETUID: '5',
          SIGNAL_VALIDATOR_WALLET_PATH: walletRoot,
          SIGNAL_VALIDATOR_WALLET_NAME: 'v',
          SIGNAL_VALIDATOR_WALLET_HOTKEY: 'h',
        },
        logDestination: pino.destination({ dest: '/dev/null', sync: true }),
        onStarted: (validator) => {
          started = validator;
        },
      },
    );
    while (!started) await new Promise((resolve) => setTimeout(resolve, 20));
    const report = await started.runEpoch();
    expect(report.miners).toEqual([]);
    const health = await fetch(`http://127.0.0.1:${started.gatewayPort}/v1/health`);
    expect(health.status).toBe(200);
    stop.abort();
    await run;
    const state = await loadScoreState(join(dir, 'state', 'scores.json'));
    expect(state.schemaVersion).toBe(1);
    expect(JSON.parse(await readFile(join(dir, 'state', 'scores.json'), 'utf8'))).toEqual(state);
  });
});
