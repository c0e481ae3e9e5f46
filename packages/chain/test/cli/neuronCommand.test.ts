import { type NeuronFlags, neuronCommand, parseWithEnv } from '@signal/chain';
import { CommanderError, Option } from 'commander';

interface TestFlags extends NeuronFlags {
  'own.flag'?: string;
}

function command() {
  return neuronCommand({
    name: 'test-neuron',
    description: 'A neuron for tests',
    envPrefix: 'TEST_NEURON',
    options: [new Option('--own.flag <value>', 'its own flag').env('TEST_NEURON_OWN')],
    metricsDescription: 'metrics port for tests',
  }).configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
}

describe('neuronCommand', () => {
  it('lists the chain flags, then its own, then metrics and logging, each with its env form', () => {
    const help = command().helpInformation();
    const flags = [...help.matchAll(/^ {2}(--[\w.]+|-h)/gm)].map((match) => match[1]);
    // commander wraps long descriptions; compare the text with the wrapping undone.
    const text = help.replace(/\s+/g, ' ');
    expect(flags).toEqual([
      '--netuid',
      '--wallet.name',
      '--wallet.hotkey',
      '--wallet.path',
      '--subtensor.network',
      '--own.flag',
      '--runtime.threads',
      '--runtime.workers',
      '--runtime.queue_size',
      '--metrics.port',
      '--logging.debug',
      '-h',
    ]);
    for (const env of [
      'TEST_NEURON_NETUID',
      'TEST_NEURON_WALLET_NAME',
      'TEST_NEURON_WALLET_HOTKEY',
      'TEST_NEURON_WALLET_PATH',
      'TEST_NEURON_NETWORK',
      'TEST_NEURON_OWN',
      'TEST_NEURON_RUNTIME_THREADS',
      'TEST_NEURON_RUNTIME_WORKERS',
      'TEST_NEURON_RUNTIME_QUEUE_SIZE',
      'TEST_NEURON_METRICS_PORT',
      'TEST_NEURON_DEBUG',
    ]) {
      expect(text).toContain(`(env: ${env})`);
    }
    expect(help).toContain('metrics port for tests');
  });

  it('reads env forms, with a flag taking precedence over its env form', () => {
    const flags = parseWithEnv<TestFlags>(command(), ['--netuid', '9', '--own.flag', 'x'], {
      TEST_NEURON_NETUID: '7',
      TEST_NEURON_WALLET_NAME: 'env-wallet',
      TEST_NEURON_METRICS_PORT: '9100',
      TEST_NEURON_DEBUG: 'off',
      TEST_NEURON_RUNTIME_THREADS: '2',
      TEST_NEURON_RUNTIME_QUEUE_SIZE: '0',
    });
    expect(flags).toEqual({
      netuid: 9,
      'wallet.name': 'env-wallet',
      'own.flag': 'x',
      'runtime.threads': 2,
      'runtime.queue_size': 0,
      'metrics.port': 9100,
      'logging.debug': false,
    });
  });

  it.each([
    ['1', true],
    ['', true],
    ['yes', true],
    ['0', false],
    ['false', false],
  ])('reads TEST_NEURON_DEBUG=%j as %s', (raw, expected) => {
    expect(parseWithEnv(command(), [], { TEST_NEURON_DEBUG: raw })['logging.debug']).toBe(expected);
  });

  it('takes a bare --logging.debug as on', () => {
    expect(parseWithEnv(command(), ['--logging.debug'], {})['logging.debug']).toBe(true);
  });

  it('refuses a bad integer or an out-of-range port with a CommanderError naming the flag', () => {
    const failure = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      try {
        parseWithEnv(command(), argv, env);
      } catch (error) {
        return error;
      }
      throw new Error('parse succeeded');
    };
    expect(failure(['--netuid', 'seven'])).toMatchObject({
      code: 'commander.invalidArgument',
      exitCode: 1,
      message: expect.stringContaining('--netuid must be an integer in [0, 65535], got "seven".'),
    });
    expect(failure(['--metrics.port', '70000'])).toBeInstanceOf(CommanderError);
    expect(failure([], { TEST_NEURON_METRICS_PORT: '70000' })).toMatchObject({
      message: expect.stringMatching(
        /from env 'TEST_NEURON_METRICS_PORT' is invalid\. --metrics\.port must be an integer/,
      ),
    });
    expect(failure(['--runtime.workers', '0'])).toMatchObject({
      message: expect.stringContaining(
        '--runtime.workers must be an integer in [1, 4096], got "0".',
      ),
    });
    expect(failure([], { TEST_NEURON_DEBUG: 'maybe' })).toMatchObject({
      message: expect.stringContaining('--logging.debug takes true or false, got "maybe".'),
    });
  });
});

describe('parseWithEnv', () => {
  const previous = process.env;
  afterEach(() => {
    process.env = previous;
  });

  it("reads env forms from the given env, not the process's, and restores process.env", () => {
    process.env = { ...previous, TEST_NEURON_NETUID: '5', TEST_NEURON_DEBUG: 'true' };
    const own = process.env;
    const flags = parseWithEnv<TestFlags>(command(), [], { TEST_NEURON_WALLET_HOTKEY: 'hot' });
    expect(flags).toEqual({ 'wallet.hotkey': 'hot' });
    expect(process.env).toBe(own);
  });

  it('restores process.env when the parse fails', () => {
    const own = process.env;
    expect(() => parseWithEnv(command(), ['--netuid', '-1'], {})).toThrow(CommanderError);
    expect(process.env).toBe(own);
  });
});
