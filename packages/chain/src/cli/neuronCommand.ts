import { Command, Option } from 'commander';
import { booleanFlag } from './booleanFlag';
import { integerIn } from './integerIn';

/** What the flags every neuron shares (or their env forms) said; absent ones fall back later. */
export interface NeuronFlags {
  netuid?: number;
  'wallet.name'?: string;
  'wallet.hotkey'?: string;
  'wallet.path'?: string;
  'subtensor.network'?: string;
  'runtime.threads'?: number;
  'runtime.workers'?: number;
  'runtime.queue_size'?: number;
  'metrics.port'?: number;
  'logging.debug'?: boolean;
}

export interface NeuronCommandParameters {
  /** The binary, e.g. `signal-miner`. */
  name: string;
  description: string;
  /** Env forms are `<envPrefix>_NETUID`, `<envPrefix>_WALLET_NAME`, and so on. */
  envPrefix: string;
  /** The neuron's own flags, listed after the chain flags and before metrics and logging. */
  options: readonly Option[];
  /** Each neuron documents its own `--metrics.port` default. */
  metricsDescription: string;
}

/**
 * A neuron's command line, Bittensor-style: the netuid, wallet and subtensor flags (the
 * SDK's `wallet.add_args` / `subtensor.add_args`), the neuron's own flags, then metrics and
 * logging, each with an env form. Defaults are left to the caller, who merges the config
 * file first; errors throw `CommanderError` instead of exiting.
 */
export function neuronCommand(parameters: NeuronCommandParameters): Command {
  const { envPrefix } = parameters;
  const option = (flags: string, description: string, envName: string) =>
    new Option(flags, description).env(`${envPrefix}_${envName}`);
  const command = new Command(parameters.name)
    .description(parameters.description)
    .showHelpAfterError()
    .exitOverride()
    .addOption(
      option('--netuid <n>', 'subnet uid', 'NETUID').argParser(integerIn('--netuid', 0, 65_535)),
    )
    .addOption(option('--wallet.name <name>', 'wallet (coldkey) name [default]', 'WALLET_NAME'))
    .addOption(option('--wallet.hotkey <name>', 'hotkey name [default]', 'WALLET_HOTKEY'))
    .addOption(option('--wallet.path <dir>', 'wallets root [~/.bittensor/wallets]', 'WALLET_PATH'))
    .addOption(
      option(
        '--subtensor.network <network>',
        'finney | test | local | ws(s)://… | local:<LocalChain file> [finney]',
        'NETWORK',
      ),
    );
  for (const own of parameters.options) command.addOption(own);
  return command
    .addOption(
      option(
        '--runtime.threads <n>',
        'cores the model host may use: workers × intra-op threads stay within it [all cores]',
        'RUNTIME_THREADS',
      ).argParser(integerIn('--runtime.threads', 1, 4096)),
    )
    .addOption(
      option('--runtime.workers <n>', 'model worker threads [1]', 'RUNTIME_WORKERS').argParser(
        integerIn('--runtime.workers', 1, 4096),
      ),
    )
    .addOption(
      option(
        '--runtime.queue_size <n>',
        'jobs that may wait per model before requests are refused (503)',
        'RUNTIME_QUEUE_SIZE',
      ).argParser(integerIn('--runtime.queue_size', 0, 1_000_000)),
    )
    .addOption(
      option('--metrics.port <port>', parameters.metricsDescription, 'METRICS_PORT').argParser(
        integerIn('--metrics.port', 0, 65_535),
      ),
    )
    .addOption(
      option('--logging.debug [on]', 'debug logs', 'DEBUG').argParser(
        booleanFlag('--logging.debug'),
      ),
    );
}
