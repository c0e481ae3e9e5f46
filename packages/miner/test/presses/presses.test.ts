import {
  gatherKept,
  isPressName,
  knormScores,
  PRESS_NAMES,
  PRESSES,
  PressInputError,
  randomScores,
  runPress,
  streamingLlmScores,
  type Tensor3,
} from '@signal/miner';
import { randomTensor } from './helpers';

describe('press registry', () => {
  it('lists the presses and says which inputs each needs', () => {
    expect([...PRESS_NAMES].sort()).toEqual([
      'expected_attention',
      'keydiff',
      'knorm',
      'random',
      'snapkv',
      'streaming_llm',
    ]);
    expect(PRESS_NAMES.filter((name) => PRESSES[name].needsQueries)).toEqual(['snapkv']);
    expect(PRESS_NAMES.filter((name) => PRESSES[name].needsPreRopeQueries)).toEqual([
      'expected_attention',
    ]);
    expect(PRESS_NAMES.filter((name) => PRESSES[name].needsValues)).toEqual(['expected_attention']);
    expect(isPressName('knorm')).toBe(true);
    expect(isPressName('toString')).toBe(false);
  });
});

describe('knorm', () => {
  it('scores −‖k‖ and keeps the keys with the smallest norms', () => {
    // one head, four positions, head_dim 2: norms 5, 1, 3, 0
    const keys: Tensor3 = { data: Float32Array.from([3, 4, 0, 1, 3, 0, 0, 0]), shape: [1, 4, 2] };
    expect([...knormScores(keys).data]).toEqual([-5, -1, -3, -0]);
    const selection = runPress({ press: 'knorm', layers: [{ keys }], ratio: 0.5 });
    expect([...selection.layers[0]![0]!]).toEqual([1, 3]);
  });
});

describe('streaming_llm', () => {
  const keys = randomTensor([2, 12, 4], 1);

  it('keeps the 4 sink tokens and the most recent ones', () => {
    const selection = runPress({ press: 'streaming_llm', layers: [{ keys }], ratio: 0.5 });
    for (const head of selection.layers[0]!) expect([...head]).toEqual([0, 1, 2, 3, 10, 11]);
  });

  it('honours sinkTokens, and keeps the earliest sinks when k is smaller', () => {
    const layers = [{ keys }];
    const custom = runPress({
      press: 'streaming_llm',
      layers,
      ratio: 0.5,
      options: { sinkTokens: 1 },
    });
    expect([...custom.layers[0]![0]!]).toEqual([0, 7, 8, 9, 10, 11]);
    const tight = runPress({ press: 'streaming_llm', layers, ratio: 0.8 });
    expect([...tight.layers[0]![0]!]).toEqual([0, 1]);
  });

  it('refuses a negative sink count', () => {
    expect(() => streamingLlmScores(keys, { sinkTokens: -1 })).toThrow(PressInputError);
  });
});

describe('random', () => {
  const keys = randomTensor([3, 40, 4], 2);

  it('is reproducible per seed and layer, and differs otherwise', () => {
    expect(randomScores(keys, 0, { seed: 7 }).data).toEqual(
      randomScores(keys, 0, { seed: 7 }).data,
    );
    expect(randomScores(keys, 0, { seed: 7 }).data).not.toEqual(
      randomScores(keys, 0, { seed: 8 }).data,
    );
    expect(randomScores(keys, 0, { seed: 7 }).data).not.toEqual(
      randomScores(keys, 1, { seed: 7 }).data,
    );
  });

  it('scores in [0, 1) and keeps different positions per head', () => {
    const { data } = randomScores(keys, 0, { seed: 3 });
    expect(data.every((v) => v >= 0 && v < 1)).toBe(true);
    const selection = runPress({
      press: 'random',
      layers: [{ keys }],
      ratio: 0.5,
      options: { seed: 3 },
    });
    const [a, b] = selection.layers[0]!;
    expect([...a!]).not.toEqual([...b!]);
  });

  it('refuses a seed that is not a 32-bit integer', () => {
    expect(() => randomScores(keys, 0, { seed: 1.5 })).toThrow(/32-bit integer/);
  });
});

