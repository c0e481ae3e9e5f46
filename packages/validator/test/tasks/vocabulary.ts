import type { RecallVocabulary } from '@signal/validator';

/** A small recall vocabulary in the shape a reference model's token lists take. */
export const recallVocabulary: RecallVocabulary = {
  keys: Array.from({ length: 12 }, (_, i) => `K${i}`),
  values: Array.from({ length: 12 }, (_, i) => `v${i}`),
  fillers: ['x', 'y', 'z', 'w'],
  separators: [',', ';'],
  joiner: ' ',
};
