import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import fc from 'fast-check';
import {
  applyByteMutations,
  applyJsonMutations,
  asyncFuzzTarget,
  type ByteMutation,
  byteMutations,
  type JsonMutation,
  jsonMutations,
} from '../../../../jest/fuzz';
import { buildModel } from '../../src/builder/buildModel';
import { TextTokenizer } from '../../src/tokenizer/TextTokenizer';

let root = '';
let dir = '';
let tokenizerJson: unknown;
let configJson: unknown;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-tokenizer-fuzz-'));
  const built = await buildModel({
    arch: 'llama',
    size: 'tiny',
    seed: 5,
    outDir: join(root, 'model'),
  });
  const modelDir = join(built.files.model, '..', '..');
  tokenizerJson = JSON.parse(await readFile(join(modelDir, 'tokenizer.json'), 'utf8'));
  configJson = JSON.parse(await readFile(join(modelDir, 'tokenizer_config.json'), 'utf8'));
  dir = join(root, 'case');
  await mkdir(dir, { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Jinja templates a hostile config may carry: loops, deep nesting, unknown filters, huge ranges. */
const TEMPLATES = [
  '{% for m in messages %}{{ m.content }}{% endfor %}',
  '{% for i in range(100000000) %}x{% endfor %}',
  '{{ messages[0]["content"] * 100000000 }}',
  '{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}',
  '{{ raise_exception("no") }}',
  '{% if %}',
  '{{ 1/0 }}',
  '{{'.repeat(50),
  '{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}',
  '{{ messages[0]["content"]|indent(400000000) }}',
  '{% set s = namespace(x="ab") %}{% for i in range(40) %}{% set s.x = s.x ~ s.x %}{% endfor %}{{ s.x }}',
];

interface TokenizerCase {
  readonly which: 'tokenizer' | 'config';
  readonly json: JsonMutation[];
  readonly text: ByteMutation[];
  readonly template: string | undefined;
}

const tokenizerCase: fc.Arbitrary<TokenizerCase> = fc.record({
  which: fc.constantFrom('tokenizer' as const, 'config' as const),
  json: fc.oneof(jsonMutations(3), fc.constant<JsonMutation[]>([])),
  text: fc.oneof(
    { weight: 3, arbitrary: fc.constant<ByteMutation[]>([]) },
    { weight: 1, arbitrary: byteMutations(3) },
  ),
  template: fc.option(fc.constantFrom(...TEMPLATES), { nil: undefined }),
});

interface Files {
  readonly tokenizer: string;
  readonly config: string;
}

function prepare(input: TokenizerCase): Files {
  const mutate = (document: unknown, chosen: boolean) => {
    if (!chosen) return JSON.stringify(document);
    const text = JSON.stringify(applyJsonMutations(document, input.json));
    return Buffer.from(applyByteMutations(Buffer.from(text), input.text)).toString();
  };
  const config =
    input.template === undefined
      ? configJson
      : { ...(configJson as object), chat_template: input.template };
  return {
    tokenizer: mutate(tokenizerJson, input.which === 'tokenizer'),
    config: mutate(config, input.which === 'config'),
  };
}

/** Loads the files as a model directory would hold them, then uses the tokenizer as the runtime does. */
async function load(files: Files): Promise<unknown> {
  await writeFile(join(dir, 'tokenizer.json'), files.tokenizer);
  await writeFile(join(dir, 'tokenizer_config.json'), files.config);
  const tokenizer = await TextTokenizer.load(dir);
  const ids = tokenizer.encode('The capital of France is Paris.');
  tokenizer.decode(ids);
  if (tokenizer.chatTemplate !== undefined) {
    tokenizer.applyChatTemplate([{ role: 'user', content: 'Hi' }]);
  }
  return ids;
}

describe('tokenizer config loading fuzz', () => {
  asyncFuzzTarget({
    name: 'TextTokenizer.load + encode/decode/chat template on mutated tokenizer files',
    input: tokenizerCase,
    prepare,
    size: (files) => Buffer.byteLength(files.tokenizer) + Buffer.byteLength(files.config),
    parse: load,
    accept: isSignalError,
    // Found by this target: range(10**8) in a chat template took the heap (4 GiB, the worker died).
    regressions: [
      { which: 'config', json: [], text: [], template: TEMPLATES[1] },
      // Found by this target: the id of "<pad>" in model.vocab set to 2^31; the tokenizer
      // library walked an array of that length at load (101 s of CPU).
      {
        which: 'tokenizer',
        json: [{ kind: 'replace', at: 0.2590492044109851, value: 2147483648 }],
        text: [],
        template: undefined,
      },
    ],
    check: (ids) => {
      expect(Array.isArray(ids)).toBe(true);
    },
    // A case mutating deep inside tokenizer.json serializes, writes and loads the whole
    // tokenizer (~100 ms of wall time on a loaded machine): a quarter of the CI count.
    ciRuns: 250,
  });
});
