import { contextSpans } from '@signal/miner';
import fc from 'fast-check';

describe('contextSpans', () => {
  it('is the pieces themselves when they spell the context', () => {
    const pieces = ['The', ' cour', 'ier', ' left', '.\n', 'It', ' rained'];
    expect(contextSpans(pieces.join(''), pieces)).toEqual(pieces);
  });

  it('gives unknown words (empty pieces) their own text from the context', () => {
    const context = 'the alpha beta, gamma k01 v02.\nof delta ';
    const pieces = ['the', '', '', '', ' k01', '', ' of', ''];
    expect(contextSpans(context, pieces)).toEqual([
      'the',
      ' alpha',
      ' beta,',
      ' gamma',
      ' k01',
      ' v02.',
      '\nof',
      ' delta ',
    ]);
  });

  it('lets the last unknown token of a run take the words left over', () => {
    expect(contextSpans('one two three four', ['one', '', ''])).toEqual([
      'one',
      ' two',
      ' three four',
    ]);
    expect(contextSpans('αβγ δεζ', ['', '', '', ''])).toEqual(['αβγ', ' δεζ', '', '']);
  });

  it('places pieces a normalizer rewrote as unknown words', () => {
    expect(contextSpans('Hello World', ['hello', ' world'])).toEqual(['Hello', ' World']);
  });

  it('always concatenates to the context, whatever the pieces', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.array(fc.oneof(fc.constant(''), fc.string({ maxLength: 6 })), {
          minLength: 1,
          maxLength: 30,
        }),
        (context, pieces) => {
          const spans = contextSpans(context, pieces);
          expect(spans).toHaveLength(pieces.length);
          expect(spans.join('')).toBe(context);
        },
      ),
      { seed: 22, numRuns: 2_000 },
    );
  });
});
