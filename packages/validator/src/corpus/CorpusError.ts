import { SignalError } from '@signal/core';

export type CorpusErrorCode =
  | 'CORPUS_BAD_RANGE'
  | 'CORPUS_EMPTY_CHOICE'
  | 'CORPUS_BUDGET_TOO_SMALL';

/** A caller asked the corpus for something impossible: an empty choice, a bad range, a budget too small. */
export class CorpusError extends SignalError<CorpusErrorCode> {
  override name = 'CorpusError';
}
