import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createProgram, LeaderboardError, runLeaderboard } from '@signal/cli';
import { type Leaderboard, LeaderboardSchema } from '@signal/core';
import { leaderboardCommand } from '../src/commands/leaderboard';
import { captureOutput } from './support/capturedOutput';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-leaderboard-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));
const printed = captureOutput();

const SMALL = [
  '--families',
  'recall,multi_query',
  '--methods',
  'full,oracle,random,knorm,kvzip',
  '--seeds',
  '2',
  '--tasks',
  '1',
  '--context-chars',
  '700',
  '--threads',
  '2',
];

describe('signal leaderboard', () => {
  let board: Leaderboard;

  it('prints one schema-valid JSON document and writes JSON, Markdown and SVG', async () => {
    const out = join(root, 'out');
    await createProgram().parseAsync([
      'node',
      'signal',
      'leaderboard',
      ...SMALL,
      '--json',
      '--out',
      out,
      '--no-progress',
    ]);
    board = LeaderboardSchema.parse(printed.json());
    expect(board).toMatchObject({ version: 1, model: 'reference', seeds: 2, tasks: 1 });
    // full once per family at ratio 0; every other method at each of the four ratios.
    expect(board.rows).toHaveLength(2 * (1 + 4 * 4));
    for (const row of board.rows) {
      expect(row.query_agnostic).toBe(row.method !== 'oracle');
      expect(row.ratio === 0).toBe(row.method === 'full');
    }
    expect(JSON.parse(await readFile(join(out, 'leaderboard.json'), 'utf8'))).toEqual(board);
    const markdown = await readFile(join(out, 'leaderboard.md'), 'utf8');
    expect(markdown).toContain('## multi_query');
    expect(markdown).toContain('| `kvzip` |');
    const svg = await readFile(join(out, 'leaderboard.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2 * 4);
    expect(svg.match(/<polygon /g)).toHaveLength(2 * 4);
  }, 180_000);

  it('scores the full context and the oracle 1 on the single needle, at every ratio', () => {
    const at = (family: string, method: string) =>
      board.rows.filter((row) => row.family === family && row.method === method);
    for (const family of ['recall', 'multi_query']) {
      expect(at(family, 'full').map((row) => row.accuracy)).toEqual([1]);
    }
    expect(at('recall', 'oracle').map((row) => row.accuracy)).toEqual([1, 1, 1, 1]);
    // knorm drops exactly what the recall model reads: nothing survives.
    expect(at('multi_query', 'knorm').map((row) => row.accuracy)).toEqual([0, 0, 0, 0]);
  });

  it('prints a table and draws a progress bar on a terminal', async () => {
    const progress = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let drawn = '';
    progress.on('data', (chunk) => {
      drawn += String(chunk);
    });
    let table = '';
    await leaderboardCommand({
      stdout: (text) => {
        table += text;
      },
      progress: progress as unknown as NodeJS.WriteStream,
    }).parseAsync([
      'node',
      'leaderboard',
      ...SMALL,
      '--families',
      'recall',
      '--methods',
      'full,random',
    ]);
    expect(drawn).toContain('leaderboard [');
    expect(drawn).toContain('tasks');
    expect(table).toMatch(/^recall\nmethod +0 +0\.25 +0\.5 +0\.75 +0\.875\n/);
    expect(table).toMatch(/\nfull +1\.000 ±0\.000/);
  }, 180_000);

  it('refuses unknown methods and families with a typed error naming them', async () => {
    await expect(runLeaderboard({ methods: ['zip'] })).rejects.toThrow(LeaderboardError);
    await expect(runLeaderboard({ methods: ['zip'] })).rejects.toMatchObject({
      code: 'LEADERBOARD_BAD_OPTIONS',
      details: expect.stringContaining('unknown method "zip"'),
    });
    await expect(
      runLeaderboard({ families: ['chess' as 'recall'], ratios: [1.5] }),
    ).rejects.toMatchObject({ details: expect.stringMatching(/families[\s\S]*ratios/) });
  });
});
