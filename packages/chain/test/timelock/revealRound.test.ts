import { computeRevealRound } from '../../src/timelock/revealRound';

// Worked examples: the parameters of bittensor-drand's own tests (tests/test_commit_reveal.py
// and src/drand.rs), with the clock fixed at 1 750 000 000 s, evaluated with that test
// suite's reference formula (compute_expected_reveal_round).
const NOW = 1_750_000_000;

describe('computeRevealRound', () => {
  it.each([
    // tempo, block, netuid, reveal period, expected round
    [100, 1000, 1, 2, 19_065_992],
    [50, 500, 100, 2, 19_065_804],
    [20, 1000, 1, 3, 19_065_748],
    [10, 100_000, 1, 1, 19_065_596],
    [50, 100_000, 1, 1, 19_065_592],
    [100, 100_000, 1, 1, 19_065_912],
    [250, 100_000, 1, 1, 19_066_144],
    [360, 100_000, 1, 1, 19_066_980],
    [500, 100_000, 1, 1, 19_066_348],
    [750, 100_000, 1, 1, 19_068_084],
    [1000, 100_000, 1, 1, 19_065_948],
  ])(
    'tempo %i, block %i, netuid %i, period %i → round %i',
    (tempo, currentBlock, netuid, period, expected) => {
      expect(
        computeRevealRound({
          tempo,
          currentBlock,
          netuid,
          revealPeriodEpochs: period,
          blockTimeSeconds: 12,
          nowSeconds: NOW,
        }),
      ).toBe(expected);
    },
  );

  it('rounds down a fractional clock and never goes below round 1', () => {
    expect(
      computeRevealRound({
        tempo: 360,
        currentBlock: 6_852_690,
        netuid: 1,
        revealPeriodEpochs: 1,
        blockTimeSeconds: 12,
        nowSeconds: NOW + 0.5,
      }),
    ).toBe(19_066_240);
    expect(
      computeRevealRound({
        tempo: 10,
        currentBlock: 0,
        netuid: 1,
        revealPeriodEpochs: 1,
        blockTimeSeconds: 12,
        nowSeconds: 1_000,
      }),
    ).toBe(1);
  });

  it('counts on the beacon it is given', () => {
    expect(
      computeRevealRound({
        tempo: 10,
        currentBlock: 0,
        netuid: 1,
        revealPeriodEpochs: 1,
        blockTimeSeconds: 12,
        nowSeconds: 1_000,
        beacon: { genesisTime: 1_000, periodSeconds: 2 },
      }),
      // Reveal epoch 1 starts at block 9; three blocks in is block 12, 144 s away: round 72.
    ).toBe(72);
  });
});
