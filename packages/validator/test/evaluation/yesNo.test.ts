import { parseYesNo, yesNoAccuracy } from '@signal/validator';

describe('parseYesNo', () => {
  it.each([
    ['Yes', 'yes'],
    ['no.', 'no'],
    ['  **Yes**, the sentence appears in the context.', 'yes'],
    ['Answer: No', 'no'],
    ['NO! It was not there. Yes, I am sure.', 'no'],
    ['The answer is yes.\nNo further comment.', 'yes'],
    ['"no"', 'no'],
  ])('reads %j as %s', (completion, verdict) => {
    expect(parseYesNo(completion)).toBe(verdict);
  });

  it.each([
    '',
    'I am not sure.',
    'Yes and no.',
    'Nobody knows.',
    'yesterday',
    'Not in the context.',
  ])('gives no verdict for %j', (completion) => {
    expect(parseYesNo(completion)).toBeUndefined();
  });
});

describe('yesNoAccuracy', () => {
  it('counts the probes answered as expected', () => {
    expect(yesNoAccuracy(['yes', 'no'], ['Yes.', 'No.'])).toBe(1);
    expect(yesNoAccuracy(['yes', 'no'], ['Yes.', 'Yes.'])).toBe(0.5);
    expect(yesNoAccuracy(['yes', 'no'], ['maybe', 'unsure'])).toBe(0);
  });

  it('refuses completions that do not line up with the probes', () => {
    expect(() => yesNoAccuracy(['yes', 'no'], ['Yes.'])).toThrow(
      expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }),
    );
  });
});
