import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isSignalError } from '../../src/errors/SignalError';
import { formatVectorResult, runVectorCase } from '../../src/wire/conformance/runVectorCase';
import { parseVectorFile, type VectorCase } from '../../src/wire/conformance/vectorFile';

// The shared fixtures sit beside the repository (../shared from its root), as in CI.
const FIXTURE = resolve(__dirname, '../../../../../shared/fixtures/wire/body-hash-vectors.json');
const fixtureText = readFileSync(FIXTURE, 'utf8');

function firstCase(): VectorCase {
  const [first] = parseVectorFile(fixtureText);
  if (!first) throw new Error('fixture is empty');
  return first;
}

describe('body-hash vectors', () => {
  it('passes every recorded Python case', () => {
    const lines = parseVectorFile(fixtureText).map((c) => formatVectorResult(runVectorCase(c)));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/ ok$/);
  });

  it('passes 120 cases computed by CPython itself (fixtures/python-str-vectors.py)', () => {
    const text = readFileSync(join(__dirname, 'fixtures/python-str-vectors.json'), 'utf8');
    const failures = parseVectorFile(text)
      .map((c) => formatVectorResult(runVectorCase(c)))
      .filter((line) => !line.endsWith(' ok'));
    expect(failures).toEqual([]);
  });

  it('reports which check failed, with both sides', () => {
    const base = firstCase();
    const badHash = runVectorCase({ ...base, body_hash: '0'.repeat(64) });
    expect(formatVectorResult(badHash)).toMatch(
      /^Echo FAIL body_hash: computed=[0-9a-f]{64} expected=0{64}$/,
    );
    const badStr = runVectorCase({ ...base, str_of_field: { text: 'nope' } });
    expect(badStr.failures.map((f) => f.check)).toEqual(['str_of_field.text']);
    const badHeader = runVectorCase({
      ...base,
      input_obj_headers: { bt_header_input_obj_text: 'MA==' },
    });
    expect(badHeader.failures.map((f) => f.check)).toEqual(['input_obj_headers']);
  });

  it('computes headers from required_fields when the case lists them', () => {
    const nested: VectorCase = {
      synapse: 'Req',
      fields: {
        a: 'int',
        b: 'float',
        c: 'list[str]',
        d: 'optional[str]',
        e: 'model{x:int}',
        f: 'bool',
      },
      required_hash_fields: [],
      required_fields: ['a', 'b', 'c', 'd', 'e', 'f'],
      values: { a: 5, b: 1.5, c: ['x'], d: null, e: { x: 1 }, f: true },
      str_of_field: {},
      body_hash: 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a',
      input_obj_headers: {
        bt_header_input_obj_a: Buffer.from('0').toString('base64'),
        bt_header_input_obj_b: Buffer.from('0.0').toString('base64'),
        bt_header_input_obj_c: Buffer.from('[]').toString('base64'),
        bt_header_input_obj_e: Buffer.from('{}').toString('base64'),
        bt_header_input_obj_f: Buffer.from('false').toString('base64'),
      },
    };
    expect(runVectorCase(nested).failures).toEqual([]);
  });

  it('turns a bad type string or value into a failure, not a crash', () => {
    const base = firstCase();
    expect(runVectorCase({ ...base, fields: { text: 'list[' } }).failures[0]?.check).toBe('fields');
    const wrongValue = runVectorCase({ ...base, values: { text: 5 } });
    expect(wrongValue.failures.map((f) => f.check)).toContain('body_hash');
    expect(wrongValue.failures[0]?.computed).toContain('<error:');
  });

  it('names the bad path of a malformed file', () => {
    expect(() => parseVectorFile('[{"synapse": "X"}]')).toThrow(/0\.fields/);
    try {
      parseVectorFile('[1,');
      throw new Error('expected failure');
    } catch (error) {
      expect(isSignalError(error, 'WIRE_JSON')).toBe(true);
    }
  });

  it('runs as a CLI: one line per case and an exit status', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vectors-'));
    const cases = JSON.parse(fixtureText) as Array<Record<string, unknown>>;
    const broken = [...cases, { ...cases[0], synapse: 'Broken', body_hash: 'f'.repeat(64) }];
    writeFileSync(join(dir, 'v.json'), JSON.stringify(broken));
    writeFileSync(join(dir, 'bad.json'), '{"not": "a list"}');
    const cli = join(__dirname, '../../src/wire/conformance/main.ts');
    const run = (file: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', cli, file], {
        env: { ...process.env, INIT_CWD: dir },
        encoding: 'utf8',
      });
    const result = run('v.json');
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(cases.length + 2);
    expect(lines[cases.length]).toMatch(/^Broken FAIL body_hash: computed=\S+ expected=f{64}$/);
    const malformed = run('bad.json');
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('does not have the expected shape');
  });
});
