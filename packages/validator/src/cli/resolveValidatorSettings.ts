import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  type NeuronSettings,
  resolveDashboardSettings,
  resolveNeuronSettings,
} from '@signal/chain';
import { receiveTimeouts } from '@signal/gateway';
import { recallVocabulary } from '@signal/runtime';
import type { StartValidatorOptions } from '../validator/StartValidatorOptions';
import { ValidatorCliError } from './ValidatorCliError';
import type { ValidatorConfigFile } from './ValidatorConfigFile';
import type { ValidatorFlags } from './validatorCommand';

/** Everything `signal-validator` needs besides the chain, the hotkey and the logger. */
export interface ValidatorCliSettings extends NeuronSettings {
  start: Omit<StartValidatorOptions, 'chain' | 'hotkey' | 'logger'>;
}

/**
 * Merges settings by precedence: a flag, then its env form (commander folds those), then the
 * config file, then the defaults. The validator publishes its miner view into a gateway
 * store when a gateway port, store or section is given, and serves the gateway itself when a
 * port is given (or the section says `serve: true`). The store is Redis when a URL is given,
 * else a directory (`~/.signal/gateway/netuid-N` unless the config says otherwise). The
 * gateway's slow-client timeouts are checked here, as `startGateway` checks them.
 */
export function resolveValidatorSettings(
  flags: ValidatorFlags,
  config: ValidatorConfigFile,
  env: NodeJS.ProcessEnv,
): ValidatorCliSettings {
  const netuid = flags.netuid ?? config.netuid;
  if (netuid === undefined) {
    throw new ValidatorCliError('VALIDATOR_CLI_USAGE', 'No subnet given.', {
      details: 'Pass --netuid, set SIGNAL_VALIDATOR_NETUID, or put netuid in the validator config.',
    });
  }
  const stateFile =
    flags['state.file'] ??
    config.state_file ??
    join(homedir(), '.signal', 'validator', `netuid-${netuid}`, 'scores.json');
  const gatewayConfig = config.gateway === false ? undefined : config.gateway;
  const gatewayPort = flags['gateway.port'] ?? gatewayConfig?.port;
  const redisUrl = flags['gateway.redisUrl'] ?? gatewayConfig?.redis_url;
  const storeDir = flags['gateway.storeDir'] ?? gatewayConfig?.store_dir;
  if (redisUrl !== undefined && storeDir !== undefined) {
    throw new ValidatorCliError('VALIDATOR_CLI_USAGE', 'Two gateway stores given.', {
      details: 'Give the gateway either a Redis URL or a store directory, not both.',
    });
  }
  const headersTimeoutMs = flags['gateway.headersTimeout'] ?? gatewayConfig?.headers_timeout_ms;
  const requestTimeoutMs = flags['gateway.requestTimeout'] ?? gatewayConfig?.request_timeout_ms;
  // Refused now (GATEWAY_SETTINGS_INVALID), as `startGateway` would, not after the chain and
  // the models have been opened.
  receiveTimeouts({ headersTimeoutMs, requestTimeoutMs });
  const gatewayOn =
    config.gateway !== false &&
    (gatewayPort !== undefined ||
      gatewayConfig !== undefined ||
      redisUrl !== undefined ||
      storeDir !== undefined);
  const metricsPort = flags['metrics.port'] ?? config.metrics_port;
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
  const neuron = resolveNeuronSettings(flags, config, env);
  return {
    ...neuron,
    start: {
      netuid,
      runtime: neuron.runtime,
      models: config.models,
      stateFile,
      ...optional('tiers', config.tiers as StartValidatorOptions['tiers']),
      ...optional('epochLengthSeconds', flags['epoch.length'] ?? config.epoch_length),
      ...optional('seed', config.seed),
      ...optional('tasksPerMiner', config.tasks_per_miner),
      ...optional('versionKey', config.version_key),
      ...optional('families', config.families),
      ...optional('tierFamilies', config.tier_families),
      ...optional('unscoredFraction', config.unscored_fraction),
      ...optional('batchSize', config.batch_size),
      ...optional(
        'recall',
        config.recall && {
          vocabulary:
            config.recall.vocabulary === 'reference'
              ? recallVocabulary()
              : config.recall.vocabulary,
          ...optional('pairs', config.recall.pairs),
        },
      ),
      gateway: gatewayOn
        ? {
            store:
              redisUrl === undefined
                ? { dir: storeDir ?? join(homedir(), '.signal', 'gateway', `netuid-${netuid}`) }
                : { redisUrl, namespace: `signal:gateway:${netuid}` },
            serve: gatewayConfig?.serve ?? gatewayPort !== undefined,
            ...optional('host', gatewayConfig?.host),
            ...optional('port', gatewayPort),
            ...optional('organicScoredFraction', gatewayConfig?.organic_scored_fraction),
            ...optional('failOpen', gatewayConfig?.fail_open),
            ...optional('headersTimeoutMs', headersTimeoutMs),
            ...optional('requestTimeoutMs', requestTimeoutMs),
          }
        : false,
      metrics: metricsPort === undefined ? false : { port: metricsPort },
      dashboard: resolveDashboardSettings(flags, config, env),
    },
  };
}
