import type { MinerConfig } from '../config/MinerConfigSchema';
import { MinerRequestError } from './MinerRequestError';

/** Refuses a target model the config does not serve, listing the ones it does. */
export function assertServed(models: MinerConfig['models'], model: string): void {
  if (!Object.hasOwn(models, model)) {
    throw new MinerRequestError('MINER_NOT_SERVED', `Model "${model}" is not served here.`, {
      details: `Served models: ${Object.keys(models).join(', ')}.`,
    });
  }
}
