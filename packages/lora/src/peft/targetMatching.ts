import { RE2JS } from 're2js';
import { LoraError } from '../errors/LoraError';
import type { AdapterConfig } from './AdapterConfig';

/**
 * PEFT's rules for which modules an adapter wraps and with which rank/alpha, restated
 * for our module names (`model.layers.0.self_attn.q_proj`, without `base_model.model.`).
 *
 * The patterns come from an adapter's config, which anyone can publish, so they run on RE2
 * (re2js), whose matching takes time linear in the module name: V8's backtracking engine took
 * 79 s on one `(.*)*x`. RE2 has the syntax adapters use (classes, groups, alternation,
 * quantifiers); it refuses backreferences and lookaround, which PEFT configs do not use.
 */

function compile(pattern: string, field: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (cause) {
    throw new LoraError(
      'LORA_CONFIG_INVALID',
      `adapter_config.json ${field} is not a valid regex: ${pattern}`,
      {
        cause,
      },
    );
  }
}

const DEFAULT_LAYER_PATTERN = RE2JS.compile('^.*\\.[^.]*\\.(\\d+)\\.');

/** The layer index PEFT reads from a module name, or undefined when it finds none. */
function layerIndex(
  module: string,
  layersPattern: AdapterConfig['layers_pattern'],
): number | undefined {
  const patterns =
    layersPattern === null || (Array.isArray(layersPattern) && layersPattern.length === 0)
      ? undefined
      : typeof layersPattern === 'string'
        ? [layersPattern]
        : layersPattern;
  const regexes =
    patterns === undefined
      ? [DEFAULT_LAYER_PATTERN]
      : patterns.map((p) => compile(`^.*\\.${p}\\.(\\d+)\\.`, 'layers_pattern'));
  for (const regex of regexes) {
    const match = regex.matcher(module);
    if (match.find()) {
      const index = match.group(1);
      if (index !== null) return Number(index);
    }
  }
  return undefined;
}

/** PEFT's shorthand for every linear layer except the output head. */
const ALL_LINEAR = 'all-linear';

/** PEFT's `exclude_modules`: a full-match regex, or names matched exactly or as a dotted suffix. */
function isExcluded(exclude: AdapterConfig['exclude_modules'], module: string): boolean {
  if (exclude === null) return false;
  if (typeof exclude === 'string')
    return compile(`(?:${exclude})`, 'exclude_modules').matches(module);
  return exclude.some((e) => module === e || module.endsWith(`.${e}`));
}

/**
 * Whether the adapter targets `module`: a string is a full-match regex (or `all-linear`); a
 * list matches the exact name or a dotted suffix, and only then are `layers_to_transform` applied (PEFT
 * ignores layer filters for regex targets). `exclude_modules` wins over all of it.
 */
export function isTargetModule(config: AdapterConfig, module: string): boolean {
  const targets = config.target_modules;
  if (targets === null || isExcluded(config.exclude_modules, module)) return false;
  if (targets === ALL_LINEAR) return !module.split('.').includes('lm_head');
  if (typeof targets === 'string')
    return compile(`(?:${targets})`, 'target_modules').matches(module);
  if (targets.includes(module)) return true;
  if (!targets.some((t) => module.endsWith(`.${t}`))) return false;
  const layers = config.layers_to_transform;
  if (layers === null || (Array.isArray(layers) && layers.length === 0)) return true;
  const index = layerIndex(module, config.layers_pattern);
  if (index === undefined) return false;
  return typeof layers === 'number' ? index === layers : layers.includes(index);
}

/** The first `rank_pattern`/`alpha_pattern` key that names `module` or one of its dotted suffixes. */
export function patternKey(
  keys: readonly string[],
  module: string,
  field: string,
): string | undefined {
  return keys.find((key) => compile(`(.*\\.)?(${key})`, field).matches(module));
}

/** Rank and alpha for one module after the patterns, and the scale folded into B. */
export interface ModuleScaling {
  readonly rank: number;
  readonly alpha: number;
  readonly scale: number;
}

export function moduleScaling(config: AdapterConfig, module: string): ModuleScaling {
  const ranks = config.rank_pattern ?? {};
  const alphas = config.alpha_pattern ?? {};
  const rankKey = patternKey(Object.keys(ranks), module, 'rank_pattern');
  const alphaKey = patternKey(Object.keys(alphas), module, 'alpha_pattern');
  const rank = rankKey === undefined ? config.r : ranks[rankKey]!;
  const alpha = alphaKey === undefined ? config.lora_alpha : alphas[alphaKey]!;
  const scale = config.use_rslora ? alpha / Math.sqrt(rank) : alpha / rank;
  return { rank, alpha, scale };
}
