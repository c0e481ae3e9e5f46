import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOrderedJson } from '../../src/wire/orderedJson';
import { pyJsonDumps } from '../../src/wire/pyJson';
import { parsePyType } from '../../src/wire/pyTypeGrammar';

interface JsonCase {
  readonly type: string;
  readonly dumps: string;
  readonly compact: string;
}

/** json.dumps outputs recorded by fixtures/python-str-vectors.py (`json` mode). */
const file = readFileSync(join(__dirname, 'fixtures/python-json-vectors.json'), 'utf8');
const cases = JSON.parse(file) as JsonCase[];
const values = (parseOrderedJson(file, 'fixture') as Array<Map<string, unknown>>).map((c) =>
  c.get('value'),
);

describe('pyJsonDumps against CPython json.dumps', () => {
  it('matches every recorded case in both styles', () => {
    expect(cases.length).toBeGreaterThan(100);
    const mismatches = cases.flatMap((c, i) => {
      const type = parsePyType(c.type);
      const spaced = pyJsonDumps(values[i], type);
      const compact = pyJsonDumps(values[i], type, { compact: true, ensureAscii: false });
      return [
        ...(spaced === c.dumps ? [] : [`#${i} ${c.type}: ${spaced} != ${c.dumps}`]),
        ...(compact === c.compact ? [] : [`#${i} ${c.type} compact: ${compact} != ${c.compact}`]),
      ];
    });
    expect(mismatches).toEqual([]);
  });
});
