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

  it('takes the gateway slow-client timeouts from flags, their env forms or the config file', () => {
    const fromConfig = resolveValidatorSettings(
      {},
      {
        ...config,
        gateway: { ...config.gateway, headers_timeout_ms: 2_000, request_timeout_ms: 9_000 },
      },
      {},
    ).start.gateway;
    expect(fromConfig).toMatchObject({ headersTimeoutMs: 2_000, requestTimeoutMs: 9_000 });
    const overridden = resolveValidatorSettings(
      { 'gateway.headersTimeout': 1_000 },
      {
        ...config,
        gateway: { ...config.gateway, headers_timeout_ms: 2_000, request_timeout_ms: 9_000 },
      },
      {},
    ).start.gateway;
    expect(overridden).toMatchObject({ headersTimeoutMs: 1_000, requestTimeoutMs: 9_000 });
    // Unset, the gateway keeps its own defaults.
    const unset = resolveValidatorSettings({}, config, {}).start.gateway;
    expect(unset).not.toHaveProperty('headersTimeoutMs');
    expect(unset).not.toHaveProperty('requestTimeoutMs');

    const previous = process.env;
    process.env = {
      ...previous,
      SIGNAL_VALIDATOR_GATEWAY_HEADERS_TIMEOUT: '2500',
      SIGNAL_VALIDATOR_GATEWAY_REQUEST_TIMEOUT: '7000',
    };
    try {
      const fromEnv = validatorCommand();
      fromEnv.parse([], { from: 'user' });
      expect(fromEnv.opts()).toMatchObject({
        'gateway.headersTimeout': 2_500,
        'gateway.requestTimeout': 7_000,
      });
      const flagOverEnv = validatorCommand();
      flagOverEnv.parse(['--gateway.headers-timeout', '1200'], { from: 'user' });
      expect(flagOverEnv.opts()).toMatchObject({
        'gateway.headersTimeout': 1_200,
        'gateway.requestTimeout': 7_000,
      });
    } finally {
      process.env = previous;
    }
  });

  it('refuses slow-client timeouts the gateway cannot serve with, as signal gateway does', () => {
    for (const [flag, raw] of [
      ['--gateway.headers-timeout', '0'],
      ['--gateway.headers-timeout', '1.5'],
      ['--gateway.request-timeout', '-5'],
      ['--gateway.request-timeout', '1e4'],
      ['--gateway.request-timeout', '3600001'],
    ] as const) {
      const command = validatorCommand();
      command.configureOutput({ writeErr: () => undefined });
      expect(() => command.parse([flag, raw], { from: 'user' })).toThrow(
        `${flag} must be an integer in [1, 3600000], got "${raw}".`,
      );
    }
    expect(() =>
      resolveValidatorSettings(
        { 'gateway.headersTimeout': 5_000, 'gateway.requestTimeout': 1_000 },
        config,
        {},
      ),
    ).toThrow(expect.objectContaining({ code: 'GATEWAY_SETTINGS_INVALID' }));
    // A header limit above the default request limit (30 s) needs a request limit too.
    expect(() =>
      resolveValidatorSettings(
        {},
        { ...config, gateway: { ...config.gateway, headers_timeout_ms: 40_000 } },
        {},
      ),
    ).toThrow(expect.objectContaining({ code: 'GATEWAY_SETTINGS_INVALID' }));
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

  it('names a slow-client timeout of the config file that is out of range', async () => {
    const path = await writeConfig(
      'bad-timeout.yaml',
      'netuid: 1\nmodels: { m: ./m }\ngateway: { headers_timeout_ms: 0, request_timeout_ms: 3600001 }\n',
    );
    const error = await runValidatorCli(['--validator.config', path], {
      signal: AbortSignal.abort(),
      env: {},
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATOR_CONFIG_INVALID' });
    expect((error as Error).message).toMatch(/headers_timeout_ms/);
    expect((error as Error).message).toMatch(/request_timeout_ms/);
  });

  it('names the field inside the gateway section (a union with false) that is wrong', async () => {
    const refusal = async (name: string, gateway: string) => {
      const path = await writeConfig(name, `netuid: 1\nmodels: { m: ./m }\ngateway: ${gateway}\n`);
      const error = await runValidatorCli(['--validator.config', path], {
        signal: AbortSignal.abort(),
        env: {},
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'VALIDATOR_CONFIG_INVALID' });
      return (error as Error).message;
    };
    expect(await refusal('gateway-port.yaml', '{ port: abc }')).toMatch(/at gateway\.port/);
    expect(await refusal('gateway-typo.yaml', '{ prot: 80 }')).toMatch(/"prot"[\s\S]*at gateway/);
    expect(await refusal('gateway-kind.yaml', '7')).toMatch(/Invalid input\s+→ at gateway\b/);
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
