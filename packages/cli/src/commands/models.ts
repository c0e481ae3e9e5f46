import { buildModel } from '@signal/runtime';
import { Command, InvalidArgumentError, Option } from 'commander';

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
  size: 'tiny' | 'small';
  seed: number;
  out: string;
  inputsEmbeds?: boolean;
  numLogitsToKeep?: boolean;
  tieWordEmbeddings?: boolean;
  exposeQueries?: boolean;
}

/** `signal models build`: writes a small seeded Llama model directory (tests, devnet). */
export function modelsCommand(
  output: ModelsCommandOutput = (text) => process.stdout.write(text),
): Command {
  // addCommand() does not pass the parent's settings down, so subcommands set exitOverride
  // themselves: a bad flag throws a CommanderError instead of exiting the host process.
  const models = new Command('models')
    .description('Model directories: build small seeded models for tests and the devnet')
    .showHelpAfterError()
    .exitOverride();

  models
    .command('build')
    .description('Write a seeded Llama model directory (config, tokenizer, onnx/model.onnx)')
    .addOption(new Option('--arch <arch>', 'architecture').choices(['llama']).default('llama'))
    .addOption(
      new Option('--size <size>', 'tiny: 2 layers, hidden 64; small: 4 layers, hidden 256')
        .choices(['tiny', 'small'])
        .makeOptionMandatory(),
    )
    .requiredOption('--seed <n>', 'weight seed, an integer in [0, 2^32)', seed)
    .requiredOption('--out <dir>', 'output model directory')
    .option('--inputs-embeds', 'take inputs_embeds instead of input_ids (+ onnx/embed_tokens.onnx)')
    .option('--num-logits-to-keep', 'add the num_logits_to_keep int64 scalar input')
    .option('--tie-word-embeddings', 'share the embedding matrix with lm_head')
    .option('--expose-queries', 'add queries.N outputs (post-RoPE attention queries)')
    .showHelpAfterError()
    .exitOverride()
    .action(async (flags: BuildFlags) => {
      const built = await buildModel({
        arch: flags.arch,
        size: flags.size,
        seed: flags.seed,
        outDir: flags.out,
        inputsEmbeds: flags.inputsEmbeds ?? false,
        numLogitsToKeep: flags.numLogitsToKeep ?? false,
        tieWordEmbeddings: flags.tieWordEmbeddings ?? false,
        exposeQueries: flags.exposeQueries ?? false,
      });
      output(
        `${JSON.stringify(
          {
            dir: built.dir,
            files: built.files,
            config: {
              hidden_size: built.config.hidden_size,
              num_hidden_layers: built.config.num_hidden_layers,
              num_attention_heads: built.config.num_attention_heads,
              num_key_value_heads: built.config.num_key_value_heads,
              vocab_size: built.config.vocab_size,
              tie_word_embeddings: built.config.tie_word_embeddings,
            },
          },
          null,
          2,
        )}\n`,
      );
    });
  return models;
}
