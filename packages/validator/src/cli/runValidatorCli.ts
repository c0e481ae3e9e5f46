import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type ChainClient,
  loadWallet,
  type NeuronCliOptions,
  openChain,
  parseWithEnv,
  untilAborted,
} from '@signal/chain';
import { type Logger, pino } from 'pino';
import type { RunningValidator } from '../validator/RunningValidator';
import { startValidator } from '../validator/startValidator';
import { loadValidatorConfig } from './loadValidatorConfig';
import { resolveValidatorSettings } from './resolveValidatorSettings';
import { ValidatorCliError } from './ValidatorCliError';
import { type ValidatorFlags, validatorCommand } from './validatorCommand';

export type RunValidatorCliOptions = NeuronCliOptions<RunningValidator>;

/**
 * `signal-validator`: reads the flags (user arguments only), the config, the wallet's hotkey
 * and the chain, runs epochs until `signal` aborts, then stops between requests, saves the
 * scores and closes the chain. A restart on the same state file resumes the scores.
 */
export async function runValidatorCli(
  argv: readonly string[],
  options: RunValidatorCliOptions,
): Promise<void> {
  const env = options.env ?? process.env;
  const flags = parseWithEnv<ValidatorFlags>(validatorCommand(), argv, env);
  const configPath = flags['validator.config'];
  if (configPath === undefined) {
    throw new ValidatorCliError('VALIDATOR_CLI_USAGE', 'No validator config given.', {
      details: 'Pass --validator.config FILE or set SIGNAL_VALIDATOR_CONFIG.',
    });
  }
  const settings = resolveValidatorSettings(flags, await loadValidatorConfig(configPath), env);
  const logger: Logger = pino(
    { name: 'signal-validator', level: settings.debug ? 'debug' : 'info' },
    options.logDestination ?? pino.destination(2),
  );
  await mkdir(dirname(settings.start.stateFile), { recursive: true });
  const wallet = await loadWallet({ ...settings.wallet, env });
  const chain: ChainClient = await openChain({ network: settings.network });
  let validator: RunningValidator | undefined;
  try {
    validator = await startValidator({ ...settings.start, chain, hotkey: wallet.hotkey, logger });
    validator.start();
    logger.info(
      { netuid: settings.start.netuid, stateFile: settings.start.stateFile },
      'validator started',
    );
    options.onStarted?.(validator);
    await untilAborted(options.signal);
    logger.info('shutting down');
  } finally {
    await validator?.close();
    await chain.close();
  }
}
