import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalChain } from '@signal/chain';
import {
  chainSubnetSource,
  DashboardError,
  leaderboardQualitySource,
  meanInterval,
  QualityViewSchema,
  qualityFromEvaluations,
  SubnetViewSchema,
} from '../src/index';

const address = (i: number) => `5${'C'.repeat(40)}${String(i).padStart(7, '0')}`;

describe('chainSubnetSource', () => {
  it('reads a LocalChain metagraph, tempo and commit-reveal, and re-reads only on a new block', async () => {
    const chain = await LocalChain.open({ blockTimeMs: 0 });
    try {
      await chain.createSubnet(3, { tempo: 7, commitRevealWeightsEnabled: true });
      await chain.register({
        netuid: 3,
        hotkey: address(0),
        coldkey: address(100),
        stake: 2_500_000_000n,
      });
      await chain.register({ netuid: 3, hotkey: address(1), coldkey: address(101) });
      let reads = 0;
      const counted = new Proxy(chain, {
        get(target, key, receiver) {
          if (key === 'metagraph') reads += 1;
          const value = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const source = chainSubnetSource(counted, 3);
      const view = SubnetViewSchema.parse(await source());
      expect(view.tempo).toBe(7);
      expect(view.commit_reveal.enabled).toBe(true);
      expect(view.neurons.map((n) => [n.uid, n.hotkey, n.stake_tao, n.stake_rao])).toEqual([
        [0, address(0), 2.5, '2500000000'],
        [1, address(1), 0, '0'],
      ]);
      expect(view.neurons[0]!.axon).toBeNull();
      expect(JSON.stringify(view)).not.toContain(address(100));
      await source();
      expect(reads).toBe(1);
      await chain.advance(1);
      expect((await source()).block).toBe(view.block + 1);
      expect(reads).toBe(2);
    } finally {
      await chain.close();
    }
  });
});

describe('leaderboardQualitySource', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signal-dashboard-leaderboard-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const row = (method: string, ratio: number, accuracy: number, ci95: number) => ({
    family: 'multi_query',
    method,
    ratio,
    accuracy,
    ci95,
    query_agnostic: method !== 'oracle',
  });

  it('draws a line per method with accuracy ± ci95, and follows a rewritten file', async () => {
    const file = join(dir, 'leaderboard.json');
    const rows = [
      row('snapkv', 0.75, 0.5, 0.1),
      row('snapkv', 0.25, 0.95, 0.2),
      row('oracle', 0.25, 1, 0),
    ];
    await writeFile(file, JSON.stringify({ version: 1, model: 'reference', seeds: 3, rows }));
    const source = leaderboardQualitySource(file);
    const view = QualityViewSchema.parse(await source());
    expect(view.source).toMatchObject({ kind: 'leaderboard', file: 'leaderboard.json', seeds: 3 });
    expect(JSON.stringify(view)).not.toContain(dir);
    const methods = view.families[0]!.methods;
    expect(methods.map((m) => m.method)).toEqual(['oracle', 'snapkv']);
    expect(methods[1]!.points).toEqual([
      { ratio: 0.25, accuracy: 0.95, low: 0.75, high: 1, n: 3 },
      { ratio: 0.75, accuracy: 0.5, low: 0.4, high: 0.6, n: 3 },
    ]);
    await writeFile(
      file,
      JSON.stringify({ model: 'reference', seeds: 3, rows: [row('knorm', 0.5, 0.3, 0)] }),
    );
    await utimes(file, new Date(), new Date(Date.now() + 5_000));
    expect((await source()).families[0]!.methods.map((m) => m.method)).toEqual(['knorm']);
  });

  it.each([
    ['missing', null],
    ['not JSON', '{ rows: '],
    ['not a leaderboard', JSON.stringify({ rows: [{ family: 'x' }] })],
  ])('refuses a file that is %s with a typed error', async (name, content) => {
    const file = join(dir, `${name.replace(/ /g, '-')}.json`);
    if (content !== null) await writeFile(file, content);
    const error = await leaderboardQualitySource(file)().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DashboardError);
    expect(error).toMatchObject({ code: 'DASHBOARD_LEADERBOARD_INVALID' });
  });
});

describe('quality from evaluations', () => {
  it('gives the t-interval of a mean, clamped to [0, 1]', () => {
    expect(meanInterval([0.5])).toEqual({ mean: 0.5, low: 0.5, high: 0.5, n: 1 });
    const two = meanInterval([0, 1]);
    expect(two.mean).toBe(0.5);
    expect([two.low, two.high]).toEqual([0, 1]);
    const many = meanInterval([0.8, 0.9, 1, 0.9]);
    // sd 0.0816, t(3) = 3.182: half-width 0.1299.
    expect(many.low).toBeCloseTo(0.9 - 0.1299, 3);
    expect(many.high).toBe(1);
    expect(() => meanInterval([])).toThrow(RangeError);
  });

  it('groups responses per family, method and ratio bin', () => {
    const view = qualityFromEvaluations(
      [
        { family: 'recall', method: 'snapkv', ratio: 0.31, accuracy: 1 },
        { family: 'recall', method: 'snapkv', ratio: 0.29, accuracy: 0 },
        { family: 'recall', method: 'snapkv', ratio: 0.5, accuracy: 1 },
        { family: 'recall', method: 'random', ratio: 0.9, accuracy: 0 },
        { family: 'needle', method: 'text', ratio: 0.52, accuracy: 0.5 },
      ],
      { now: 1 },
    );
    QualityViewSchema.parse(view);
    expect(view.source).toEqual({ kind: 'validator', evaluations: 5 });
    expect(view.families.map((f) => f.family)).toEqual(['needle', 'recall']);
    const recall = view.families[1]!.methods;
    expect(recall.map((m) => m.method)).toEqual(['random', 'snapkv']);
    expect(recall[1]!.points.map((p) => [p.ratio, p.accuracy, p.n])).toEqual([
      [0.3, 0.5, 2],
      [0.5, 1, 1],
    ]);
  });
});