describe('runPress', () => {
  const layers = [0, 1, 2].map((seed) => ({ keys: randomTensor([2, 30, 8], seed) }));

  it.each([0.25, 0.5, 0.75])(
    'keeps the same ascending count in every head and layer at %f',
    (ratio) => {
      const expected = Math.floor(30 * (1 - ratio) + 0.5);
      for (const press of ['knorm', 'random', 'streaming_llm'] as const) {
        const selection = runPress({ press, layers, ratio });
        expect(selection).toMatchObject({ originalLength: 30, kept: expected });
        expect(selection.layers).toHaveLength(3);
        for (const heads of selection.layers) {
          expect(heads).toHaveLength(2);
          for (const head of heads) {
            expect(head).toHaveLength(expected);
            expect([...head]).toEqual([...head].sort((x, y) => x - y));
            expect(new Set(head).size).toBe(expected);
          }
        }
      }
    },
  );

  it('keeps everything at ratio 0 without needing queries', () => {
    const selection = runPress({ press: 'snapkv', layers, ratio: 0 });
    expect([...selection.layers[1]![0]!]).toEqual([...Array(30).keys()]);
  });

  it('refuses bad ratios, missing queries, mismatched layers and bad shapes', () => {
    expect(() => runPress({ press: 'knorm', layers, ratio: 1 })).toThrow(/ratio 1/);
    expect(() => runPress({ press: 'snapkv', layers, ratio: 0.5 })).toThrow(/queries/);
    const short = { keys: randomTensor([2, 20, 8], 9) };
    expect(() => runPress({ press: 'knorm', layers: [...layers, short], ratio: 0.5 })).toThrow(
      /Layer 3 scores 20 positions/,
    );
    const broken = {
      keys: { data: new Float32Array(5), shape: [2, 30, 8] as [number, number, number] },
    };
    expect(() => runPress({ press: 'knorm', layers: [broken], ratio: 0.5 })).toThrow(
      /holds 5 values/,
    );
    expect(() => runPress({ press: 'knorm', layers: [], ratio: 0.5 })).toThrow(PressInputError);
    const fromTheWire = 'toString' as 'knorm';
    expect(() => runPress({ press: fromTheWire, layers, ratio: 0.5 })).toThrow(
      /Unknown press "toString"/,
    );
  });

  it('reports NaN keys as a press input error', () => {
    const keys = randomTensor([1, 6, 2], 4);
    keys.data[5] = Number.NaN;
    expect(() => runPress({ press: 'knorm', layers: [{ keys }], ratio: 0.5 })).toThrow(
      /NaN score at position 2/,
    );
  });
});

describe('gatherKept', () => {
  it('copies the kept rows of each head in order', () => {
    const tensor: Tensor3 = {
      data: Float32Array.from([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]),
      shape: [2, 3, 2],
    };
    const gathered = gatherKept(tensor, [Int32Array.from([0, 2]), Int32Array.from([1, 2])]);
    expect(gathered.shape).toEqual([2, 2, 2]);
    expect([...gathered.data]).toEqual([0, 1, 4, 5, 12, 13, 14, 15]);
  });

  it('refuses ragged selections and out-of-range positions', () => {
    const tensor = randomTensor([2, 3, 2], 1);
    expect(() => gatherKept(tensor, [Int32Array.from([0])])).toThrow(/1 heads/);
    expect(() => gatherKept(tensor, [Int32Array.from([0]), Int32Array.from([0, 1])])).toThrow(
      /keeps 2/,
    );
    expect(() => gatherKept(tensor, [Int32Array.from([3]), Int32Array.from([0])])).toThrow(
      /outside/,
    );
  });
});
