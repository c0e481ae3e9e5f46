import type {
  DashboardSources,
  GatewayView,
  MinerDetail,
  MinerEpoch,
  MinersView,
  QualityView,
  SubnetView,
} from '../../src/index';

/** A made-up SS58-looking address per uid (the dashboard only displays it). */
export const hotkeyOf = (uid: number) =>
  `5Fixture${String(uid).padStart(4, '0')}HotkeyAddressXyz${uid % 10}`;

export interface FixtureState {
  epoch: number;
  miners: number;
  /** The uid that fails everything (scores 0). */
  poorUid: number;
}

function epochRecord(uid: number, epoch: number, poor: boolean): MinerEpoch {
  const score = poor ? 0 : 0.5 + ((uid * 7 + epoch * 3) % 40) / 100;
  return {
    epoch,
    block: epoch * 11,
    at: 1_700_000_000_000 + epoch * 60_000,
    tier: 'research',
    method: poor ? 'random' : ['snapkv', 'knorm', 'text'][uid % 3]!,
    requests: 4,
    scored: 4,
    valid: poor ? 0 : 4,
    score,
    accuracy: score,
    compression: poor ? 0 : 0.3,
    families: [{ family: 'recall', scored: 4, score, accuracy: score }],
    failures: { timeout: poor ? 2 : 0, invalid_payload: poor ? 1 : 0, refused: poor ? 1 : 0 },
    latency_ms: poor ? null : { p50: 20 + uid, p90: 30 + uid, p99: 40 + uid, count: 4 },
    weight: poor ? 0 : 1 / 8,
    moving_score: score,
  };
}

function detail(state: FixtureState, uid: number): MinerDetail {
  const poor = uid === state.poorUid;
  const epochs = Array.from({ length: state.epoch }, (_, i) => epochRecord(uid, i + 1, poor));
  const last = epochs.at(-1)!;
  return {
    uid,
    hotkey: hotkeyOf(uid),
    tier: 'research',
    method: last.method,
    moving_score: last.moving_score,
    weight: last.weight,
    epochs,
    evaluations: [
      {
        epoch: state.epoch,
        at: last.at,
        task_id: `t-${state.epoch}-0`,
        family: 'recall',
        tier: 'research',
        method: last.method,
        outcome: poor ? 'timeout' : 'scored',
        code: poor ? 'QUERY_FAILED' : null,
        message: poor ? '408 Request timeout after 20 seconds' : null,
        score: poor ? 0 : last.score,
        accuracy: poor ? null : last.accuracy,
        compression: poor ? null : 0.3,
        latency_ms: poor ? null : 25,
      },
    ],
    generated_at: Date.now(),
  };
}

/**
 * In-memory sources shaped like a small devnet's: `state` can be changed by a test to make
 * the next read differ (a new epoch), as a running validator's would.
 */
export function fixtureSources(
  state: FixtureState,
  extra: { secret?: string } = {},
): DashboardSources {
  const uids = Array.from({ length: state.miners + 1 }, (_, uid) => uid);
  return {
    role: 'validator',
    netuid: 1,
    hotkey: hotkeyOf(0),
    subnet: async (): Promise<SubnetView> => ({
      netuid: 1,
      block: state.epoch * 11,
      tempo: 10,
      neurons: uids.map((uid) => ({
        uid,
        hotkey: hotkeyOf(uid),
        stake_tao: uid === 0 ? 1000 : uid / 10,
        stake_rao: String(uid === 0 ? 1000n * 10n ** 9n : BigInt(uid) * 10n ** 8n),
        trust: uid === 0 ? 0 : 1,
        consensus: 0.1,
        incentive: uid === 0 || uid === state.poorUid ? 0 : 1 / state.miners,
        dividends: uid === 0 ? 1 : 0,
        emission_tao: 0.5,
        validator_permit: uid === 0,
        active: true,
        axon: uid === 0 ? null : { ip: '127.0.0.1', port: 9000 + uid },
        last_update: state.epoch * 11,
        // A field no schema declares: it must never reach a response.
        ...(extra.secret ? { coldkey_mnemonic: extra.secret } : {}),
      })),
      commit_reveal: {
        enabled: true,
        reveal_period_epochs: 1,
        epoch: state.epoch,
        last_stored_round: 1234,
        pending: [
          {
            hotkey: hotkeyOf(0),
            uid: 0,
            epoch: state.epoch,
            reveal_epoch: state.epoch + 1,
            reveal_round: 1300,
            block: state.epoch * 11,
            commit_hash: '0xabcdef0123456789',
          },
        ],
        reveals: [],
      },
      generated_at: Date.now(),
    }),
    miners: async (): Promise<MinersView> => ({
      epoch: state.epoch,
      history_epochs: 32,
      miners: uids.slice(1).map((uid) => {
        const d = detail(state, uid);
        const last = d.epochs.at(-1)!;
        return {
          uid,
          hotkey: d.hotkey,
          tier: d.tier,
          method: d.method,
          moving_score: d.moving_score,
          weight: d.weight,
          last_epoch: state.epoch,
          last_score: last.score,
          failures: last.failures,
          latency_ms: last.latency_ms,
          trend: d.epochs.map((e) => ({ epoch: e.epoch, score: e.score })),
        };
      }),
      generated_at: Date.now(),
    }),
    minerDetail: async (uid) => (uid >= 1 && uid <= state.miners ? detail(state, uid) : null),
    quality: async (): Promise<QualityView> => ({
      source: { kind: 'validator', evaluations: 40 },
      families: [
        {
          family: 'recall',
          methods: ['knorm', 'random', 'snapkv'].map((method, m) => ({
            method,
            query_agnostic: null,
            points: [0.25, 0.5, 0.75].map((ratio) => {
              const accuracy = Math.max(0, 1 - ratio * (m + 1) * 0.5);
              return {
                ratio,
                accuracy,
                low: Math.max(0, accuracy - 0.1),
                high: Math.min(1, accuracy + 0.1),
                n: 8,
              };
            }),
          })),
        },
      ],
      generated_at: Date.now(),
    }),
    gateway: async (): Promise<GatewayView> => ({
      keys: [
        { key_id: 'a1b2c3d4e5f6', name: 'client-one', revoked: false },
        { key_id: '0f0e0d0c0b0a', name: null, revoked: true },
      ],
      usage: [
        {
          key_id: 'a1b2c3d4e5f6',
          day: '2026-01-01',
          requests: 10 + state.epoch,
          status_2xx: 8,
          status_4xx: 2 + state.epoch,
          status_5xx: 0,
          rate_limited: 1,
          tokens_in: 1000,
          tokens_out: 300,
        },
        {
          key_id: '0f0e0d0c0b0a',
          day: '2026-01-02',
          requests: 3,
          status_2xx: 1,
          status_4xx: 1,
          status_5xx: 1,
          rate_limited: 0,
          tokens_in: 100,
          tokens_out: 30,
        },
      ],
      generated_at: Date.now(),
    }),
  };
}
