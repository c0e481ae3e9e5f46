import { readFile } from 'node:fs/promises';
import {
  booleanFlag,
  integerIn,
  loadWallet,
  type NeuronFlags,
  neuronCommand,
  openChain,
  resolveNeuronSettings,
  untilAborted,
} from '@signal/chain';
import { SignalClient } from '@signal/client';
import { DEFAULT_TIERS, loadTiers, serveMetrics } from '@signal/core';
import { apiKeyFileAuth, type ProxyAuth, startProxy } from '@signal/proxy';
import { TextTokenizer } from '@signal/runtime';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { stopOnSignals } from '../options/stopOnSignals';

interface ProxyFlags extends NeuronFlags {
  upstream: string;
  'upstream.apiKey'?: string;
  host: string;
  port: number;
  'gateway.url'?: string;
  'gateway.apiKey'?: string;
  'proxy.condense': boolean;
  'proxy.minTokens': number;
  'proxy.keepSystem': boolean;
  'proxy.keepLastUser': boolean;
  'proxy.format': 'text' | 'kv' | 'soft';
  'proxy.tier'?: string;
  'proxy.targetModel'?: string;
  'proxy.tiers'?: string;
  'proxy.condenseTimeout': number;
  'proxy.requireCondense': boolean;
  'proxy.cacheBytes': number;
  'proxy.auth'?: 'keys' | 'passthrough' | 'none';
  'proxy.apiKeys'?: string;
  'proxy.tokenizer'?: string;
}

const PREFIX = 'SIGNAL_PROXY';
const option = (flags: string, description: string, name: string) =>
  new Option(flags, description).env(`${PREFIX}_${name}`);

function oneOf<T extends string>(flag: string, values: readonly T[]): (raw: string) => T {
  return (raw) => {
    if (!values.includes(raw as T)) {
      throw new InvalidArgumentError(`${flag} takes one of ${values.join(', ')}, got "${raw}".`);
    }
    return raw as T;
  };
}

/**
 * `signal proxy`: the OpenAI-compatible front that condenses long messages through the
 * subnet, in gateway mode (`--gateway.url`, `--gateway.api-key`) or direct mode (the
 * Bittensor wallet, network and netuid flags), then forwards to `--upstream`.
 */
