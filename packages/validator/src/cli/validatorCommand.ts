import {
  type DashboardFlags,
  dashboardOptions,
  integerIn,
  type NeuronFlags,
  neuronCommand,
} from '@signal/chain';
import { type ReceiveTimeoutFlags, receiveTimeoutOptions } from '@signal/gateway';
import { type Command, InvalidArgumentError, Option } from 'commander';

/** What the flags (or their `SIGNAL_VALIDATOR_*` env forms) said; the config file fills the rest. */
export interface ValidatorFlags extends NeuronFlags, DashboardFlags, ReceiveTimeoutFlags {
  'validator.config'?: string;
  'gateway.port'?: number;
  'gateway.redisUrl'?: string;
  'gateway.storeDir'?: string;
  'epoch.length'?: number;
  'state.file'?: string;
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

/** Every flag, Bittensor-style, each with an env form; defaults are applied after the config. */
export function validatorCommand(): Command {
  return neuronCommand({
    name: 'signal-validator',
    description: 'Benchmark Signal miners, set weights, and serve the organic gateway',
    envPrefix: 'SIGNAL_VALIDATOR',
    options: [
      new Option('--validator.config <file>', 'validator config (YAML or JSON)').env(
        'SIGNAL_VALIDATOR_CONFIG',
      ),
      new Option('--gateway.port <port>', 'serve the organic gateway on this port')
        .env('SIGNAL_VALIDATOR_GATEWAY_PORT')
        .argParser(integerIn('--gateway.port', 0, 65_535)),
      new Option(
        '--gateway.redis-url <url>',
        'keep gateway keys, limits, usage and the miner view in this Redis (shared with `signal gateway` replicas)',
      ).env('SIGNAL_VALIDATOR_GATEWAY_REDIS_URL'),
      new Option(
        '--gateway.store-dir <dir>',
        'the gateway file store [~/.signal/gateway/netuid-N]',
      ).env('SIGNAL_VALIDATOR_GATEWAY_STORE_DIR'),
      ...receiveTimeoutOptions('SIGNAL_VALIDATOR_GATEWAY'),
      new Option('--epoch.length <seconds>', 'seconds between epochs [600]')
        .env('SIGNAL_VALIDATOR_EPOCH_LENGTH')
        .argParser(positiveSeconds),
      new Option(
        '--state.file <file>',
        'persisted scores [~/.signal/validator/netuid-N/scores.json]',
      ).env('SIGNAL_VALIDATOR_STATE_FILE'),
      ...dashboardOptions('SIGNAL_VALIDATOR'),
    ],
    metricsDescription: 'Prometheus /metrics port',
  });
}
