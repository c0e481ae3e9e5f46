import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recallVocabulary } from '@signal/runtime';
import { type RecallTask, synthesizeTasks } from '@signal/validator';
import OpenAI from 'openai';
import { DEVNET_MODEL } from '../src/devnet/devnetModels';
import { devnetTiers } from '../src/devnet/devnetTiers';

/*
 * The whole path as a user runs it, as real processes: the official `openai` client talks to
 * `signal proxy`, which condenses through `signal devnet`'s gateway and forwards to
 * `signal serve` on the devnet's recall model (chat through its tokenizer's own template).
 */
const BIN = join(__dirname, '..', 'dist', 'bin.js');
const SEED = 5;
/** The recall model's own template as a file, for the server started with --chat-template. */
const TEMPLATE = "{{ bos_token }}{% for m in messages %}{{ m['content'] }} {% endfor %}";

interface Started {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
let dataDir: string;

function start(args: readonly string[]): Started {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, stderr: () => stderr, exited };
}

/** Resolves with the first match of `pattern` in the process's stderr. */
function waitFor(started: Started, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = started.stderr().match(pattern);
      if (match) {
        started.child.stderr!.off('data', check);
        resolve(match);
      }
    };
    started.child.stderr!.on('data', check);
    started.child.once('close', (code) => reject(new Error(`exited ${code}: ${started.stderr()}`)));
    check();
  });
}

let devnet: Started;
let serve: Started;
let serveUrl: string;
let gatewayUrl: string;
let apiKey: string;
let tiersFile: string;
let task: RecallTask;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'signal-proxy-e2e-'));
  devnet = start([
    'devnet',
    '--keep-running',
    '--json',
    '--miners',
    '3',
    '--tasks',
    '2',
    '--seed',
    String(SEED),
    '--data-dir',
    dataDir,
  ]);
  const running = await waitFor(devnet, /running: gateway (\S+), API key (\S+);/);
  gatewayUrl = running[1]!;
  apiKey = running[2]!;
  await writeFile(join(dataDir, 'recall-template.jinja'), TEMPLATE);
  serve = start([
    'serve',
    '--model',
    join(dataDir, 'models', DEVNET_MODEL.folder),
    '--served-model-name',
    DEVNET_MODEL.name,
    '--port',
    '0',
  ]);
  serveUrl = (await waitFor(serve, /listening on (\S+)\n/))[1]!;
  tiersFile = join(dataDir, 'tiers.json');
  await writeFile(tiersFile, JSON.stringify(devnetTiers()));
  // The devnet client's sample: a recall context and the key it asks about.
  [task] = synthesizeTasks({
    seed: `devnet-client-${SEED}`,
    tier: devnetTiers()[0]!,
    count: 1,
    families: ['recall'],
    recall: { vocabulary: recallVocabulary(), pairs: 4 },
  }) as [RecallTask];
}, 240_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function proxy(...extra: string[]): Promise<{ url: string; started: Started }> {
  const started = start([
    'proxy',
    '--upstream',
    serveUrl,
    '--gateway.url',
    gatewayUrl,
    '--gateway.api-key',
    apiKey,
    '--proxy.tiers',
    tiersFile,
    '--proxy.min-tokens',
    '16',
    '--proxy.condense-timeout',
    '30000',
    '--port',
    '0',
    ...extra,
  ]);
  return { url: (await waitFor(started, /listening on (\S+)\n/))[1]!, started };
}

const client = (url: string) => new OpenAI({ baseURL: url, apiKey: 'unused', maxRetries: 0 });
const ask = (context: string, prompt: string) => ({
  model: DEVNET_MODEL.name,
  messages: [
    { role: 'user' as const, content: context },
    { role: 'user' as const, content: prompt },
  ],
  temperature: 0,
  max_tokens: 4,
  // The recall model repeats its answer; the first word is the whole of it.
  stop: [' '],
});

describe('openai → signal proxy → devnet gateway → signal serve', () => {
  it('answers the devnet question right from the condensed prompt (text), streamed and not', async () => {
    const direct = await client(serveUrl).chat.completions.create(ask(task.context, task.prompt));
    expect(direct.choices[0]!.message.content).toBe(task.expected.answers[0]);

    const { url } = await proxy();
    const { data, response } = await client(url)
      .chat.completions.create(ask(task.context, task.prompt))
      .withResponse();
    expect(response.headers.get('x-signal-condense')).toBe('condensed');
    expect(data.choices[0]!.message.content).toBe(task.expected.answers[0]);
    expect(data.choices[0]!.finish_reason).toBe('stop');
    // The upstream saw fewer prompt tokens than the full prompt has.
    const condensedTokens = Number(response.headers.get('x-signal-condensed-tokens'));
    const originalTokens = Number(response.headers.get('x-signal-original-tokens'));
    expect(condensedTokens).toBeLessThan(originalTokens);
    expect(data.usage!.prompt_tokens).toBeLessThan(direct.usage!.prompt_tokens);
    expect(direct.usage!.prompt_tokens - data.usage!.prompt_tokens).toBe(
      originalTokens - condensedTokens,
    );

    const stream = await client(url).chat.completions.create({
      ...ask(task.context, task.prompt),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(task.expected.answers[0]);
    expect(usage!.prompt_tokens).toBe(data.usage!.prompt_tokens);
  });

  it('answers it from a KV payload in signal_condensed', async () => {
    const { url } = await proxy('--proxy.format', 'kv');
    const { data, response } = await client(url)
      .chat.completions.create(ask(task.context, task.prompt))
      .withResponse();
    expect(response.headers.get('x-signal-condense')).toBe('condensed');
    expect(data.choices[0]!.message.content).toBe(task.expected.answers[0]);
    // Kept positions of the cache plus the question's token.
    expect(data.usage!.prompt_tokens).toBe(
      Number(response.headers.get('x-signal-condensed-tokens')) + 1,
    );
  });

  it('gives a clean error when the upstream dies mid-stream', async () => {
    const doomed = start([
      'serve',
      '--model',
      join(dataDir, 'models', DEVNET_MODEL.folder),
      '--served-model-name',
      DEVNET_MODEL.name,
      '--chat-template',
      join(dataDir, 'recall-template.jinja'),
      '--port',
      '0',
    ]);
    const doomedUrl = (await waitFor(doomed, /listening on (\S+)\n/))[1]!;
    const { url } = await proxy('--upstream', doomedUrl);
    const stream = await client(url).chat.completions.create({
      ...ask(task.context, task.prompt),
      stop: null,
      max_tokens: 4_000,
      stream: true,
    });
    let chunks = 0;
    const failure = await (async () => {
      for await (const _chunk of stream) {
        chunks += 1;
        if (chunks === 2) doomed.child.kill('SIGKILL');
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(chunks).toBeGreaterThanOrEqual(2);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_stream_broken');
  });

  it('falls back to the original prompt when the subnet goes down, and still answers right', async () => {
    const { url } = await proxy();
    devnet.child.kill('SIGTERM');
    await devnet.exited;
    const { data, response } = await client(url)
      .chat.completions.create(ask(`${task.context} , the`, task.prompt))
      .withResponse();
    expect(response.headers.get('x-signal-condense')).toBe('fallback');
    expect(data.choices[0]!.message.content).toBe(task.expected.answers[0]);
  });
});
