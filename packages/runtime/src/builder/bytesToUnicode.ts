/**
 * The byte-level BPE alphabet: each of the 256 byte values gets a printable character.
 * Bytes that are already visible Latin-1 characters map to themselves; the rest (controls,
 * space, soft hyphen, ...) are moved, in byte order, to code points from U+0100 upward.
 * This is the convention byte-level tokenizers (GPT-2, Llama 3) use, so a space is `Ġ`.
 */
export function bytesToUnicode(): string[] {
  const visible = (b: number) =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const table: string[] = [];
  let moved = 0;
  for (let b = 0; b < 256; b++) {
    table.push(String.fromCodePoint(visible(b) ? b : 256 + moved++));
  }
  return table;
}
