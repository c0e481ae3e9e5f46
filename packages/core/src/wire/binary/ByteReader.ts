/**
 * Pulls exact byte counts out of a stream of chunks, copying each byte once into the
 * destination the caller sized, and reports how much it has consumed. A stream that ends
 * early makes `fill` return the bytes it did get.
 */
export class ByteReader {
  private readonly source: AsyncIterator<Uint8Array>;
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  private ended = false;
  /** Bytes handed out so far. */
  consumed = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.source = chunks[Symbol.asyncIterator]();
  }

  /**
   * Fills `into` from the stream, calling `seen` on each piece copied (to hash it on the
   * way). Returns the number of bytes written: less than `into.length` only at the end.
   */
  async fill(into: Uint8Array, seen?: (piece: Uint8Array) => void): Promise<number> {
    let written = 0;
    while (written < into.length) {
      if (this.at === this.chunk.length) {
        if (!(await this.next())) break;
        continue;
      }
      const take = Math.min(into.length - written, this.chunk.length - this.at);
      const piece = this.chunk.subarray(this.at, this.at + take);
      into.set(piece, written);
      seen?.(piece);
      written += take;
      this.at += take;
    }
    this.consumed += written;
    return written;
  }

  /** Whether any byte is left after what was read. */
  async hasMore(): Promise<boolean> {
    while (this.at === this.chunk.length) if (!(await this.next())) return false;
    return true;
  }

  /** Stops the underlying stream (the HTTP body, say) early. */
  async cancel(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.source.return?.();
    }
  }

  private async next(): Promise<boolean> {
    if (this.ended) return false;
    const { done, value } = await this.source.next();
    if (done) {
      this.ended = true;
      return false;
    }
    this.chunk = value;
    this.at = 0;
    return true;
  }
}