export function proxyCommand(): Command {
  const command = neuronCommand({
    name: 'proxy',
    description:
      'Front an OpenAI-compatible upstream: condense long prompts through the subnet, then forward',
    envPrefix: PREFIX,
    metricsDescription: 'also serve /metrics on this port [only on --port]',
    options: [
      option(
        '--upstream <url>',
        "the upstream's OpenAI base URL, e.g. http://127.0.0.1:8000/v1",
        'UPSTREAM',
      ).makeOptionMandatory(),
      option(
        '--upstream.api-key <key>',
        'key the proxy sends upstream (with --proxy.auth keys or none)',
        'UPSTREAM_API_KEY',
      ),
      option('--host <address>', 'address to listen on', 'HOST').default('127.0.0.1'),
      option('--port <n>', 'port to listen on (0: any free port)', 'PORT')
        .argParser(integerIn('--port', 0, 65_535))
        .default(8100),
      option('--gateway.url <url>', 'condense through this validator gateway', 'GATEWAY_URL'),
      option('--gateway.api-key <key>', "the gateway's API key", 'GATEWAY_API_KEY'),
      option('--proxy.condense [on]', 'condense at all (off: forward only)', 'CONDENSE')
        .argParser(booleanFlag('--proxy.condense'))
        .default(true),
      option('--proxy.min-tokens <n>', 'a message this long is condensed', 'MIN_TOKENS')
        .argParser(integerIn('--proxy.min-tokens', 1, 10_000_000))
        .default(1024),
      option('--proxy.keep-system [on]', 'keep system prompts verbatim', 'KEEP_SYSTEM')
        .argParser(booleanFlag('--proxy.keep-system'))
        .default(true),
      option('--proxy.keep-last-user [on]', 'keep the last user turn verbatim', 'KEEP_LAST_USER')
        .argParser(booleanFlag('--proxy.keep-last-user'))
        .default(true),
      option(
        '--proxy.format <format>',
        'text (any upstream) | kv | soft (signal serve on the target model)',
        'FORMAT',
      )
        .argParser(oneOf('--proxy.format', ['text', 'kv', 'soft'] as const))
        .default('text'),
      option('--proxy.tier <name>', 'tier asked [the first of the table]', 'TIER'),
      option(
        '--proxy.target-model <name>',
        "the subnet's target model [the tier's first]",
        'TARGET_MODEL',
      ),
      option(
        '--proxy.tiers <file>',
        "the subnet's tier table as JSON [the default tiers]",
        'TIERS',
      ),
      option(
        '--proxy.condense-timeout <ms>',
        'forward the original after this long',
        'CONDENSE_TIMEOUT',
      )
        .argParser(integerIn('--proxy.condense-timeout', 1, 3_600_000))
        .default(10_000),
      option(
        '--proxy.require-condense [on]',
        'answer 502 when condensing fails',
        'REQUIRE_CONDENSE',
      )
        .argParser(booleanFlag('--proxy.require-condense'))
        .default(false),
      option(
        '--proxy.cache-bytes <n>',
        'bytes of condensed pieces kept for reuse (0: off)',
        'CACHE_BYTES',
      )
        .argParser(integerIn('--proxy.cache-bytes', 0, Number.MAX_SAFE_INTEGER))
        .default(64 * 1024 * 1024),
      option(
        '--proxy.auth <mode>',
        'keys | passthrough | none [keys with --proxy.api-keys, else passthrough]',
        'AUTH',
      ).argParser(oneOf('--proxy.auth', ['keys', 'passthrough', 'none'] as const)),
      option(
        '--proxy.api-keys <dir>',
        'accept only keys of this gateway file store (signal gateway keys --gateway.store-dir)',
        'API_KEYS',
      ),
      option(
        '--proxy.tokenizer <dir>',
        "count tokens with this model directory's tokenizer",
        'TOKENIZER',
      ),
    ],
  });
  // The proxy runs no model: the neurons' --runtime.* flags are hidden, and refused if given.
  for (const flag of command.options) if (flag.long?.startsWith('--runtime.')) flag.hideHelp();
  return command.action(async (flags: ProxyFlags) => {
    const given = (['runtime.threads', 'runtime.workers', 'runtime.queue_size'] as const).filter(
      (name) => flags[name] !== undefined,
    );
    if (given.length > 0) {
      command.error(`error: signal proxy runs no model; --${given[0]} does nothing here`, {
        exitCode: 2,
      });
    }
    const env = process.env;
    const settings = resolveNeuronSettings(flags, {}, env);
    const logger = pino(
      { name: 'signal-proxy', level: settings.debug ? 'debug' : 'info' },
      pino.destination(2),
    );
    const mode = flags['proxy.auth'] ?? (flags['proxy.apiKeys'] ? 'keys' : 'passthrough');
    if (mode === 'keys' && !flags['proxy.apiKeys']) {
      command.error('error: --proxy.auth keys needs --proxy.api-keys DIR', { exitCode: 2 });
    }
    const keys = mode === 'keys' ? await apiKeyFileAuth(flags['proxy.apiKeys']!) : undefined;
    const auth: ProxyAuth = keys
      ? { mode: 'keys', auth: keys }
      : { mode: mode as 'passthrough' | 'none' };
    const tiers = flags['proxy.tiers']
      ? loadTiers(JSON.parse(await readFile(flags['proxy.tiers'], 'utf8')) as unknown[])
      : DEFAULT_TIERS;
    const closers: (() => Promise<unknown>)[] = keys ? [() => keys.close()] : [];
    const stop = stopOnSignals();
    try {
      let condenser: SignalClient | undefined;
      if (flags['proxy.condense'] && flags['gateway.url']) {
        if (!flags['gateway.apiKey']) {
          command.error('error: --gateway.url needs --gateway.api-key', { exitCode: 2 });
        }
        condenser = new SignalClient({
          gateway: { url: flags['gateway.url'], apiKey: flags['gateway.apiKey']! },
          tiers,
        });
      } else if (flags['proxy.condense'] && flags.netuid !== undefined) {
        const wallet = await loadWallet({ ...settings.wallet, env });
        const chain = await openChain({ network: settings.network });
        closers.push(() => chain.close());
        condenser = new SignalClient({
          direct: { signer: wallet.hotkey, chain, netuid: flags.netuid },
          tiers,
        });
      } else if (flags['proxy.condense']) {
        logger.warn('no --gateway.url and no --netuid: forwarding without condensing');
      }
      if (condenser) closers.unshift(() => condenser.close());
      const tokenizer = flags['proxy.tokenizer']
        ? await TextTokenizer.load(flags['proxy.tokenizer'])
        : undefined;
      const proxy = await startProxy({
        upstream: { baseUrl: flags.upstream, apiKey: flags['upstream.apiKey'] },
        condenser,
        tiers,
        policy: {
          minTokens: flags['proxy.minTokens'],
          keepSystem: flags['proxy.keepSystem'],
          keepLastUser: flags['proxy.keepLastUser'],
          format: flags['proxy.format'],
          ...(flags['proxy.tier'] ? { tier: flags['proxy.tier'] } : {}),
          ...(flags['proxy.targetModel'] ? { targetModel: flags['proxy.targetModel'] } : {}),
        },
        condenseTimeoutMs: flags['proxy.condenseTimeout'],
        requireCondense: flags['proxy.requireCondense'],
        cacheBytes: flags['proxy.cacheBytes'],
        auth,
        ...(tokenizer ? { countTokens: (text: string) => tokenizer.encode(text).length } : {}),
        host: flags.host,
        port: flags.port,
        logger,
      });
      closers.unshift(() => proxy.close());
      if (flags['metrics.port'] !== undefined) {
        const metrics = await serveMetrics(proxy.metrics.registry, {
          host: flags.host,
          port: flags['metrics.port'],
        });
        closers.unshift(() => metrics.close());
      }
      process.stderr.write(`signal proxy: listening on ${proxy.url}/v1\n`);
      await untilAborted(stop.signal);
      logger.info('shutting down');
    } finally {
      for (const close of closers) await close();
      stop.release();
      logger.flush();
    }
  });
}
