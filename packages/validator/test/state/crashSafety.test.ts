import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleTempFiles } from '@signal/chain';
import {
  emptyScoreState,
  loadScoreState,
  recordScoredResponse,
  ScoreStateStore,
  saveScoreState,
} from '@signal/validator';

const fixtures = join(__dirname, 'fixtures');

/** Runs the save loop in a child, SIGKILLs it mid-flight, returns the last save it confirmed. */
function killDuringSaves(file: string, afterSaves: number, extraDelayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(fixtures, 'saveLoop.ts'), file],
      {
        env: { ...process.env, TSX_TSCONFIG_PATH: join(fixtures, 'tsconfig.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let confirmed = 0;
    let stderr = '';
    let killing = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const match of chunk.matchAll(/saved (\d+)/g)) confirmed = Number(match[1]);
      if (confirmed >= afterSaves && !killing) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(confirmed);
      else reject(new Error(`save loop exited on its own: ${stderr}`));
    });
  });
}

describe('score state crash safety', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signal-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('survives a SIGKILL at an arbitrary moment of a save loop', async () => {
    // Three children at once, killed at different points, each on its own file.
    const runs = await Promise.all(
      [0, 3, 11].map(async (delay) => {
        const file = join(dir, `scores-${delay}.json`);
        const confirmed = await killDuringSaves(file, 5, delay);
        return { confirmed, state: await loadScoreState(file) };
      }),
    );
    for (const { confirmed, state } of runs) {
      expect(state.miners).toHaveLength(64);
      // Every confirmed save is durable, and at most the one in flight landed after it.
      const round = state.miners[0]!.updatedAt;
      expect(round).toBeGreaterThanOrEqual(confirmed);
      expect(round).toBeLessThanOrEqual(confirmed + 1);
      expect(
        state.miners.every((miner) => miner.updatedAt === round && miner.observations === round),
      ).toBe(true);
    }
  }, 60_000);

  it('keeps the old state when a crash leaves the new one only in a temp file', async () => {
    const file = join(dir, 'scores.json');
    const before = recordScoredResponse(
      emptyScoreState(),
      { uid: 3, hotkey: 'a', tier: 'research', score: 1, latencyMs: 10 },
      { now: 1 },
    );
    await saveScoreState(file, before);
    const after = recordScoredResponse(
      before,
      { uid: 3, hotkey: 'a', tier: 'research', score: 1, latencyMs: 10 },
      { now: 2 },
    );
    // What a kill between the temp write and the rename leaves behind: a complete temp file
    // and, from a kill mid-write, a truncated one. Neither may be read as the state.
    const full = JSON.stringify(after);
    await writeFile(join(dir, `.scores.json.999.aaaaaa.tmp`), full);
    await writeFile(join(dir, `.scores.json.999.bbbbbb.tmp`), full.slice(0, 20));
    expect(await loadScoreState(file)).toEqual(before);
    // The next save goes through, and the leftovers do not get in its way.
    await saveScoreState(file, after);
    expect(await loadScoreState(file)).toEqual(after);
    expect((await readdir(dir)).filter((name) => !name.endsWith('.tmp')).sort()).toEqual([
      'scores.json',
      'scores.json.prev',
    ]);
  });

  it('clears temp files of dead writers on open, and keeps those of live ones', async () => {
    const file = join(dir, 'scores.json');
    await saveScoreState(file, emptyScoreState());
    // pid 2^31-2 cannot be a live process on Linux (pid_max is at most 2^22).
    const dead = `.scores.json.${2 ** 31 - 2}.aaaaaa.tmp`;
    const live = `.scores.json.${process.pid}.bbbbbb.tmp`;
    await writeFile(join(dir, dead), '{');
    await writeFile(join(dir, live), '{');
    await writeFile(join(dir, 'unrelated.tmp'), '');
    const store = await ScoreStateStore.open(file);
    expect(store.state).toEqual(emptyScoreState());
    expect((await readdir(dir)).sort()).toEqual([live, 'scores.json', 'unrelated.tmp'].sort());
    expect(await removeStaleTempFiles(join(dir, 'missing-dir', 'x.json'))).toEqual([]);
  });
});
