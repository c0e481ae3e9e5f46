import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { specificIssues } from '@signal/core';
import { isHubRef } from '@signal/runtime';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { MinerConfigError } from './MinerConfigError';
import { type MinerConfig, MinerConfigSchema } from './MinerConfigSchema';

/** A config is a page of settings; anything larger is a mistake (or an attack), not a config. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads, parses (JSON for `.json`, YAML otherwise) and validates a miner config file.
 * Relative model and adapter directories are resolved against the file's directory, so a
 * config can be moved together with the models beside it.
 */
export async function loadMinerConfig(path: string): Promise<MinerConfig> {
  const text = await readConfigText(path);
  let raw: unknown;
  try {
    raw = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new MinerConfigError('MINER_CONFIG_PARSE', path, `Cannot parse miner config ${path}.`, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
  const config = parseMinerConfig(raw, path);
  const base = dirname(resolve(path));
  // Hub references (hf:org/name@rev) are not paths: they stay as written.
  const at = (location: string) => (isHubRef(location) ? location : resolve(base, location));
  for (const model of Object.values(config.models)) {
    model.base_model_dir = at(model.base_model_dir);
    if (model.adapter && 'dir' in model.adapter) model.adapter.dir = at(model.adapter.dir);
  }
  return config;
}

/** Validates an already-parsed config; `source` names it in errors. */
export function parseMinerConfig(value: unknown, source = 'miner config'): MinerConfig {
  const result = MinerConfigSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = specificIssues(result.error.issues).map(
    (issue) => `${formatPath(issue.path)}: ${issue.message}`,
  );
  throw new MinerConfigError(
    'MINER_CONFIG_INVALID',
    source,
    `Invalid miner config ${source}: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}.`,
    { metaMessages: problems, cause: result.error },
  );
}

async function readConfigText(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      throw new MinerConfigError(
        'MINER_CONFIG_UNREADABLE',
        path,
        `Miner config ${path} is not a file.`,
      );
    }
    if (info.size > MAX_CONFIG_BYTES) {
      throw new MinerConfigError(
        'MINER_CONFIG_UNREADABLE',
        path,
        `Miner config ${path} is too large.`,
        {
          details: `${info.size} bytes; the limit is ${MAX_CONFIG_BYTES}.`,
        },
      );
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof MinerConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new MinerConfigError(
        'MINER_CONFIG_NOT_FOUND',
        path,
        `Miner config ${path} does not exist.`,
        {
          cause: error,
        },
      );
    }
    throw new MinerConfigError(
      'MINER_CONFIG_UNREADABLE',
      path,
      `Cannot read miner config ${path}.`,
      {
        details: error instanceof Error ? error.message : String(error),
        cause: error,
      },
    );
  }
}

/** `models["org/name"].adapter.sha256`: keys that are not identifiers get brackets. */
function formatPath(path: z.core.$ZodIssue['path']): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return index === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join('');
}
