import { join } from 'node:path';
import { MinerCliError, minerCommand, parseMinerConfig, resolveMinerSettings } from '@signal/miner';

const config = (extra: Record<string, unknown> = {}) =>
  parseMinerConfig({
    models: { tiny: { base_model_dir: '/models/tiny' } },
    tiers: { research: { method: 'knorm', ratio: 0.5 } },
    ...extra,
  });

function flagsOf(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const previous = process.env;
  process.env = env;
  try {
    return minerCommand()
      .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
      .parse(argv, { from: 'user' })
      .opts();
  } finally {
    process.env = previous;
  }
}

describe('signal-miner settings', () => {
  it('takes a flag over its env form, the env form over the config file, the file over defaults', () => {
    const fromFile = config({
      netuid: 5,
      wallet: { name: 'file-wallet', hotkey: 'file-hot' },
      subtensor: { network: 'test' },
      axon: { port: 9000 },
      logging: { debug: true },
    });
    const flags = flagsOf(['--netuid', '9', '--wallet.hotkey', 'flag-hot'], {
      SIGNAL_MINER_NETUID: '7',
      SIGNAL_MINER_WALLET_NAME: 'env-wallet',
      SIGNAL_MINER_AXON_PORT: '8100',
    });
    const settings = resolveMinerSettings(flags, fromFile, {});
    expect(settings.netuid).toBe(9);
    expect(settings.wallet.name).toBe('env-wallet');
    expect(settings.wallet.hotkey).toBe('flag-hot');
    expect(settings.network).toBe('test');
    expect(settings.axon).toEqual({ host: '127.0.0.1', port: 8100, externalIp: undefined });
    expect(settings.debug).toBe(true);
    expect(settings.metricsPort).toBe(9100);
  });

  it('falls back to Bittensor defaults and listens everywhere behind an external IP', () => {
    const flags = flagsOf([
      '--netuid',
      '1',
      '--axon.external_ip',
      '203.0.113.9',
      '--logging.debug',
    ]);
    const settings = resolveMinerSettings(flags, config(), { BT_WALLET_PATH: '/w' });
    expect(settings.wallet).toEqual({ root: join('/w'), name: 'default', hotkey: 'default' });
    expect(settings.network).toBe('finney');
    expect(settings.axon).toEqual({ host: '0.0.0.0', port: 8091, externalIp: '203.0.113.9' });
    expect(settings.debug).toBe(true);
  });

  it('refuses a run without a netuid, and malformed numbers, naming the flag', () => {
    expect(() => resolveMinerSettings(flagsOf([]), config(), {})).toThrow(MinerCliError);
    expect(() => flagsOf(['--axon.port', '70000'])).toThrow(/--axon.port must be an integer/);
    expect(() => flagsOf([], { SIGNAL_MINER_NETUID: 'seven' })).toThrow(
      /--netuid must be an integer/,
    );
  });
});
