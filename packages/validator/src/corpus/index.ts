export { CorpusError, type CorpusErrorCode } from './CorpusError';
export {
  type ComposedPassage,
  type ComposePassageParameters,
  composePassage,
  fillerSentences,
  generateFiller,
  type Passage,
  passageText,
} from './passage';
export { SeededRandom } from './SeededRandom';
export { generateSentence, withArticle } from './sentence';
