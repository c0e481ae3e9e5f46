import type { TextTokenizer } from './TextTokenizer';

/**
 * Turns a growing list of generated token ids into text deltas. Only a short window of
 * recent tokens is decoded per token (the previous settled tokens plus the new ones, then
 * the difference), so streaming costs O(1) per token instead of re-decoding everything;
 * decoding the window with its predecessor keeps tokenizers that strip a leading space
 * at the start of a decode correct. Byte-level BPE can split a character across tokens,
 * so text ending in U+FFFD stays pending until the next token completes it; `take`'s
 * `holdBack` lets the caller keep a suffix (a possible stop-string prefix) unreleased too.
 */
export class TextStream {
  private readonly ids: number[] = [];
  private prefixOffset = 0;
  private readOffset = 0;
  private prefixText = '';
  private settled = '';
  private pending = '';
  private emitted = 0;

  constructor(
    private readonly tokenizer: TextTokenizer,
    private readonly skipSpecialTokens = true,
  ) {}

  /** Appends a token and returns the full decoded text so far. */
  push(id: number): string {
    this.ids.push(id);
    const options = { skipSpecialTokens: this.skipSpecialTokens };
    const window = this.tokenizer.decode(this.ids.slice(this.prefixOffset), options);
    const tail = window.slice(this.prefixText.length);
    if (tail.length > 0 && !tail.endsWith('\uFFFD')) {
      this.settled += tail;
      this.pending = '';
      this.prefixOffset = this.readOffset;
      this.readOffset = this.ids.length;
      this.prefixText = this.tokenizer.decode(
        this.ids.slice(this.prefixOffset, this.readOffset),
        options,
      );
    } else {
      this.pending = tail;
    }
    return this.fullText;
  }

  /** Text that is safe to release now, keeping `holdBack` trailing characters unreleased. */
  take(holdBack = 0): string {
    const text = this.fullText;
    let end = text.length - holdBack;
    while (end > this.emitted && text.charCodeAt(end - 1) === 0xfffd) end--;
    if (end <= this.emitted) return '';
    const delta = text.slice(this.emitted, end);
    this.emitted = end;
    return delta;
  }

  /** Releases everything up to `end` (the whole text by default), ignoring hold-backs. */
  flush(end = this.fullText.length): string {
    if (end <= this.emitted) return '';
    const delta = this.fullText.slice(this.emitted, end);
    this.emitted = end;
    return delta;
  }

  get fullText(): string {
    return this.settled + this.pending;
  }
}
