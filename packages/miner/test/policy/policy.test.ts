import {
  admissionPolicyFromLimits,
  admitCaller,
  callerPriority,
  comparePriority,
  EpochRateLimiter,
  indexMetagraph,
  type NeuronView,
  PolicyInputError,
  parseMinerConfig,
  type RequestRefusedError,
  validatorQuota,
} from '@signal/miner';

const TAO = 1_000_000_000n;
const neurons: NeuronView[] = [
  { uid: 0, hotkey: 'big-validator', stake: 3000n * TAO, validatorPermit: true },
  { uid: 1, hotkey: 'small-validator', stake: 1000n * TAO, validatorPermit: true },
  { uid: 2, hotkey: 'poor-validator', stake: 10n * TAO, validatorPermit: true },
  { uid: 3, hotkey: 'miner', stake: 5000n * TAO, validatorPermit: false },
];
const metagraph = indexMetagraph(neurons);
const policy = { minValidatorStake: 100n * TAO, allowlist: new Set(['direct-client', 'miner']) };

function refusalOf(hotkey: string, purpose: 'work' | 'metadata' = 'work'): RequestRefusedError {
  const admission = admitCaller(hotkey, metagraph, policy, purpose);
  if (admission.admitted) throw new Error(`${hotkey} was admitted`);
  return admission.refusal;
}

describe('indexMetagraph', () => {
  it('sums the stake of permitted validators only', () => {
    expect(metagraph.validatorStake).toBe(4010n * TAO);
    expect(metagraph.validatorCount).toBe(3);
  });

  it('refuses duplicate hotkeys and negative stake', () => {
    expect(() => indexMetagraph([neurons[0]!, neurons[0]!])).toThrow(/appears twice/);
    expect(() => indexMetagraph([{ ...neurons[0]!, stake: -1n }])).toThrow(PolicyInputError);
  });
});

describe('admitCaller', () => {
  it('admits a permitted validator with enough stake', () => {
    expect(admitCaller('big-validator', metagraph, policy)).toMatchObject({
      admitted: true,
      as: 'validator',
    });
  });

  it('refuses an unregistered hotkey with 403 and the reason', () => {
    const refusal = refusalOf('stranger');
    expect(refusal.status).toBe(403);
    expect(refusal.code).toBe('MINER_UNREGISTERED_HOTKEY');
    expect(refusal.shortMessage).toContain('stranger is not registered');
  });

  it('refuses a low-stake validator for work but not for metadata', () => {
    const refusal = refusalOf('poor-validator');
    expect(refusal).toMatchObject({ status: 403, code: 'MINER_STAKE_TOO_LOW' });
    expect(refusal.details).toContain(`${100n * TAO} rao`);
    expect(admitCaller('poor-validator', metagraph, policy, 'metadata')).toMatchObject({
      admitted: true,
    });
  });

  it('refuses a neuron without a permit unless allowlisted', () => {
    const noAllowlist = { ...policy, allowlist: new Set<string>() };
    const admission = admitCaller('miner', metagraph, noAllowlist);
    expect(admission.admitted || admission.refusal.code).toBe('MINER_NO_VALIDATOR_PERMIT');
    expect(admitCaller('miner', metagraph, policy)).toMatchObject({
      admitted: true,
      as: 'allowlisted',
    });
  });

  it('admits allowlisted direct clients that are not registered', () => {
    expect(admitCaller('direct-client', metagraph, policy)).toEqual({
      admitted: true,
      as: 'allowlisted',
      hotkey: 'direct-client',
      neuron: undefined,
    });
  });

  it('builds its policy from a config', () => {
    const hotkey = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
    const config = parseMinerConfig({
      models: { m: { base_model_dir: '/m' } },
      tiers: { research: { method: 'knorm', ratio: 0.5 } },
      limits: { min_validator_stake: '2000', allowlist: [hotkey] },
    });
    const fromConfig = admissionPolicyFromLimits(config.limits);
    expect(fromConfig.minValidatorStake).toBe(2000n * TAO);
    expect(fromConfig.allowlist.has(hotkey)).toBe(true);
    expect(admitCaller('small-validator', metagraph, fromConfig).admitted).toBe(false);
  });
});

