/** Progress lines on stderr (stdout stays for the report), stamped with seconds since start. */
export class Progress {
  private readonly started = performance.now();

  constructor(private readonly write: (text: string) => void = (t) => process.stderr.write(t)) {}

  step(message: string): void {
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1).padStart(5);
    this.write(`[devnet ${seconds}s] ${message}\n`);
  }

  get elapsedMs(): number {
    return performance.now() - this.started;
  }
}
