import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MinerDetailSchema, MinersViewSchema } from '@signal/dashboard';
import {
  EpochRecorder,
  emptyScoreState,
  HistoryStore,
  historyPathFor,
  latencyPercentiles,
  minerDetailView,
  minersView,
  type ObservedRequest,
  qualitySamples,
  recordScoredResponse,
  StateFileError,
} from '../../src/index';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signal-history-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const valid = (accuracy: number, compression = 0.3) =>
  ({
    valid: true,
    format: 'kv',
    accuracy,
    fidelity: null,
    originalTokens: 100,
    condensedTokens: 70,
    compression,
  }) as const;

function request(overrides: Partial<ObservedRequest>): ObservedRequest {
  return {
    uid: 1,
    hotkey: 'hk-1',
    tier: 'research',
    method: 'snapkv',
    taskId: 't-0',
    family: 'recall',
    outcome: { ok: true, raw: {}, latencyMs: 10 },
    evaluation: valid(1),
    scored: true,
    score: 0.9,
    ...overrides,
  };
}

describe('EpochRecorder', () => {
  it('counts failures by kind, latencies of answers, and per family scores', () => {
    const rows: unknown[] = [];
    const recorder = new EpochRecorder(4, (_uid, _hotkey, row) => rows.push(row));
    const failed = (status: number) => ({ ok: false as const, status, message: 'x', latencyMs: 5 });
    const queryFailed = (status: number) => ({
      valid: false as const,
      code: 'QUERY_FAILED',
      message: `${status} x`,
    });
    recorder.observe(request({}));
    recorder.observe(
      request({
        outcome: { ok: true, raw: {}, latencyMs: 30 },
        family: 'needle',
        score: 0.5,
        evaluation: valid(0.5),
      }),
    );
    recorder.observe(request({ outcome: failed(408), evaluation: queryFailed(408), score: 0 }));
    recorder.observe(request({ outcome: failed(503), evaluation: queryFailed(503), score: 0 }));
    recorder.observe(request({ outcome: failed(403), evaluation: queryFailed(403), score: 0 }));
    recorder.observe(request({ outcome: failed(422), evaluation: queryFailed(422), score: 0 }));
    recorder.observe(
      request({
        evaluation: { valid: false, code: 'PAYLOAD_SHAPE', message: 'bad shape' },
        score: 0,
      }),
    );
    // Unscored: sent and timed, not evaluated, not a failure.
    recorder.observe(
      request({
        scored: false,
        evaluation: { valid: false, code: 'UNSCORED', message: 'not scored' },
        score: 0,
      }),
    );
    // A wrong answer is scored 0, not a failure.
    recorder.observe(request({ evaluation: valid(0), score: 0 }));
    const [record] = recorder.finish({
      block: 40,
      weights: new Map([[1, 0.25]]),
      movingScores: new Map([[1, 0.4]]),
      now: 1,
    });
    const epoch = record!.epoch;
    expect(epoch.failures).toEqual({ timeout: 1, invalid_payload: 2, refused: 2 });
    expect([epoch.requests, epoch.scored, epoch.valid]).toEqual([9, 8, 3]);
    expect(epoch.latency_ms).toEqual({ p50: 10, p90: 30, p99: 30, count: 5 });
    expect(epoch.families.map((f) => [f.family, f.scored])).toEqual([
      ['needle', 1],
      ['recall', 7],
    ]);
    expect(epoch.score).toBeCloseTo((0.9 + 0.5) / 8);
    expect([epoch.weight, epoch.moving_score, epoch.block]).toEqual([0.25, 0.4, 40]);
    expect(rows.map((r) => (r as { outcome: string }).outcome)).toEqual([
      'scored',
      'scored',
      'timeout',
      'refused',
      'refused',
      'invalid_payload',
      'invalid_payload',
      'unscored',
      'scored',
    ]);
    expect(rows[6]).toMatchObject({ code: 'PAYLOAD_SHAPE', message: 'bad shape', accuracy: null });
  });

  it('takes nearest-rank percentiles', () => {
    expect(latencyPercentiles([])).toBeNull();
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(latencyPercentiles(values)).toEqual({ p50: 50, p90: 90, p99: 99, count: 100 });
  });
});

