import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { specificIssues } from '@signal/core';
import { isHubRef } from '@signal/runtime';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ValidatorCliError } from './ValidatorCliError';
import { type ValidatorConfigFile, ValidatorConfigFileSchema } from './ValidatorConfigFile';

const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads, parses and validates a validator config. Relative paths (models, state file, gateway
 * store, leaderboard) are resolved against the file's directory so the config moves with its models.
 */
export async function loadValidatorConfig(path: string): Promise<ValidatorConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ValidatorCliError(
      'VALIDATOR_CONFIG_INVALID',
      `Cannot read validator config ${path}.`,
      {
        details: cause instanceof Error ? cause.message : String(cause),
        cause,
      },
    );
  }
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
    throw new ValidatorCliError(
      'VALIDATOR_CONFIG_INVALID',
      `Validator config ${path} is too large.`,
      {
        details: `the limit is ${MAX_CONFIG_BYTES} bytes`,
      },
    );
  }
  let raw: unknown;
  try {
    raw = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new ValidatorCliError(
      'VALIDATOR_CONFIG_INVALID',
      `Cannot parse validator config ${path}.`,
      {
        details: cause instanceof Error ? cause.message : String(cause),
        cause,
      },
    );
  }
  const parsed = ValidatorConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidatorCliError('VALIDATOR_CONFIG_INVALID', `Invalid validator config ${path}.`, {
      details: z.prettifyError(new z.ZodError(specificIssues(parsed.error.issues))),
      cause: parsed.error,
    });
  }
  const base = dirname(resolve(path));
  const config = parsed.data;
  const at = (file: string) => resolve(base, file);
  return {
    ...config,
    // Hub references (hf:org/name@rev) are not paths: they stay as written.
    models: Object.fromEntries(
      Object.entries(config.models).map(([name, dir]) => [name, isHubRef(dir) ? dir : at(dir)]),
    ),
    ...(config.state_file === undefined ? {} : { state_file: at(config.state_file) }),
    ...(config.gateway && config.gateway.store_dir !== undefined
      ? { gateway: { ...config.gateway, store_dir: at(config.gateway.store_dir) } }
      : {}),
    ...(config.dashboard?.leaderboard === undefined
      ? {}
      : { dashboard: { ...config.dashboard, leaderboard: at(config.dashboard.leaderboard) } }),
  };
}
