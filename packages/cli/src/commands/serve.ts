import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { booleanFlag, integerIn, untilAborted } from '@signal/chain';
import { apiKeyFileAuth, loadHostedModel, startServe } from '@signal/proxy';
import { isHubRef, MODEL_DTYPE_SUFFIXES, type ModelDtype, parseHubRef } from '@signal/runtime';
import { Command, Option } from 'commander';
import { pino } from 'pino';
import { stopOnSignals } from '../options/stopOnSignals';

interface ServeFlags {
  model: string;
  dtype?: ModelDtype;
  servedModelName?: string;
  chatTemplate?: string;
  host: string;
  port: number;
  'serve.apiKeys'?: string;
  'serve.maxTokens': number;
  'runtime.threads'?: number;
  'runtime.workers'?: number;
  'runtime.queue_size'?: number;
  'logging.debug'?: boolean;
}

const env = (name: string) => `SIGNAL_SERVE_${name}`;

/** `signal serve`: an OpenAI-compatible server over one model of the runtime, until Ctrl-C. */
export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'Serve a model over an OpenAI-compatible API (/v1/chat/completions, /v1/completions, /v1/models)',
    )
    .addOption(
      new Option(
        '--model <dir|hf:org/name@rev>',
        'model directory (any supported ONNX layout), or a Hub model pulled into the huggingface_hub cache',
      )
        .env(env('MODEL'))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--dtype <dtype>', 'the variant to load (and pull), as transformers.js names it')
        .choices(Object.keys(MODEL_DTYPE_SUFFIXES))
        .env(env('DTYPE')),
    )
    .addOption(
      new Option(
        '--served-model-name <name>',
        'the model id clients ask for [the directory name, or org/name for hf:]',
      ).env(env('MODEL_NAME')),
    )
    .addOption(
      new Option(
        '--chat-template <file>',
        "a Jinja chat template instead of the tokenizer config's",
      ).env(env('CHAT_TEMPLATE')),
    )
    .addOption(
      new Option('--host <address>', 'address to listen on').env(env('HOST')).default('127.0.0.1'),
    )
    .addOption(
      new Option('--port <n>', 'port to listen on (0: any free port)')
        .env(env('PORT'))
        .argParser(integerIn('--port', 0, 65_535))
        .default(8000),
    )
    .addOption(
      new Option('--serve.api-keys <file>', 'accept only keys of this gateway key file').env(
        env('API_KEYS'),
      ),
    )
    .addOption(
      new Option('--serve.max-tokens <n>', 'completion length when a request sets no max_tokens')
        .env(env('MAX_TOKENS'))
        .argParser(integerIn('--serve.max-tokens', 1, 1_000_000))
        .default(256),
    )
    .addOption(
      new Option('--runtime.threads <n>', "cores the model's worker threads may use [every core]")
        .env(env('THREADS'))
        .argParser(integerIn('--runtime.threads', 1, 1_024)),
    )
    .addOption(
      new Option('--runtime.workers <n>', 'model worker threads, each with its own copy [1]')
        .env(env('WORKERS'))
        .argParser(integerIn('--runtime.workers', 1, 1_024)),
    )
    .addOption(
      new Option(
        '--runtime.queue_size <n>',
        'generations that may wait before requests are refused (503) [32]',
      )
        .env(env('QUEUE_SIZE'))
        .argParser(integerIn('--runtime.queue_size', 0, 1_000_000)),
    )
    .addOption(
      new Option('--logging.debug [on]', 'debug logs')
        .env(env('DEBUG'))
        .argParser(booleanFlag('--logging.debug')),
    )
    .showHelpAfterError()
    .exitOverride()
    .action(async (flags: ServeFlags) => {
      const logger = pino(
        { name: 'signal-serve', level: flags['logging.debug'] ? 'debug' : 'info' },
        pino.destination(2),
      );
      const hub = isHubRef(flags.model);
      const location = hub ? flags.model : resolve(flags.model);
      const stop = stopOnSignals();
      const model = await loadHostedModel(location, {
        ...(flags.dtype ? { dtype: flags.dtype } : {}),
        ...(flags['runtime.threads'] === undefined ? {} : { threads: flags['runtime.threads'] }),
        ...(flags['runtime.workers'] === undefined ? {} : { workers: flags['runtime.workers'] }),
        ...(flags['runtime.queue_size'] === undefined
          ? {}
          : { queueSize: flags['runtime.queue_size'] }),
        hub: {
          signal: stop.signal,
          onProgress: (event) => {
            if (event.type === 'done') logger.info(event, 'model ready in the Hub cache');
          },
        },
      });
      try {
        const serve = await startServe({
          model,
          modelName:
            flags.servedModelName ?? (hub ? parseHubRef(location).repo : basename(location)),
          chatTemplate: flags.chatTemplate ? await readFile(flags.chatTemplate, 'utf8') : undefined,
          ...(flags['serve.apiKeys'] ? { auth: await apiKeyFileAuth(flags['serve.apiKeys']) } : {}),
          defaultMaxTokens: flags['serve.maxTokens'],
          host: flags.host,
          port: flags.port,
          logger,
        });
        process.stderr.write(`signal serve: listening on ${serve.url}/v1\n`);
        await untilAborted(stop.signal);
        logger.info('shutting down');
        await serve.close();
      } finally {
        await model.close();
        stop.release();
        logger.flush();
      }
    });
}
