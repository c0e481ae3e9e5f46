import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import { buildModel, TextTokenizer } from '@signal/runtime';

let root: string;
let builderDir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-chat-'));
  builderDir = join(root, 'tiny');
  await buildModel({ arch: 'llama', size: 'tiny', seed: 1, outDir: builderDir });
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A copy of the builder's tokenizer with another tokenizer_config.json or chat_template.jinja. */
async function variant(name: string, files: Record<string, string>): Promise<TextTokenizer> {
  const dir = join(root, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tokenizer.json'), await readFile(join(builderDir, 'tokenizer.json')));
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return TextTokenizer.load(dir);
}

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Capital of France?' },
];

describe('applyChatTemplate', () => {
  it("renders the builder's template with its special tokens", async () => {
    const tiny = await TextTokenizer.load(builderDir);
    expect(tiny.chatTemplate).toBeDefined();
    const text = tiny.applyChatTemplate([{ role: 'user', content: 'hi' }]);
    expect(text).toContain('hi');
  });

  it('reads chat_template.jinja when the config has none', async () => {
    const tok = await variant('jinja', {
      'tokenizer_config.json': JSON.stringify({ bos_token: '<s>', eos_token: '</s>' }),
      'chat_template.jinja':
        '{{ bos_token }}{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}',
    });
    expect(tok.applyChatTemplate(messages)).toBe(
      '<s>[system] Be brief.\n[user] Capital of France?\n',
    );
  });

  it('reports a missing template, a template that refuses, and malformed messages', async () => {
    const none = await variant('none', { 'tokenizer_config.json': '{}' });
    expect(
      isSignalError(
        catching(() => none.applyChatTemplate(messages)),
        'TOKENIZER_NO_CHAT_TEMPLATE',
      ),
    ).toBe(true);
    const strict = await variant('strict', {
      'tokenizer_config.json': JSON.stringify({
        chat_template:
          "{% if messages[0]['role'] != 'user' %}{{ raise_exception('Conversation roles must start with user') }}{% endif %}ok",
      }),
    });
    const refused = catching(() => strict.applyChatTemplate(messages));
    expect(isSignalError(refused, 'TOKENIZER_TEMPLATE_FAILED')).toBe(true);
    expect((refused as Error).message).toContain('must start with user');
    const malformed = catching(() => strict.applyChatTemplate([{ role: 'user' } as never]));
    expect((malformed as Error).message).toContain('messages.0.content');
  });

  it('refuses templates that loop, recurse, grow strings or pad beyond their budget', async () => {
    const hostile = [
      '{% for i in range(100000000) %}x{% endfor %}',
      '{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}',
      '{% set s = namespace(x="ab") %}{% for i in range(40) %}{% set s.x = s.x ~ s.x %}{% endfor %}{{ s.x }}',
      '{{ messages[0].content|indent(400000000) }}',
      '{{ messages|tojson(indent=n) }}',
    ];
    for (const [i, template] of hostile.entries()) {
      const tok = await variant(`hostile-${i}`, {
        'tokenizer_config.json': JSON.stringify({ chat_template: template }),
      });
      const refused = catching(() => tok.applyChatTemplate(messages));
      expect([template, isSignalError(refused, 'TOKENIZER_TEMPLATE_BUDGET')]).toEqual([
        template,
        true,
      ]);
    }
    const recursive = await variant('recursive', {
      'tokenizer_config.json': JSON.stringify({
        chat_template: '{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}',
      }),
    });
    const overflow = catching(() => recursive.applyChatTemplate(messages));
    expect(
      isSignalError(overflow, 'TOKENIZER_TEMPLATE_BUDGET') ||
        isSignalError(overflow, 'TOKENIZER_TEMPLATE_FAILED'),
    ).toBe(true);
    const padded = await variant('padded', {
      'tokenizer_config.json': JSON.stringify({
        chat_template:
          '{{ messages|tojson(indent=2) }}{{ "a\\nb"|indent(4) }}{{ range(3)|join(",") }}',
      }),
    });
    expect(padded.applyChatTemplate(messages)).toContain('0,1,2');
  });
});

function catching(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