describe('priority', () => {
  it('orders callers by stake, unknown callers last', () => {
    const order = ['direct-client', 'small-validator', 'big-validator'].sort((a, b) =>
      comparePriority(callerPriority(a, metagraph), callerPriority(b, metagraph)),
    );
    expect(order).toEqual(['big-validator', 'small-validator', 'direct-client']);
  });
});

describe('EpochRateLimiter', () => {
  const admitted = (hotkey: string) => {
    const admission = admitCaller(hotkey, metagraph, policy);
    if (!admission.admitted) throw admission.refusal;
    return admission;
  };

  it('gives validators quotas proportional to stake share, at least one', () => {
    expect(validatorQuota(3000n * TAO, metagraph, 100)).toBe(74); // 100 × 3000/4010
    expect(validatorQuota(1000n * TAO, metagraph, 100)).toBe(24);
    expect(validatorQuota(10n * TAO, metagraph, 100)).toBe(1); // 0.25 rounds down, floored at 1
    const zero = indexMetagraph([{ uid: 0, hotkey: 'a', stake: 0n, validatorPermit: true }]);
    expect(validatorQuota(0n, zero, 10)).toBe(10);
  });

  it('refuses with 429 once the quota is used, and resets on a new epoch', () => {
    const limiter = new EpochRateLimiter({ requestsPerEpoch: 8, allowlistRequestsPerEpoch: 2 });
    const caller = admitted('small-validator'); // 8 × 1000/4010 → 1
    expect(limiter.take(caller, 5, metagraph)).toEqual({
      allowed: true,
      quota: 1,
      remaining: 0,
    });
    const refused = limiter.take(caller, 5, metagraph);
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    expect(refused.refusal.status).toBe(429);
    expect(refused.refusal.code).toBe('MINER_RATE_LIMITED');
    expect(refused.refusal.shortMessage).toContain('1 requests for epoch 5');
    // a stale epoch counts against the current one
    expect(limiter.take(caller, 4, metagraph).allowed).toBe(false);
    expect(limiter.take(caller, 6, metagraph).allowed).toBe(true);
  });

  it('counts callers separately and gives allowlisted clients their fixed quota', () => {
    const limiter = new EpochRateLimiter({ requestsPerEpoch: 100, allowlistRequestsPerEpoch: 2 });
    const big = admitted('big-validator');
    for (let i = 0; i < 74; i++) expect(limiter.take(big, 1, metagraph).allowed).toBe(true);
    expect(limiter.take(big, 1, metagraph).allowed).toBe(false);
    const client = admitted('direct-client');
    expect(limiter.take(client, 1, metagraph).allowed).toBe(true);
    expect(limiter.take(client, 1, metagraph).allowed).toBe(true);
    expect(limiter.take(client, 1, metagraph).allowed).toBe(false);
  });

  it('bounds the callers it tracks per epoch', () => {
    const limiter = new EpochRateLimiter({
      requestsPerEpoch: 100,
      allowlistRequestsPerEpoch: 5,
      maxTracked: 2,
    });
    const as = (hotkey: string) =>
      ({ admitted: true, as: 'allowlisted', hotkey, neuron: undefined }) as const;
    expect(limiter.take(as('a'), 1, metagraph).allowed).toBe(true);
    expect(limiter.take(as('b'), 1, metagraph).allowed).toBe(true);
    const third = limiter.take(as('c'), 1, metagraph);
    expect(third.allowed || third.refusal.shortMessage).toMatch(/Too many distinct callers/);
    expect(limiter.take(as('a'), 1, metagraph).allowed).toBe(true);
    expect(limiter.tracked).toBe(2);
    expect(limiter.take(as('c'), 2, metagraph).allowed).toBe(true);
    expect(limiter.tracked).toBe(1);
  });

  it('refuses bad options and epochs', () => {
    expect(
      () => new EpochRateLimiter({ requestsPerEpoch: 0, allowlistRequestsPerEpoch: 1 }),
    ).toThrow(/requestsPerEpoch must be an integer >= 1/);
    const limiter = new EpochRateLimiter({ requestsPerEpoch: 1, allowlistRequestsPerEpoch: 1 });
    expect(() => limiter.take(admitted('big-validator'), -1, metagraph)).toThrow(PolicyInputError);
  });
});
