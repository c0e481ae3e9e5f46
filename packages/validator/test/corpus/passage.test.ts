import {
  composePassage,
  fillerSentences,
  generateFiller,
  passageText,
  SeededRandom,
} from '@signal/validator';
import fc from 'fast-check';

describe('generateFiller', () => {
  it('is deterministic from the seed and differs across seeds', () => {
    expect(generateFiller('a', 2000)).toBe(generateFiller('a', 2000));
    expect(generateFiller('a', 2000)).not.toBe(generateFiller('b', 2000));
  });

  it('never passes the budget and comes within one sentence of it', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 8000 }), (seed, maxChars) => {
        const text = generateFiller(seed, maxChars);
        expect(text.length).toBeLessThanOrEqual(maxChars);
        // A sentence is under ~120 characters, plus the separator budget per sentence.
        if (maxChars >= 500) expect(text.length).toBeGreaterThan(maxChars * 0.9 - 120);
        if (text.length > 0) expect(text).toMatch(/^[A-Z][\s\S]*\.$/);
      }),
      { numRuns: 60 },
    );
  });

  it('reads as sentences in paragraphs', () => {
    const text = generateFiller('prose', 3000);
    const paragraphs = text.split('\n\n');
    expect(paragraphs.length).toBeGreaterThan(3);
    for (const paragraph of paragraphs) {
      const sentences = paragraph.split(/(?<=\.) /);
      expect(sentences.length).toBeGreaterThanOrEqual(1);
      expect(sentences.length).toBeLessThanOrEqual(6);
      for (const sentence of sentences) expect(sentence).toMatch(/^[A-Z][^.]*\.$/);
    }
  });
});

describe('composePassage', () => {
  it('places every insert once at its reported index, within budget', () => {
    const inserts = ['Fact one is here.', 'Fact two is here.', 'Fact three is here.'];
    const random = SeededRandom.from('compose');
    const passage = composePassage({
      random,
      filler: fillerSentences(random.fork('f')),
      maxChars: 1500,
      inserts,
    });
    inserts.forEach((insert, i) => {
      expect(passage.sentences[passage.insertIndices[i]!]).toBe(insert);
    });
    const text = passageText(passage);
    expect(text.length).toBeLessThanOrEqual(1500);
    for (const insert of inserts) expect(text.split(insert)).toHaveLength(2);
  });

  it('refuses a budget that cannot hold the inserts', () => {
    const random = SeededRandom.from('small');
    expect(() =>
      composePassage({
        random,
        filler: fillerSentences(random),
        maxChars: 10,
        inserts: ['A long fact sentence.'],
      }),
    ).toThrow(expect.objectContaining({ code: 'CORPUS_BUDGET_TOO_SMALL' }));
  });

  it('splits at sentence boundaries', () => {
    const random = SeededRandom.from('split');
    const passage = composePassage({
      random,
      filler: fillerSentences(random.fork('f')),
      maxChars: 800,
    });
    const n = passage.sentences.length;
    const mid = Math.floor(n / 2);
    expect(
      passageText(passage, 0, mid) + passage.separators[mid] + passageText(passage, mid, n),
    ).toBe(passageText(passage));
  });
});
