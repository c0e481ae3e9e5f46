/**
 * Splits a text into pieces of at most `maxChars` characters, each cut after the last
 * whitespace that fits (or hard at `maxChars` when a run has none), so that every piece fits
 * a tier's context limit and the pieces joined give the text back exactly.
 */
export function chunkText(text: string, maxChars: number): string[] {
  if (!(Number.isInteger(maxChars) && maxChars > 0)) {
    throw new RangeError(`maxChars must be a positive integer, got ${maxChars}`);
  }
  const chunks: string[] = [];
  let start = 0;
  while (text.length - start > maxChars) {
    let end = start + maxChars;
    const window = text.slice(start, end);
    const cut = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\n'));
    if (cut > 0) end = start + cut + 1;
    else if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) chunks.push(text.slice(start));
  return chunks;
}

/** A hard cut between the two halves of a surrogate pair would leave both broken. */
function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
