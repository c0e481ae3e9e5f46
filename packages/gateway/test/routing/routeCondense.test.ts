import { Dendrite } from '@signal/core';
import { GatewayError, type MinerFailure, routeCondense } from '@signal/gateway';
import { MODEL, silent, TIERS } from '../support/replicas';
import { devKey, type StubMiner, startStubMiner } from '../support/stubMiner';

/*
 * A miner that refuses the request itself (a context its tier cannot take: 422 with the
 * miner's code) is no failing miner: the caller learns what was wrong with its request, and
 * no miner is put in cooldown for it. A miner that fails the request (a 503, a bad payload)
 * still makes it a 502 and counts against that miner.
 */
const tier = TIERS.find((candidate) => candidate.name === 'research')!;
let miners: StubMiner[];
let dendrite: Dendrite;

beforeAll(async () => {
  miners = await Promise.all([
    startStubMiner({ uid: 1, tier: tier.name, model: MODEL, score: 0.9 }),
    startStubMiner({ uid: 2, tier: tier.name, model: MODEL, score: 0.5 }),
  ]);
  dendrite = new Dendrite({ signer: await devKey('//validator') });
});

afterEach(() => {
  for (const miner of miners) miner.refuse(null);
});

afterAll(async () => {
  await dendrite.close();
  await Promise.all(miners.map((miner) => miner.close()));
});

async function route(failures: MinerFailure[]): Promise<unknown> {
  return routeCondense({
    dendrite,
    request: { context: 'a context the miners refuse', tier: tier.name },
    tier,
    model: MODEL,
    candidates: miners.map((miner) => miner.entry),
    geometry: undefined,
    hold: () => () => undefined,
    logger: silent,
    onFailure: (failure) => failures.push(failure),
  }).catch((error: unknown) => error);
}

describe('routeCondense when miners refuse', () => {
  it('every miner refusing the request with 422: GATEWAY_MINERS_REFUSED (422) with their code, no miner blamed', async () => {
    for (const miner of miners) miner.refuse({ status: 422, reasonCode: 'MINER_TIER_LIMIT' });
    const failures: MinerFailure[] = [];

    const error = await route(failures);

    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      code: 'GATEWAY_MINERS_REFUSED',
      status: 422,
      shortMessage: expect.stringContaining('MINER_TIER_LIMIT'),
    });
    expect(failures).toEqual([]);
    expect(miners.map((miner) => miner.requests())).toEqual([1, 1]);
  });

  it('one miner failing (503) and one refusing: a 502, and only the failing miner is blamed', async () => {
    miners[0]!.refuse({ status: 503, retryAfterSeconds: 5 });
    miners[1]!.refuse({ status: 422, reasonCode: 'MINER_TIER_LIMIT' });
    const failures: MinerFailure[] = [];

    const error = await route(failures);

    expect(error).toMatchObject({ code: 'GATEWAY_MINERS_FAILED', status: 502 });
    expect(failures.map((failure) => [failure.miner.uid, failure.retryAfterMs])).toEqual([
      [1, 5000],
    ]);
  });
});
