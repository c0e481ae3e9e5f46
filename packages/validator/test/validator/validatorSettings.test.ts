import { recallVocabulary } from '@signal/runtime';
import type { StartValidatorOptions } from '../../src/validator/StartValidatorOptions';
import { validatorSettings } from '../../src/validator/validatorSettings';

// Only the scalar settings are read here; chain and hotkey are not touched.
const options = (extra: Partial<StartValidatorOptions>) =>
  ({
    netuid: 1,
    models: { m: '/models/m' },
    stateFile: '/tmp/state.json',
    ...extra,
  }) as StartValidatorOptions;

describe('validatorSettings recall', () => {
  it('refuses the recall family without a vocabulary', () => {
    expect(() => validatorSettings(options({ families: ['recall'] }))).toThrow(
      /recall family needs a vocabulary/,
    );
  });

  it('takes the recall family with the reference model’s vocabulary, pairs defaulting to 4', () => {
    const settings = validatorSettings(
      options({ families: ['recall', 'continuation'], recall: { vocabulary: recallVocabulary() } }),
    );
    expect(settings.recall?.pairs).toBe(4);
    expect(settings.recall?.vocabulary.keys[0]).toBe('k00');
  });

  it('refuses a vocabulary whose keys clash with its values', () => {
    const vocabulary = { ...recallVocabulary(), values: ['k00', 'v01'] };
    expect(() =>
      validatorSettings(options({ families: ['recall'], recall: { vocabulary } })),
    ).toThrow(/Invalid validator options/);
  });
});
