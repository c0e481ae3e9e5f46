import { exactMatch, extractAnswer, normalizeAnswer, tokenF1 } from '@signal/validator';
import fc from 'fast-check';

describe('normalizeAnswer', () => {
  it('drops case, punctuation, articles and extra whitespace', () => {
    expect(normalizeAnswer('  The  JMY-4384. ')).toBe('jmy4384');
    expect(normalizeAnswer('An apple, a pear!')).toBe('apple pear');
    expect(normalizeAnswer('Theory of the thing')).toBe('theory of thing');
  });
});

describe('exactMatch and tokenF1', () => {
  it('match formatting variants and take the best reference', () => {
    expect(exactMatch('jmy4384', ['JMY-4384'])).toBe(1);
    expect(exactMatch('JMY-4385', ['JMY-4384'])).toBe(0);
    expect(exactMatch('March 14, 1987', ['14 March 1987', 'March 14, 1987'])).toBe(1);
    expect(tokenF1('Clara Pelham', ['Clara Pelham'])).toBe(1);
    expect(tokenF1('Clara', ['Clara Pelham'])).toBeCloseTo(2 / 3);
    expect(tokenF1('The keeper is Clara Pelham', ['Clara Pelham'])).toBeCloseTo(
      (2 * 0.5 * 1) / 1.5,
    );
    expect(tokenF1('Edda Marlow', ['Clara Pelham'])).toBe(0);
    expect(tokenF1('', ['Clara Pelham'])).toBe(0);
    expect(tokenF1('the', ['a'])).toBe(1);
  });

  it('keeps F1 in [0, 1], symmetric, 1 on itself, and at least EM', () => {
    const words = fc.constantFrom('alpha', 'beta', 'gamma', 'the', 'Delta', '4384', 'x-y', '.');
    const phrase = fc.array(words, { maxLength: 8 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(phrase, phrase, (a, b) => {
        const f1 = tokenF1(a, [b]);
        expect(f1).toBeGreaterThanOrEqual(0);
        expect(f1).toBeLessThanOrEqual(1);
        expect(f1).toBeCloseTo(tokenF1(b, [a]), 12);
        expect(tokenF1(a, [a])).toBe(1);
        expect(f1).toBeGreaterThanOrEqual(exactMatch(a, [b]));
      }),
    );
  });
});

describe('extractAnswer', () => {
  it('keeps the first non-empty line without an answer label', () => {
    expect(extractAnswer('\n\nAnswer: JMY-4384\nI hope this helps.')).toBe('JMY-4384');
    expect(extractAnswer('**Answer:** Clara Pelham')).toBe('Clara Pelham');
    expect(extractAnswer('14 March 1987')).toBe('14 March 1987');
    expect(extractAnswer('')).toBe('');
  });
});
