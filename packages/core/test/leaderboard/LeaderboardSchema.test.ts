import { LeaderboardRowSchema, LeaderboardSchema } from '@signal/core';

const board = {
  version: 1,
  model: 'reference',
  seed: 'leaderboard',
  seeds: 3,
  tasks: 4,
  context_chars: 2500,
  ratios: [0.25, 0.5, 0.75, 0.875],
  families: ['multi_query'],
  methods: [
    { name: 'full', description: 'The whole context.', query_agnostic: true },
    { name: 'adakv(kvzip)', description: 'Head budgets.', query_agnostic: true },
  ],
  rows: [
    { family: 'multi_query', method: 'full', ratio: 0, accuracy: 1, ci95: 0, query_agnostic: true },
    {
      family: 'multi_query',
      method: 'adakv(kvzip)',
      ratio: 0.875,
      accuracy: 0.9,
      ci95: 0.05,
      query_agnostic: true,
    },
  ],
  wall_seconds: 61.2,
};

describe('LeaderboardSchema', () => {
  it('takes a leaderboard document as signal leaderboard --json prints it', () => {
    expect(LeaderboardSchema.parse(board)).toEqual(board);
  });

  it('refuses rows outside their ranges, unknown fields and odd names, naming the field', () => {
    const row = board.rows[1]!;
    for (const [bad, path] of [
      [{ ...row, ratio: 1 }, 'ratio'],
      [{ ...row, accuracy: 1.2 }, 'accuracy'],
      [{ ...row, ci95: -0.1 }, 'ci95'],
      [{ ...row, method: 'AdaKV kvzip' }, 'method'],
    ] as const) {
      const result = LeaderboardRowSchema.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual([path]);
    }
    expect(LeaderboardRowSchema.safeParse({ ...row, extra: 1 }).success).toBe(false);
    expect(LeaderboardSchema.safeParse({ ...board, version: 2 }).success).toBe(false);
    expect(LeaderboardSchema.safeParse({ ...board, rows: [] }).success).toBe(false);
  });
});
