import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHostedModel, type RunningServe, type ServeModel, startServe } from '@signal/proxy';
import { buildModel, CausalLM, kvCacheToPayload } from '@signal/runtime';
import OpenAI from 'openai';
import { pino } from 'pino';

const MODEL = 'signal/tiny';
let dir: string;
let model: ServeModel;
let serve: RunningServe;
let client: OpenAI;
const extra: { close(): Promise<unknown> }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signal-serve-'));
  await buildModel({ arch: 'llama', size: 'tiny', seed: 11, outDir: join(dir, 'tiny') });
  model = await loadHostedModel(join(dir, 'tiny'), { threads: 1 });
  serve = await startServe({ model, modelName: MODEL, logger: pino({ level: 'silent' }) });
  client = new OpenAI({ baseURL: `${serve.url}/v1`, apiKey: 'none', maxRetries: 0 });
});

afterEach(async () => {
  while (extra.length > 0) await extra.pop()!.close();
});

afterAll(async () => {
  await serve.close();
  await model.close();
  await rm(dir, { recursive: true, force: true });
});

const question = [{ role: 'user' as const, content: 'Tell me about the sea.' }];

async function greedy(maxTokens: number, messages = question) {
  return client.chat.completions.create({
    model: MODEL,
    messages,
    temperature: 0,
    max_tokens: maxTokens,
  });
}

function chatIds(messages: { role: string; content: string }[]): number[] {
  return model.tokenizer.encode(model.tokenizer.applyChatTemplate(messages), {
    addSpecialTokens: false,
  });
}