describe('HistoryStore', () => {
  const epochOf = (uid: number, epoch: number, hotkey = `hk-${uid}`) => {
    const recorder = new EpochRecorder(epoch, () => undefined);
    recorder.observe(
      request({
        uid,
        hotkey,
        score: uid === 2 ? 0 : 0.8,
        evaluation: uid === 2 ? valid(0) : valid(0.8),
      }),
    );
    return recorder.finish({
      block: epoch * 10,
      weights: new Map([[uid, 0.5]]),
      movingScores: new Map(),
    });
  };

  it('keeps at most maxEpochs and maxEvaluations per miner, across a save and a reload', async () => {
    const path = historyPathFor(join(dir, 'scores.json'));
    expect(path).toBe(join(dir, 'scores.history.json'));
    const store = await HistoryStore.open(path, { maxEpochs: 3, maxEvaluations: 2 });
    for (let epoch = 1; epoch <= 5; epoch++) {
      store.addEpoch([...epochOf(1, epoch), ...epochOf(2, epoch)]);
      store.addEvaluation(1, 'hk-1', { ...sampleRow, epoch, task_id: `t-${epoch}` });
    }
    expect(store.miner(1)!.epochs.map((e) => e.epoch)).toEqual([3, 4, 5]);
    expect(store.miner(1)!.evaluations.map((e) => e.task_id)).toEqual(['t-5', 't-4']);
    await store.save();
    const again = await HistoryStore.open(path, { maxEpochs: 2 });
    expect(again.miner(1)!.epochs.map((e) => e.epoch)).toEqual([4, 5]);
    expect(again.miners().map((m) => m.uid)).toEqual([1, 2]);
  });

  it('forgets a uid that left the metagraph or changed hands', async () => {
    const store = await HistoryStore.open(join(dir, 'reconcile.history.json'));
    store.addEpoch([...epochOf(1, 1), ...epochOf(2, 1), ...epochOf(3, 1)]);
    store.reconcile([
      { uid: 1, hotkey: 'hk-1' },
      { uid: 2, hotkey: 'someone-else' },
    ]);
    expect(store.miners().map((m) => m.uid)).toEqual([1]);
    // A new hotkey on a uid starts a fresh history.
    store.addEpoch(epochOf(1, 2, 'hk-new'));
    expect(store.miner(1)!.epochs.map((e) => [e.epoch])).toEqual([[2]]);
  });

  it('moves a damaged file aside: the last good copy is used, else an empty history, never the damaged bytes', async () => {
    const path = join(dir, 'damaged.history.json');
    const saved = await HistoryStore.open(path);
    saved.addEpoch(epochOf(1, 1));
    await saved.save();
    saved.addEpoch(epochOf(1, 2));
    await saved.save();
    await writeFile(path, '{"schemaVersion":1,"miners":[{"uid":-1}]}');
    const recovered = await HistoryStore.open(path);
    expect(recovered.recovery).toMatchObject({ file: path, startedFrom: `${path}.prev` });
    expect(recovered.recovery!.damaged[0]!.error).toBeInstanceOf(StateFileError);
    expect(recovered.miner(1)!.epochs).toHaveLength(1);

    await writeFile(path, '{ not json');
    await writeFile(`${path}.prev`, '{ not json either');
    const empty = await HistoryStore.open(path);
    expect(empty.recovery).toMatchObject({ file: path, startedFrom: null });
    expect(empty.recovery!.damaged.map((entry) => entry.error.code)).toEqual([
      'STATE_CORRUPT',
      'STATE_CORRUPT',
    ]);
    expect(empty.miners()).toEqual([]);
    expect(await readFile(empty.recovery!.damaged[0]!.movedTo, 'utf8')).toBe('{ not json');
    expect((await HistoryStore.open(path)).recovery).toBeUndefined();
  });

  it('gives the dashboard its miners, details and quality samples', async () => {
    const store = await HistoryStore.open(join(dir, 'views.history.json'));
    for (let epoch = 1; epoch <= 3; epoch++)
      store.addEpoch([...epochOf(1, epoch), ...epochOf(2, epoch)]);
    store.addEvaluation(1, 'hk-1', sampleRow);
    let state = emptyScoreState();
    state = recordScoredResponse(state, {
      uid: 1,
      hotkey: 'hk-1',
      tier: 'research',
      score: 0.8,
      latencyMs: 5,
    });
    state = recordScoredResponse(state, {
      uid: 2,
      hotkey: 'hk-2',
      tier: 'research',
      score: 0,
      latencyMs: 5,
    });
    const view = MinersViewSchema.parse(minersView(store, state));
    expect(view.epoch).toBe(3);
    expect(view.miners.map((m) => [m.uid, m.trend.map((t) => t.score)])).toEqual([
      [1, [0.8, 0.8, 0.8]],
      [2, [0, 0, 0]],
    ]);
    const poor = MinerDetailSchema.parse(minerDetailView(store, state, 2));
    expect(poor.epochs.every((e) => e.score === 0)).toBe(true);
    expect(minerDetailView(store, state, 9)).toBeNull();
    expect(qualitySamples(store)).toEqual([
      { family: 'recall', method: 'snapkv', ratio: 0.3, accuracy: 1 },
    ]);
  });
});

const sampleRow = {
  epoch: 1,
  at: 1,
  task_id: 't-1',
  family: 'recall',
  tier: 'research',
  method: 'snapkv',
  outcome: 'scored' as const,
  code: null,
  message: null,
  score: 0.9,
  accuracy: 1,
  compression: 0.3,
  latency_ms: 12,
};
