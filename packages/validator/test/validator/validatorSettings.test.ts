import { recallVocabulary } from '@signal/runtime';
import type { StartValidatorOptions } from '../../src/validator/StartValidatorOptions';
import { familiesForTier } from '../../src/validator/tierFamilies';
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

describe('validatorSettings families per tier', () => {
  it('deals multi_query on the research tier by default, over the reference vocabulary', () => {
    const settings = validatorSettings(options({}));
    expect(familiesForTier(settings, 'research')).toEqual(['multi_query']);
    expect(familiesForTier(settings, 'inference_1')).toEqual([
      'needle',
      'continuation',
      'existence',
    ]);
    expect(settings.recall?.vocabulary).toEqual(recallVocabulary());
  });

  it('lets `families` set every tier and `tierFamilies` single tiers out', () => {
    const settings = validatorSettings(
      options({
        families: ['needle'],
        tierFamilies: { research: ['multi_query', 'variable_tracking'] },
        recall: { vocabulary: recallVocabulary() },
      }),
    );
    expect(familiesForTier(settings, 'research')).toEqual(['multi_query', 'variable_tracking']);
    expect(familiesForTier(settings, 'inference_0')).toEqual(['needle']);
    expect(
      familiesForTier(validatorSettings(options({ families: ['existence'] })), 'research'),
    ).toEqual(['existence']);
  });

  it('refuses a configured reference family without a vocabulary, naming it', () => {
    expect(() =>
      validatorSettings(options({ tierFamilies: { research: ['aggregation'] } })),
    ).toThrow(/aggregation family needs a vocabulary/);
    expect(() =>
      validatorSettings(options({ tierFamilies: { research: ['chess' as 'needle'] } })),
    ).toThrow(/Invalid validator options/);
  });
});