describe('signal serve', () => {
  it('lists its model and reports health', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual([MODEL]);
    const health = (await (await fetch(`${serve.url}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', model: MODEL });
  });

  it('answers a chat completion through the chat template and honours max_tokens', async () => {
    const completion = await greedy(5);
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]!.finish_reason).toBe('length');
    expect(completion.usage).toEqual({
      prompt_tokens: chatIds(question).length,
      completion_tokens: 5,
      total_tokens: chatIds(question).length + 5,
    });
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(0);
  });

  it('streams the same answer in deltas, with the usage chunk last', async () => {
    const whole = await greedy(8);
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: question,
      temperature: 0,
      max_tokens: 8,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(whole.choices[0]!.message.content);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(whole.usage);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('length');
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('stops before a stop string and says why', async () => {
    const whole = (await greedy(12)).choices[0]!.message.content!;
    const stop = whole.slice(3, 6);
    const stopped = await client.chat.completions.create({
      model: MODEL,
      messages: question,
      temperature: 0,
      max_tokens: 12,
      stop: [stop],
    });
    expect(stopped.choices[0]!.finish_reason).toBe('stop');
    expect(stopped.choices[0]!.message.content).toBe(whole.slice(0, whole.indexOf(stop)));
  });

  it('stops on the EOS ids of generation_config.json', async () => {
    const first = (await client.completions.create({
      model: MODEL,
      prompt: [chatIds(question)],
      temperature: 0,
      max_tokens: 1,
    })) as OpenAI.Completion;
    const lm = await CausalLM.load(join(dir, 'tiny'));
    const [token] = (await lm.generateText(chatIds(question), { maxNewTokens: 1 })).tokens;
    await lm.dispose();
    const eosDir = join(dir, 'eos');
    await cp(join(dir, 'tiny'), eosDir, { recursive: true });
    await writeFile(
      join(eosDir, 'generation_config.json'),
      JSON.stringify({ eos_token_id: [2, token] }),
    );
    const eosModel = await loadHostedModel(eosDir, { threads: 1 });
    const eosServe = await startServe({
      model: eosModel,
      modelName: MODEL,
      logger: pino({ level: 'silent' }),
    });
    extra.push(eosModel, eosServe);
    const eosClient = new OpenAI({ baseURL: `${eosServe.url}/v1`, apiKey: 'none', maxRetries: 0 });
    const stopped = await eosClient.chat.completions.create({
      model: MODEL,
      messages: question,
      temperature: 0,
      max_tokens: 10,
    });
    expect(first.choices[0]!.text.length).toBeGreaterThan(0);
    expect(stopped.choices[0]!.finish_reason).toBe('stop');
    expect(stopped.choices[0]!.message.content).toBe('');
    expect(stopped.usage!.completion_tokens).toBe(0);
  });

  it('samples reproducibly with a seed, and top_p 0 is greedy', async () => {
    const sample = (seed: number) =>
      client.chat.completions.create({
        model: MODEL,
        messages: question,
        temperature: 1.5,
        max_tokens: 10,
        seed,
      });
    const a = await sample(5);
    const b = await sample(5);
    expect(a.choices[0]!.message.content).toBe(b.choices[0]!.message.content);
    const topP = await client.chat.completions.create({
      model: MODEL,
      messages: question,
      top_p: 0,
      max_tokens: 6,
    });
    expect(topP.choices[0]!.message.content).toBe((await greedy(6)).choices[0]!.message.content);
  });

  it('answers text completions, streamed and not', async () => {
    const whole = await client.completions.create({
      model: MODEL,
      prompt: 'The sea is',
      temperature: 0,
      max_tokens: 6,
    });
    expect(whole.object).toBe('text_completion');
    expect(whole.usage!.prompt_tokens).toBe(model.tokenizer.encode('The sea is').length);
    const stream = await client.completions.create({
      model: MODEL,
      prompt: 'The sea is',
      temperature: 0,
      max_tokens: 6,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe(whole.choices[0]!.text);
  });

  it('continues from a KV payload in signal_condensed exactly as from the full prompt', async () => {
    const lm = await CausalLM.load(join(dir, 'tiny'));
    const context = 'The lighthouse keeper counted ships every night.';
    const contextIds = lm.tokenizer.encode(context);
    const { cache } = await lm.prefill(contextIds);
    const payload = kvCacheToPayload(cache, { model: MODEL, dtype: 'float32' });
    await lm.dispose();
    const condensed = (await client.chat.completions.create({
      model: MODEL,
      messages: question,
      temperature: 0,
      max_tokens: 6,
      // @ts-expect-error the extension field is ours
      signal_condensed: payload,
    })) as OpenAI.ChatCompletion;
    const conversation = chatIds(question);
    const withoutBos =
      conversation[0] === model.tokenizer.special.bos ? conversation.slice(1) : conversation;
    const full = await client.completions.create({
      model: MODEL,
      prompt: [[...contextIds, ...withoutBos]],
      temperature: 0,
      max_tokens: 6,
    });
    expect(condensed.choices[0]!.message.content).toBe(full.choices[0]!.text);
    expect(condensed.usage!.prompt_tokens).toBe(contextIds.length + withoutBos.length);
  });

  it('continues from a text payload', async () => {
    const text = 'Ships pass at night.';
    const payload = {
      format: 'text',
      model: MODEL,
      text,
      original_tokens: 40,
      condensed_tokens: 6,
    };
    const condensed = await client.completions.create({
      model: MODEL,
      prompt: 'So the keeper',
      temperature: 0,
      max_tokens: 4,
      // @ts-expect-error the extension field is ours
      signal_condensed: payload,
    });
    const ids = [
      ...model.tokenizer.encode(text),
      ...model.tokenizer.encode('So the keeper', { addSpecialTokens: false }),
    ];
    const full = await client.completions.create({
      model: MODEL,
      prompt: [ids],
      temperature: 0,
      max_tokens: 4,
    });
    expect(condensed.choices[0]!.text).toBe(full.choices[0]!.text);
    expect(condensed.usage!.prompt_tokens).toBe(ids.length);
  });

  it('stops generating when the client goes away', async () => {
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: MODEL, messages: question, temperature: 0, max_tokens: 1_500, stream: true },
      { signal: controller.signal },
    );
    for await (const _chunk of stream) {
      controller.abort();
    }
    for (;;) {
      const metrics = await serve.metrics.active.get();
      if (metrics.values[0]!.value === 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const generated = (await serve.metrics.completionTokens.get()).values[0]!.value;
    expect(generated).toBeLessThan(1_500);
  });

  it("answers chat on the recall model out of the box, from its tokenizer's template", async () => {
    const recallDir = join(dir, 'recall');
    await buildModel({ arch: 'llama', preset: 'recall', outDir: recallDir });
    const recall = await loadHostedModel(recallDir, { threads: 1 });
    const served = await startServe({
      model: recall,
      modelName: 'recall',
      logger: pino({ level: 'silent' }),
    });
    extra.push(recall, served);
    const answer = await new OpenAI({
      baseURL: `${served.url}/v1`,
      apiKey: 'none',
      maxRetries: 0,
    }).chat.completions.create({
      model: 'recall',
      messages: [
        { role: 'user', content: 'k01 v07 v12 ; the and of , k03 v02 v30 ;' },
        { role: 'user', content: 'k01' },
      ],
      temperature: 0,
      max_tokens: 2,
    });
    expect(answer.choices[0]!.message.content).toBe('v07 v12');
  });
});

describe('signal serve: refusals', () => {
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
    );
  const chat = (body: Record<string, unknown>) =>
    refusal(
      client.chat.completions.create({
        model: MODEL,
        messages: question,
        ...body,
      } as OpenAI.ChatCompletionCreateParamsNonStreaming),
    );

  it.each([
    ['an unknown model', { model: 'gpt-9' }, 404, 'model', 'model_not_found'],
    ['n = 2', { n: 2 }, 400, 'n', 'invalid_value'],
    [
      'max_tokens past the context',
      { max_tokens: 100_000 },
      400,
      'max_tokens',
      'context_length_exceeded',
    ],
    [
      'tools',
      { tools: [{ type: 'function', function: { name: 'f' } }] },
      400,
      'tools',
      'unsupported_parameter',
    ],
    ['logprobs', { logprobs: true }, 400, 'logprobs', 'unsupported_parameter'],
    [
      'an image part',
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] },
      400,
      'messages[0].content',
      'unsupported_content',
    ],
    [
      'a payload for another model',
      {
        signal_condensed: {
          format: 'text',
          model: 'other',
          text: 'x',
          original_tokens: 2,
          condensed_tokens: 1,
        },
      },
      400,
      'signal_condensed.model',
      'invalid_condensed_payload',
    ],
    [
      'a malformed payload',
      { signal_condensed: { format: 'kv', model: MODEL } },
      400,
      'signal_condensed',
      'invalid_condensed_payload',
    ],
  ])('refuses %s', async (_name, body, status, param, code) => {
    const error = await chat(body);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error?.status).toBe(status);
    expect(error?.param?.startsWith(param)).toBe(true);
    expect(error?.code).toBe(code);
  });

  it('refuses a KV payload of the wrong shape by its field', async () => {
    const lm = await CausalLM.load(join(dir, 'tiny'));
    const { cache } = await lm.prefill(lm.tokenizer.encode('a context'));
    const payload = kvCacheToPayload(cache, { model: MODEL });
    await lm.dispose();
    payload.layers = payload.layers.slice(1);
    const error = await chat({ signal_condensed: payload });
    expect(error?.status).toBe(400);
    expect(error?.param).toMatch(/^signal_condensed\.layers/);
  });

  it('refuses bad completion prompts', async () => {
    const two = await refusal(client.completions.create({ model: MODEL, prompt: ['a', 'b'] }));
    expect(two?.param).toBe('prompt');
    const outside = await refusal(
      client.completions.create({ model: MODEL, prompt: [[1, 999_999]] }),
    );
    expect(outside?.param).toBe('prompt');
    const echo = await refusal(
      client.completions.create({ model: MODEL, prompt: 'a', echo: true }),
    );
    expect(echo?.param).toBe('echo');
  });

  it('refuses chat for a model with no chat template unless one is given', async () => {
    // The recall model, as an export whose tokenizer config carries no template.
    const bareDir = join(dir, 'recall-no-template');
    await buildModel({ arch: 'llama', preset: 'recall', outDir: bareDir });
    const configPath = join(bareDir, 'tokenizer_config.json');
    const { chat_template: _dropped, ...config } = JSON.parse(await readFile(configPath, 'utf8'));
    await writeFile(configPath, JSON.stringify(config));
    const recall = await loadHostedModel(bareDir, { threads: 1 });
    const bare = await startServe({
      model: recall,
      modelName: 'recall',
      logger: pino({ level: 'silent' }),
    });
    const templated = await startServe({
      model: recall,
      modelName: 'recall',
      chatTemplate: "{{ bos_token }}{% for m in messages %}{{ m['content'] }} {% endfor %}",
      logger: pino({ level: 'silent' }),
    });
    extra.push(recall, bare, templated);
    const ask = (url: string) =>
      new OpenAI({ baseURL: `${url}/v1`, apiKey: 'none', maxRetries: 0 }).chat.completions.create({
        model: 'recall',
        messages: [{ role: 'user', content: 'k01 v07 ; the and of , k01' }],
        temperature: 0,
        max_tokens: 1,
      });
    const error = await refusal(ask(bare.url));
    expect(error?.status).toBe(400);
    expect(error?.code).toBe('no_chat_template');
    expect((await ask(templated.url)).choices[0]!.message.content).toBe('v07');
  });
});
