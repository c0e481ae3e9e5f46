import type { TextTokenizer } from './TextTokenizer';

/**
 * Turns a growing list of generated token ids into text deltas. Byte-level BPE can split a
 * character across tokens, so text ending in U+FFFD is held back until the next token
 * completes it; `holdBack` lets the caller keep a suffix (a possible stop-string prefix)
 * unreleased too.
 */
export class TextStream {
  private readonly ids: number[] = [];
  private emitted = 0;
  private text = '';

  constructor(
    private readonly tokenizer: TextTokenizer,
    private readonly skipSpecialTokens = true,
  ) {}

  /** Appends a token and returns the full decoded text so far. */
  push(id: number): string {
    this.ids.push(id);
    this.text = this.tokenizer.decode(this.ids, { skipSpecialTokens: this.skipSpecialTokens });
    return this.text;
  }

  /** Text that is safe to release now, keeping `holdBack` trailing characters unreleased. */
  take(holdBack = 0): string {
    let end = this.text.length - holdBack;
    while (end > this.emitted && this.text.charCodeAt(end - 1) === 0xfffd) end--;
    if (end <= this.emitted) return '';
    const delta = this.text.slice(this.emitted, end);
    this.emitted = end;
    return delta;
  }

  /** Releases everything up to `end` (the whole text by default), ignoring hold-backs. */
  flush(end = this.text.length): string {
    if (end <= this.emitted) return '';
    const delta = this.text.slice(this.emitted, end);
    this.emitted = end;
    return delta;
  }

  get fullText(): string {
    return this.text;
  }
}
