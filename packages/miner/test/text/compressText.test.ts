import { compressText, isForcedToken, segmentUnits, TextInputError } from '@signal/miner';

// "The cat sat on the mat.\nIt cost 42 dollars."
const tokens = [
  'The',
  ' cat',
  ' sat',
  ' on',
  ' the',
  ' mat',
  '.',
  '\n',
  'It',
  ' cost',
  ' 42',
  ' dollars',
  '.',
];
const logprobs = [-1, -6, -5, -0.5, -0.2, -4, -0.1, -0.1, -2, -3, -7, -1.5, -0.1];
const input = { tokens, logprobs };

describe('compressText', () => {
  it('drops the least informative tokens and keeps the forced ones', () => {
    const result = compressText(input, { ratio: 0.5 });
    // budget 7 (6.5 rounds up): forced '.', '\n', ' 42', '.' then ' cat', ' sat', ' mat'
    expect(result.condensedTokens).toBe(7);
    expect(result.originalTokens).toBe(13);
    expect([...result.keptIndices]).toEqual([1, 2, 5, 6, 7, 10, 12]);
    expect(result.text).toBe(' cat sat mat.\n 42.');
  });

  it('returns fewer tokens than the input at every positive ratio', () => {
    for (const ratio of [0.1, 0.25, 0.5, 0.75]) {
      const result = compressText(input, { ratio });
      expect(result.condensedTokens).toBeLessThan(tokens.length);
      for (const forced of [6, 7, 10, 12]) expect(result.keptIndices).toContain(forced);
    }
  });

  it('keeps everything at ratio 0', () => {
    expect(compressText(input, { ratio: 0 }).text).toBe(tokens.join(''));
  });

  it('makes forced rules configurable and accepts an extra predicate', () => {
    const noForce = { newlines: false, digits: false, punctuation: false };
    const plain = compressText(input, { ratio: 0.75, force: noForce });
    expect(plain.text).toBe(' cat sat 42');
    const custom = compressText(input, {
      ratio: 0.75,
      force: noForce,
      forceToken: (t) => t === ' on',
    });
    expect(custom.text).toBe(' cat on 42');
  });

  it('keeps only the forced tokens when they exceed the budget', () => {
    const result = compressText(
      { tokens: ['1', '2', '3', 'x'], logprobs: [-1, -1, -1, -9] },
      { ratio: 0.5 },
    );
    expect(result.text).toBe('123');
  });

  it('keeps or drops whole words', () => {
    const words = ['Un', 'believ', 'able', ' story', ' here'];
    const lp = [-9, -0.1, -0.1, -2, -0.5];
    // token level keeps 'Un', ' story', ' here' (budget 3)
    expect(compressText({ tokens: words, logprobs: lp }, { ratio: 0.4 }).text).toBe(
      'Un story here',
    );
    // word level: 'Unbelievable' (mean 3.07) costs 3 and fits exactly
    expect(
      compressText({ tokens: words, logprobs: lp }, { ratio: 0.4, granularity: 'word' }).text,
    ).toBe('Unbelievable');
  });

  it('keeps or drops whole sentences, ranked by mean or by sum', () => {
    const sentences = ['A', ' b', '.', ' C', ' d', ' e', ' f', '.', ' G', '!'];
    const lp = [-5, -5, 0, -3, -3, -3, -3, 0, -6, 0];
    const force = { punctuation: false };
    const mean = compressText(
      { tokens: sentences, logprobs: lp },
      { ratio: 0.5, granularity: 'sentence', force },
    );
    expect(mean.text).toBe('A b. G!');
    const sum = compressText(
      { tokens: sentences, logprobs: lp },
      { ratio: 0.5, granularity: 'sentence', aggregate: 'sum', force },
    );
    expect(sum.text).toBe(' C d e f.');
  });

  it('refuses mismatched lengths, NaN, positive log-probabilities and bad ratios', () => {
    expect(() => compressText({ tokens: ['a'], logprobs: [] }, { ratio: 0.5 })).toThrow(
      /1 tokens but 0 log-probabilities/,
    );
    expect(() =>
      compressText({ tokens: ['a', 'b'], logprobs: [-1, Number.NaN] }, { ratio: 0.5 }),
    ).toThrow(TextInputError);
    expect(() =>
      compressText({ tokens: ['a', 'b'], logprobs: [-1, Number.NaN] }, { ratio: 0.5 }),
    ).toThrow(/Token 1 has log-probability NaN/);
    expect(() => compressText({ tokens: ['a'], logprobs: [0.5] }, { ratio: 0.5 })).toThrow(
      /Token 0/,
    );
    expect(() => compressText(input, { ratio: 1 })).toThrow(/ratio 1/);
  });

  it('treats −Infinity as infinitely informative', () => {
    const result = compressText(
      {
        tokens: ['a', 'b', 'c', 'd'],
        logprobs: [-1, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, -3],
      },
      { ratio: 0.5 },
    );
    expect(result.text).toBe('bc');
  });
});

describe('segmentUnits', () => {
  it('splits words on whitespace and sentences on terminators followed by space or newlines', () => {
    expect(segmentUnits(['Un', 'believ', 'able', ' story'], 'word')).toEqual([
      [0, 3],
      [3, 4],
    ]);
    expect(
      segmentUnits(['Pi', ' is', ' 3', '.', '14', '.', ' Yes', '\n', 'No'], 'sentence'),
    ).toEqual([
      [0, 6],
      [6, 8],
      [8, 9],
    ]);
    expect(segmentUnits(['a', 'b'], 'token')).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(segmentUnits([], 'word')).toEqual([]);
  });
});

describe('isForcedToken', () => {
  const all = { newlines: true, digits: true, punctuation: true };
  it.each([
    ['\n', true],
    [' 42', true],
    [' ,', true],
    ['...', true],
    [' word', false],
    ['a1', true],
    [' ', false],
  ])('%p forced: %p', (token, expected) => {
    expect(isForcedToken(token, all)).toBe(expected);
  });
});
