import { Command, InvalidArgumentError, Option } from 'commander';

/** What the flags (or their env forms) said; anything absent falls back to the config file. */
export interface MinerFlags {
  netuid?: number;
  'wallet.name'?: string;
  'wallet.hotkey'?: string;
  'wallet.path'?: string;
  'subtensor.network'?: string;
  'axon.port'?: number;
  'axon.external_ip'?: string;
  'miner.config'?: string;
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

function booleanEnv(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on', ''].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new InvalidArgumentError(`--logging.debug takes true or false, got "${raw}".`);
}

/** Every flag, Bittensor-style, with its `SIGNAL_MINER_*` env form; defaults are applied later. */
export function minerCommand(): Command {
  const option = (flags: string, description: string, env: string) =>
    new Option(flags, description).env(env);
  return new Command('signal-miner')
    .description('Serve Signal condensation (Condense, Inference, Metadata) on a Bittensor axon')
    .showHelpAfterError()
    .exitOverride()
    .addOption(
      option('--netuid <n>', 'subnet uid', 'SIGNAL_MINER_NETUID').argParser(
        integerIn('--netuid', 0, 65535),
      ),
    )
    .addOption(
      option('--wallet.name <name>', 'wallet (coldkey) name [default]', 'SIGNAL_MINER_WALLET_NAME'),
    )
    .addOption(
      option('--wallet.hotkey <name>', 'hotkey name [default]', 'SIGNAL_MINER_WALLET_HOTKEY'),
    )
    .addOption(
      option(
        '--wallet.path <dir>',
        'wallets root [~/.bittensor/wallets]',
        'SIGNAL_MINER_WALLET_PATH',
      ),
    )
    .addOption(
      option(
        '--subtensor.network <network>',
        'finney | test | local | ws(s)://… | local:<LocalChain file> [finney]',
        'SIGNAL_MINER_NETWORK',
      ),
    )
    .addOption(
      option('--axon.port <port>', 'axon port [8091]', 'SIGNAL_MINER_AXON_PORT').argParser(
        integerIn('--axon.port', 0, 65535),
      ),
    )
    .addOption(
      option('--axon.external_ip <ip>', 'IP advertised on chain', 'SIGNAL_MINER_EXTERNAL_IP'),
    )
    .addOption(
      option('--miner.config <file>', 'miner config (JSON or YAML)', 'SIGNAL_MINER_CONFIG'),
    )
    .addOption(
      option(
        '--metrics.port <port>',
        "Prometheus port [the config's metrics_port]",
        'SIGNAL_MINER_METRICS_PORT',
      ).argParser(integerIn('--metrics.port', 0, 65535)),
    )
    .addOption(
      option('--logging.debug [on]', 'debug logs', 'SIGNAL_MINER_DEBUG').argParser(booleanEnv),
    );
}
