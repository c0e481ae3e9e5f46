import {
  type BuildModelOptions,
  buildModel,
  WEIGHT_PRECISIONS,
  type WeightPrecision,
} from '@signal/runtime';
import { Command, InvalidArgumentError, Option } from 'commander';
import { prettyJson } from '../output/prettyJson';
import { modelsPullCommand } from './modelsPull';

/** Where command results go; the CLI prints JSON so scripts can consume it. */
export type ModelsCommandOutput = (text: string) => void;

function seed(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) {
    throw new InvalidArgumentError('--seed must be an integer in [0, 2^32)');
  }
  return value;
}

interface BuildFlags {
  arch: 'llama';
  preset: 'random' | 'recall';
  size?: 'tiny' | 'small';
  seed?: number;
  out: string;
  inputsEmbeds?: boolean;
  numLogitsToKeep?: boolean;
  tieWordEmbeddings?: boolean;
  exposeQueries?: boolean;
  layout: 'onnx-community' | 'optimum' | 'genai';
  dtypes?: WeightPrecision[];
  externalData?: boolean;
}

function dtypeList(raw: string): WeightPrecision[] {
  const dtypes = raw.split(',').map((d) => d.trim());
  for (const dtype of dtypes) {
    if (!(WEIGHT_PRECISIONS as readonly string[]).includes(dtype)) {
      throw new InvalidArgumentError(`--dtypes takes ${WEIGHT_PRECISIONS.join(', ')}`);
    }
  }
  return dtypes as WeightPrecision[];
}

/**
 * The build options for the chosen preset. `--size` and `--seed` are mandatory for seeded
 * random weights and meaningless for the constructed recall model, which commander cannot
 * say declaratively, so the rule is checked here with commander's own error codes.
 */
function buildOptions(flags: BuildFlags, command: Command): BuildModelOptions {
  const common = {
    arch: flags.arch,
    outDir: flags.out,
    inputsEmbeds: flags.inputsEmbeds ?? false,
    numLogitsToKeep: flags.numLogitsToKeep ?? false,
    exposeQueries: flags.exposeQueries ?? false,
    layout: flags.layout,
    ...(flags.dtypes ? { dtypes: flags.dtypes } : {}),
    ...(flags.externalData !== undefined ? { externalData: flags.externalData } : {}),
  };
  if (flags.preset === 'recall') {
    for (const [flag, given] of [
      ['--size', flags.size !== undefined],
      ['--seed', flags.seed !== undefined],
      ['--tie-word-embeddings', flags.tieWordEmbeddings === true],
    ] as const) {
      if (given) {
        command.error(`error: option '${flag}' cannot be used with '--preset recall'`, {
          code: 'commander.conflictingOption',
        });
      }
    }
    return { ...common, preset: 'recall' };
  }
  const required = <T>(value: T | undefined, flag: string): T =>
    value ??
    command.error(`error: required option '${flag}' not specified`, {
      code: 'commander.missingMandatoryOptionValue',
    });
  return {
    ...common,
    preset: 'random',
    size: required(flags.size, '--size <size>'),
    seed: required(flags.seed, '--seed <n>'),
    tieWordEmbeddings: flags.tieWordEmbeddings ?? false,
  };
}

/** `signal models build` (a small seeded or constructed recall Llama model directory) and `signal models pull`. */
export function modelsCommand(
  output: ModelsCommandOutput = (text) => process.stdout.write(text),
): Command {
  // addCommand() does not pass the parent's settings down, so subcommands set exitOverride
  // themselves: a bad flag throws a CommanderError instead of exiting the host process.
  const models = new Command('models')
    .description(
      'Model directories: pull real ones from the Hugging Face Hub, build small seeded ones for tests and the devnet',
    )
    .showHelpAfterError()
    .exitOverride();

  models
    .command('build')
    .description('Write a Llama model directory (config, tokenizer, onnx/model.onnx)')
    .addOption(new Option('--arch <arch>', 'architecture').choices(['llama']).default('llama'))
    .addOption(
      new Option(
        '--preset <preset>',
        'random: seeded random weights; recall: constructed weights that answer key/value recall from context',
      )
        .choices(['random', 'recall'])
        .default('random'),
    )
    .addOption(
      new Option(
        '--size <size>',
        'tiny: 2 layers, hidden 64; small: 4 layers, hidden 256 (random preset, required)',
      ).choices(['tiny', 'small']),
    )
    .option('--seed <n>', 'weight seed, an integer in [0, 2^32) (random preset, required)', seed)
    .requiredOption('--out <dir>', 'output model directory')
    .option('--inputs-embeds', 'take inputs_embeds instead of input_ids (+ onnx/embed_tokens.onnx)')
    .option('--num-logits-to-keep', 'add the num_logits_to_keep int64 scalar input')
    .option('--tie-word-embeddings', 'share the embedding matrix with lm_head')
    .option('--expose-queries', 'add queries.N outputs (post-RoPE attention queries)')
    .addOption(
      new Option(
        '--layout <layout>',
        'onnx-community: onnx/model{suffix}.onnx; optimum: model.onnx at the root; genai: genai_config.json, GroupQueryAttention',
      )
        .choices(['onnx-community', 'optimum', 'genai'])
        .default('onnx-community'),
    )
    .option(
      '--dtypes <list>',
      `weight variants, comma-separated: ${WEIGHT_PRECISIONS.join(', ')}`,
      dtypeList,
    )
    .option('--external-data', 'keep weights in side files (<graph>_data; genai: model.onnx.data)')
    .showHelpAfterError()
    .exitOverride()
    .action(async (flags: BuildFlags, command: Command) => {
      const built = await buildModel(buildOptions(flags, command));
      output(
        prettyJson({
          dir: built.dir,
          preset: flags.preset,
          layout: built.layout,
          files: built.files,
          config: {
            hidden_size: built.config.hidden_size,
            num_hidden_layers: built.config.num_hidden_layers,
            num_attention_heads: built.config.num_attention_heads,
            num_key_value_heads: built.config.num_key_value_heads,
            vocab_size: built.config.vocab_size,
            tie_word_embeddings: built.config.tie_word_embeddings,
          },
        }),
      );
    });
  models.addCommand(modelsPullCommand());
  return models;
}
