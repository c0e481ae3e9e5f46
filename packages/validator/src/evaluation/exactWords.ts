/**
 * 1 when the completion's leading words are exactly the answer's words, else 0: the reply
 * may go on, but what it says first must be the answer, word for word.
 */
export function exactWords(completion: string, answer: string): 0 | 1 {
  const expected = answer.trim().split(/\s+/);
  const said = completion.trim().split(/\s+/).slice(0, expected.length);
  return said.length === expected.length && said.every((word, i) => word === expected[i]) ? 1 : 0;
}
