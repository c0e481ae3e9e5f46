const WORD = /\s*\S+/g;

/**
 * Each token's own stretch of `context`, in order, given the pieces its tokens decode to:
 * the spans always concatenate to `context` exactly, so text kept by the compressor is the
 * context's own text.
 *
 * Decoded pieces alone can lose text: a word-level vocabulary decodes every unknown word to
 * `<unk>` (dropped as special, so the piece is empty), and normalizers may rewrite what they
 * keep. Each non-empty piece is found in the context after the previous one (ignoring its
 * leading whitespace); the text between two found pieces goes, word by word, to the
 * tokens in between that were not found (the last of them takes any words left over), and
 * whatever remains, such as a found piece's leading whitespace, to the found token. With a
 * lossless tokenizer the spans are the pieces.
 */
export function contextSpans(context: string, pieces: readonly string[]): string[] {
  const spans = pieces.map(() => '');
  let cursor = 0;
  let unplaced: number[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const found = findPiece(context, pieces[i]!, cursor);
    if (found === undefined) {
      unplaced.push(i);
      continue;
    }
    const rest = placeWords(context, cursor, found.start, unplaced, spans);
    spans[i] = context.slice(rest, found.end);
    cursor = found.end;
    unplaced = [];
  }
  const rest = placeWords(context, cursor, context.length, unplaced, spans);
  if (spans.length > 0) spans[spans.length - 1] += context.slice(rest);
  return spans;
}

/**
 * Where `piece` lies in `context` at or after `from`: it is looked for without its leading
 * whitespace, then without any; undefined when it is empty or not there.
 */
function findPiece(
  context: string,
  piece: string,
  from: number,
): { start: number; end: number } | undefined {
  for (const needle of [piece.trimStart() || piece, piece.trim()]) {
    if (needle.length === 0) continue;
    const start = context.indexOf(needle, from);
    if (start >= 0) return { start, end: start + needle.length };
  }
  return undefined;
}

/**
 * Gives the words of `context[from, to)` to the `tokens` (one each, the last takes the rest)
 * and returns where the text nobody took starts.
 */
function placeWords(
  context: string,
  from: number,
  to: number,
  tokens: readonly number[],
  spans: string[],
): number {
  if (tokens.length === 0) return from;
  const gap = context.slice(from, to);
  const words = [...gap.matchAll(WORD)];
  let end = 0;
  for (let k = 0; k < tokens.length && k < words.length; k++) {
    const last = k === tokens.length - 1 ? words[words.length - 1]! : words[k]!;
    const stop = last.index + last[0].length;
    spans[tokens[k]!] = gap.slice(end, stop);
    end = stop;
  }
  return from + end;
}
