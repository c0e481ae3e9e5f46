/**
 * Python's `repr(str)`: how a string prints inside a list or dict.
 *
 * Python picks single quotes unless the text has a `'` and no `"`, escapes the chosen
 * quote and the backslash, spells `\t \n \r` by name, writes other ASCII controls and DEL
 * as `\xNN`, keeps printable non-ASCII as is and escapes the rest by size (`\xNN`,
 * `\uNNNN`, `\UNNNNNNNN`). "Printable" is `str.isprintable()`: anything outside the
 * categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs, except the ASCII space.
 */
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

function hex(codePoint: number, width: number): string {
  return codePoint.toString(16).padStart(width, '0');
}

function escapeCodePoint(ch: string, quote: string): string {
  if (ch === quote) return `\\${quote}`;
  const named = NAMED_ESCAPES[ch];
  if (named !== undefined) return named;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  if (cp < 0x7f) return ch;
  if (cp !== 0x20 && NON_PRINTABLE.test(ch)) {
    if (cp <= 0xff) return `\\x${hex(cp, 2)}`;
    if (cp <= 0xffff) return `\\u${hex(cp, 4)}`;
    return `\\U${hex(cp, 8)}`;
  }
  return ch;
}

/** Printable ASCII without quotes or backslashes prints as is between single quotes. */
const PLAIN_ASCII = /^[\x20\x21\x23-\x26\x28-\x5b\x5d-\x7e]*$/;

export function pyStrRepr(text: string): string {
  if (PLAIN_ASCII.test(text)) return `'${text}'`;
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  // for..of walks code points, yielding lone surrogates on their own, as Python sees them.
  for (const ch of text) out += escapeCodePoint(ch, quote);
  return out + quote;
}
