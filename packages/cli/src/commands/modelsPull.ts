import { MODEL_DTYPE_SUFFIXES, type ModelDtype, pullModel } from '@signal/runtime';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  jsonLinesProgress,
  type PullProgressReporter,
  terminalProgress,
} from '../output/pullProgress';

interface PullFlags {
  dtype: ModelDtype;
  kind: 'model' | 'adapter' | 'all';
  concurrency: number;
  cacheDir?: string;
  json?: boolean;
}

function concurrency(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 64) {
    throw new InvalidArgumentError('--concurrency must be an integer in [1, 64]');
  }
  return value;
}

/**
 * `signal models pull <repo>[@revision]`: downloads a model variant (or an adapter) from the
 * Hugging Face Hub into the huggingface_hub cache and prints the snapshot directory to load.
 * On a terminal (stdout and stderr both), bars on stderr and the directory on stdout;
 * otherwise (or with `--json`) JSON-lines progress on stdout, the last line `pulled`.
 */
export function modelsPullCommand(): Command {
  return new Command('pull')
    .description(
      'Download a model variant (or adapter) from the Hugging Face Hub into the huggingface_hub cache (HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE, HF_HUB_OFFLINE)',
    )
    .argument('<repo>', 'org/name, org/name@revision or hf:org/name@revision[/subfolder]')
    .addOption(
      new Option('--dtype <dtype>', 'the variant to fetch, as transformers.js names it')
        .choices(Object.keys(MODEL_DTYPE_SUFFIXES))
        .default('fp32')
        .env('SIGNAL_MODEL_DTYPE'),
    )
    .addOption(
      new Option(
        '--kind <kind>',
        "model: the variant's files; adapter: a PEFT adapter; all: every file",
      )
        .choices(['model', 'adapter', 'all'])
        .default('model'),
    )
    .addOption(
      new Option('--concurrency <n>', 'files downloaded at once')
        .argParser(concurrency)
        .default(4)
        .env('SIGNAL_PULL_CONCURRENCY'),
    )
    .addOption(new Option('--cache-dir <dir>', 'the huggingface_hub cache (default HF_HUB_CACHE)'))
    .option('--json', 'print JSON-lines progress even on a terminal')
    .showHelpAfterError()
    .exitOverride()
    .action(async (repo: string, flags: PullFlags) => {
      const write = (text: string) => process.stdout.write(text);
      // A program reading stdout gets JSON lines; a person at a terminal gets bars on stderr.
      const onTerminal =
        !flags.json && process.stdout.isTTY === true && process.stderr.isTTY === true;
      const reporter: PullProgressReporter = onTerminal
        ? terminalProgress()
        : jsonLinesProgress(write);
      try {
        const pulled = await pullModel(repo, {
          kind: flags.kind,
          dtype: flags.dtype,
          concurrency: flags.concurrency,
          onProgress: (event) => reporter.report(event),
          ...(flags.cacheDir ? { settings: { cacheDir: flags.cacheDir } } : {}),
        });
        reporter.finish();
        if (onTerminal) {
          write(`${pulled.dir}\n`);
          return;
        }
        write(
          `${JSON.stringify({
            type: 'pulled',
            dir: pulled.dir,
            repo: pulled.ref.repo,
            revision: pulled.ref.revision,
            commit: pulled.commit,
            files: pulled.files,
            downloadedBytes: pulled.downloadedBytes,
          })}\n`,
        );
      } catch (error) {
        reporter.finish();
        throw error;
      }
    });
}
