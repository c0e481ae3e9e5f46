import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ema } from '@signal/core';
import {
  emptyScoreState,
  loadScoreState,
  reconcileScoreState,
  recordScoredResponse,
  type ScoredResponse,
  ScoreStateStore,
  saveScoreState,
} from '@signal/validator';

const response = (overrides: Partial<ScoredResponse> = {}): ScoredResponse => ({
  uid: 1,
  hotkey: 'hk-a',
  tier: 'research',
  score: 1,
  latencyMs: 120,
  ...overrides,
});

describe('recordScoredResponse', () => {
  it('moves the score with core EMA and keeps counts and latency', () => {
    let state = recordScoredResponse(emptyScoreState(), response({ score: 1 }), { now: 10 });
    state = recordScoredResponse(state, response({ score: 0, latencyMs: null }), { now: 20 });
    const [miner] = state.miners;
    expect(miner).toEqual({
      uid: 1,
      hotkey: 'hk-a',
      tier: 'research',
      score: ema(ema(0, 1), 0),
      observations: 2,
      zeroScores: 1,
      lastLatencyMs: 120,
      updatedAt: 20,
    });
  });

  it('restarts a uid from zero when its hotkey or tier changes', () => {
    let state = recordScoredResponse(emptyScoreState(), response(), { now: 1 });
    state = recordScoredResponse(state, response(), { now: 2 });
    const newHotkey = recordScoredResponse(state, response({ hotkey: 'hk-b', score: 0.5 }), {
      now: 3,
    });
    expect(newHotkey.miners[0]).toMatchObject({
      hotkey: 'hk-b',
      score: ema(0, 0.5),
      observations: 1,
    });
    const newTier = recordScoredResponse(state, response({ tier: 'inference_1', score: 0.5 }), {
      now: 3,
    });
    expect(newTier.miners[0]).toMatchObject({
      tier: 'inference_1',
      score: ema(0, 0.5),
      observations: 1,
    });
  });

  it('keeps miners ordered by uid and does not mutate its input', () => {
    const empty = emptyScoreState();
    let state = recordScoredResponse(empty, response({ uid: 7 }));
    state = recordScoredResponse(state, response({ uid: 2 }));
    state = recordScoredResponse(state, response({ uid: 5 }));
    expect(state.miners.map((miner) => miner.uid)).toEqual([2, 5, 7]);
    expect(empty.miners).toEqual([]);
  });

  it('refuses an invalid response, naming the field', () => {
    expect(() => recordScoredResponse(emptyScoreState(), response({ score: Number.NaN }))).toThrow(
      expect.objectContaining({
        code: 'STATE_INVALID_UPDATE',
        details: expect.stringContaining('score'),
      }),
    );
    expect(() => recordScoredResponse(emptyScoreState(), response({ uid: -1 }))).toThrow(
      expect.objectContaining({
        code: 'STATE_INVALID_UPDATE',
        details: expect.stringContaining('uid'),
      }),
    );
  });
});

describe('reconcileScoreState', () => {
  it('drops departed uids and resets reassigned ones', () => {
    let state = emptyScoreState();
    for (const uid of [0, 1, 2, 3])
      state = recordScoredResponse(state, response({ uid, hotkey: `hk${uid}` }), { now: 1 });
    const next = reconcileScoreState(
      state,
      [
        { uid: 0, hotkey: 'hk0' },
        { uid: 1, hotkey: 'someone-else' },
        { uid: 2, hotkey: 'hk2', tier: 'inference_0' },
        { uid: 9, hotkey: 'hk9' },
      ],
      { now: 5 },
    );
    expect(next.miners.map((m) => [m.uid, m.hotkey, m.tier, m.score, m.observations])).toEqual([
      [0, 'hk0', 'research', state.miners[0]!.score, 1],
      [1, 'someone-else', 'research', 0, 0],
      [2, 'hk2', 'inference_0', 0, 0],
    ]);
  });
});

describe('score state files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signal-scores-'));
  });
  afterEach(async () => {
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips, and a missing file is an empty state', async () => {
    const file = join(dir, 'scores.json');
    expect(await loadScoreState(file)).toEqual(emptyScoreState());
    const state = recordScoredResponse(emptyScoreState(), response(), { now: 42 });
    await saveScoreState(file, state);
    expect(await loadScoreState(file)).toEqual(state);
    expect(JSON.parse(await readFile(file, 'utf8')).schemaVersion).toBe(1);
  });

  it('reports a corrupt file instead of starting over', async () => {
    const file = join(dir, 'scores.json');
    await writeFile(file, '{"schemaVersion": 1, "miners": [');
    await expect(loadScoreState(file)).rejects.toMatchObject({ code: 'STATE_CORRUPT' });
    await writeFile(file, JSON.stringify({ schemaVersion: 1, miners: [{ uid: 1, hotkey: 'x' }] }));
    await expect(loadScoreState(file)).rejects.toMatchObject({
      code: 'STATE_CORRUPT',
      details: expect.stringContaining('miners[0].tier'),
    });
    await writeFile(file, JSON.stringify({ schemaVersion: 7, miners: [] }));
    await expect(loadScoreState(file)).rejects.toMatchObject({ code: 'STATE_UNSUPPORTED_VERSION' });
    const twice = recordScoredResponse(emptyScoreState(), response(), { now: 1 }).miners[0]!;
    await writeFile(file, JSON.stringify({ schemaVersion: 1, miners: [twice, twice] }));
    await expect(loadScoreState(file)).rejects.toMatchObject({ code: 'STATE_CORRUPT' });
  });

  it('fails a save into an unwritable place with STATE_IO and keeps the old file', async () => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions; a missing directory fails the same code path.
      await expect(
        saveScoreState(join(dir, 'missing', 'scores.json'), emptyScoreState()),
      ).rejects.toMatchObject({
        code: 'STATE_IO',
      });
      return;
    }
    const file = join(dir, 'scores.json');
    await saveScoreState(file, emptyScoreState());
    await chmod(dir, 0o500);
    await expect(saveScoreState(file, emptyScoreState())).rejects.toMatchObject({
      code: 'STATE_IO',
    });
    expect(await loadScoreState(file)).toEqual(emptyScoreState());
  });
});

describe('ScoreStateStore', () => {
  it('serialises concurrent saves so the newest state is what stays on disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signal-store-'));
    try {
      const file = join(dir, 'scores.json');
      const store = await ScoreStateStore.open(file);
      const saves: Promise<void>[] = [];
      for (let round = 1; round <= 20; round++) {
        store.record(response({ score: round % 2 }), { now: round });
        saves.push(store.save());
      }
      await Promise.all(saves);
      expect(await loadScoreState(file)).toEqual(store.state);
      expect(store.state.miners[0]!.observations).toBe(20);
      const reopened = await ScoreStateStore.open(file);
      reopened.reconcile([{ uid: 1, hotkey: 'new-owner' }], { now: 99 });
      expect(reopened.state.miners[0]).toMatchObject({
        hotkey: 'new-owner',
        score: 0,
        observations: 0,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
