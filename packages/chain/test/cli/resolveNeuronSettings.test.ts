import { join } from 'node:path';
import { NeuronConfigSchema, resolveNeuronSettings } from '@signal/chain';

describe('resolveNeuronSettings', () => {
  const config = NeuronConfigSchema.parse({
    wallet: { name: 'file-wallet', hotkey: 'file-hot', path: '/file/wallets' },
    subtensor: { network: 'test' },
    logging: { debug: true },
    runtime: { threads: 8, queue_size: 4 },
  });

  it('takes a flag over the config file', () => {
    const settings = resolveNeuronSettings(
      {
        'wallet.name': 'flag-wallet',
        'wallet.path': '/flag/wallets',
        'subtensor.network': 'local',
        'logging.debug': false,
        'runtime.threads': 2,
        'runtime.workers': 2,
      },
      config,
      { BT_WALLET_PATH: '/env/wallets' },
    );
    expect(settings).toEqual({
      wallet: { root: join('/flag/wallets'), name: 'flag-wallet', hotkey: 'file-hot' },
      network: 'local',
      debug: false,
      runtime: { threads: 2, workers: 2, queueSize: 4 },
    });
  });

  it('takes the config file over the defaults', () => {
    expect(resolveNeuronSettings({}, config, {})).toEqual({
      wallet: { root: join('/file/wallets'), name: 'file-wallet', hotkey: 'file-hot' },
      network: 'test',
      debug: true,
      runtime: { threads: 8, queueSize: 4 },
    });
  });

  it("falls back to Bittensor's defaults, the wallets root from the given env", () => {
    expect(resolveNeuronSettings({}, {}, { BT_WALLET_PATH: '/env/wallets' })).toEqual({
      wallet: { root: join('/env/wallets'), name: 'default', hotkey: 'default' },
      network: 'finney',
      debug: false,
      runtime: {},
    });
  });
});

describe('NeuronConfigSchema', () => {
  it('refuses unknown keys and empty names in its sections', () => {
    expect(NeuronConfigSchema.safeParse({ wallet: { nmae: 'x' } }).success).toBe(false);
    expect(NeuronConfigSchema.safeParse({ wallet: { name: '' } }).success).toBe(false);
    expect(NeuronConfigSchema.safeParse({ logging: { debug: 'yes' } }).success).toBe(false);
    expect(NeuronConfigSchema.safeParse({ runtime: { threads: 0 } }).success).toBe(false);
    expect(NeuronConfigSchema.safeParse({ runtime: { workers: 1.5 } }).success).toBe(false);
  });
});
