import { buildTestAdapter, graftLora } from '@signal/lora';
import { Command, InvalidArgumentError, Option } from 'commander';
import { prettyJson } from '../output/prettyJson';

/** Where command results go; the CLI prints JSON so scripts can consume it. */
export type LoraCommandOutput = (text: string) => void;

function positiveInt(flag: string) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new InvalidArgumentError(`${flag} must be a positive integer`);
    return value;
  };
}

function nonNegativeInt(raw: string): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) {
    throw new InvalidArgumentError('--seed must be an integer in [0, 2^32)');
  }
  return value;
}

function finiteNumber(raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new InvalidArgumentError('--alpha must be a number');
  return value;
}

/** `q_proj,k_proj` → a list (PEFT suffix matching); a single `re:<regex>` → a full-match regex. */
function targetList(raw: string): string[] | string {
  if (raw.startsWith('re:')) return raw.slice(3);
  const list = raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (list.length === 0) throw new InvalidArgumentError('--targets needs at least one module name');
  return list;
}

/** `signal lora graft` and `signal lora build-test`. */
export function loraCommand(
  output: LoraCommandOutput = (text) => process.stdout.write(text),
): Command {
  // addCommand() does not pass the parent's settings down, so the subcommands inherit
  // exitOverride from here: a bad flag throws instead of exiting the host process.
  const lora = new Command('lora')
    .description('LoRA adapters: graft a base model, build test adapters')
    .showHelpAfterError()
    .exitOverride();

  lora
    .command('graft')
    .description('Graft LoRA inputs into a model directory (cached; reused when up to date)')
    .requiredOption('--model <dir>', 'base model directory (Hugging Face layout)')
    .requiredOption(
      '--targets <modules>',
      'comma-separated module names, or re:<regex>',
      targetList,
    )
    .option('--out <dir>', 'output model directory (default: beside the base)')
    .option('--max-rank <r>', 'largest adapter rank to accept', positiveInt('--max-rank'))
    .action(
      async (options: {
        model: string;
        targets: string[] | string;
        out?: string;
        maxRank?: number;
      }) => {
        const graft = await graftLora(options.model, {
          targets: options.targets,
          outDir: options.out,
          maxRank: options.maxRank,
        });
        output(
          prettyJson({
            dir: graft.dir,
            model: graft.modelPath,
            reused: graft.reused,
            modules: graft.targets.map((t) => t.module),
          }),
        );
      },
    );

  lora
    .command('build-test')
    .description('Write a PEFT adapter with seeded weights for a base model')
    .requiredOption('--model <dir>', 'base model directory')
    .requiredOption('--rank <r>', 'LoRA rank', positiveInt('--rank'))
    .requiredOption(
      '--targets <modules>',
      'comma-separated module names, or re:<regex>',
      targetList,
    )
    .requiredOption('--seed <n>', 'weight seed', nonNegativeInt)
    .requiredOption('--out <dir>', 'adapter directory to write')
    .option('--alpha <a>', 'lora_alpha (default: the rank)', finiteNumber)
    .option('--rslora', 'scale by alpha/sqrt(r) instead of alpha/r')
    .addOption(
      new Option('--dtype <dtype>', 'weight dtype')
        .choices(['fp32', 'fp16', 'bf16'])
        .default('fp32'),
    )
    .action(
      async (options: {
        model: string;
        rank: number;
        targets: string[] | string;
        seed: number;
        out: string;
        alpha?: number;
        rslora?: boolean;
        dtype: 'fp32' | 'fp16' | 'bf16';
      }) => {
        const written = await buildTestAdapter(options.model, {
          outDir: options.out,
          seed: options.seed,
          dtype: options.dtype,
          config: {
            r: options.rank,
            lora_alpha: options.alpha ?? options.rank,
            use_rslora: options.rslora ?? false,
            target_modules: options.targets,
          },
        });
        output(prettyJson({ dir: written.dir, modules: written.modules }));
      },
    );

  return lora;
}
