import { Command, InvalidArgumentError, Option } from 'commander';

/** What the flags (or their `SIGNAL_VALIDATOR_*` env forms) said; the config file fills the rest. */
export interface ValidatorFlags {
  netuid?: number;
  'wallet.name'?: string;
  'wallet.hotkey'?: string;
  'wallet.path'?: string;
  'subtensor.network'?: string;
  'validator.config'?: string;
  'gateway.port'?: number;
  'epoch.length'?: number;
  'state.file'?: string;
  'metrics.port'?: number;
  'logging.debug'?: boolean;
}

function integerIn(flag: string, min: number, max: number): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(
        `${flag} must be an integer in [${min}, ${max}], got "${raw}".`,
      );
    }
    return value;
  };
}

function positiveSeconds(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(
      `--epoch.length must be a positive number of seconds, got "${raw}".`,
    );
  }
  return value;
}

function booleanFlag(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on', ''].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new InvalidArgumentError(`--logging.debug takes true or false, got "${raw}".`);
}

/** Every flag, Bittensor-style, each with an env form; defaults are applied after the config. */
export function validatorCommand(): Command {
  const option = (flags: string, description: string, env: string) =>
    new Option(flags, description).env(env);
  return new Command('signal-validator')
    .description('Benchmark Signal miners, set weights, and serve the organic gateway')
    .showHelpAfterError()
    .exitOverride()
    .addOption(
      option('--netuid <n>', 'subnet uid', 'SIGNAL_VALIDATOR_NETUID').argParser(
        integerIn('--netuid', 0, 65_535),
      ),
    )
    .addOption(
      option(
        '--wallet.name <name>',
        'wallet (coldkey) name [default]',
        'SIGNAL_VALIDATOR_WALLET_NAME',
      ),
    )
    .addOption(
      option('--wallet.hotkey <name>', 'hotkey name [default]', 'SIGNAL_VALIDATOR_WALLET_HOTKEY'),
    )
    .addOption(
      option(
        '--wallet.path <dir>',
        'wallets root [~/.bittensor/wallets]',
        'SIGNAL_VALIDATOR_WALLET_PATH',
      ),
    )
    .addOption(
      option(
        '--subtensor.network <network>',
        'finney | test | local | ws(s)://… | local:<LocalChain file> [finney]',
        'SIGNAL_VALIDATOR_NETWORK',
      ),
    )
    .addOption(
      option(
        '--validator.config <file>',
        'validator config (YAML or JSON)',
        'SIGNAL_VALIDATOR_CONFIG',
      ),
    )
    .addOption(
      option(
        '--gateway.port <port>',
        'serve the organic gateway on this port',
        'SIGNAL_VALIDATOR_GATEWAY_PORT',
      ).argParser(integerIn('--gateway.port', 0, 65_535)),
    )
    .addOption(
      option(
        '--epoch.length <seconds>',
        'seconds between epochs [600]',
        'SIGNAL_VALIDATOR_EPOCH_LENGTH',
      ).argParser(positiveSeconds),
    )
    .addOption(
      option(
        '--state.file <file>',
        'persisted scores [~/.signal/validator/netuid-N/scores.json]',
        'SIGNAL_VALIDATOR_STATE_FILE',
      ),
    )
    .addOption(
      option(
        '--metrics.port <port>',
        'Prometheus /metrics port',
        'SIGNAL_VALIDATOR_METRICS_PORT',
      ).argParser(integerIn('--metrics.port', 0, 65_535)),
    )
    .addOption(
      option('--logging.debug [on]', 'debug logs', 'SIGNAL_VALIDATOR_DEBUG').argParser(booleanFlag),
    );
}
