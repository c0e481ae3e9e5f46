/**
 * Everything the devnet started, closed in reverse order of starting: the client before the
 * gateway it talks to, the validator before the miners it queries, the chain last. Each
 * close runs even when an earlier one fails, and closing twice does the work once.
 */
export class Teardown {
  private readonly steps: Array<{ name: string; close: () => Promise<void> }> = [];
  private closing: Promise<Error[]> | undefined;

  add(name: string, close: () => Promise<void>): void {
    this.steps.push({ name, close });
  }

  close(): Promise<Error[]> {
    this.closing ??= (async () => {
      const failures: Error[] = [];
      for (const step of this.steps.splice(0).reverse()) {
        try {
          await step.close();
        } catch (error) {
          failures.push(
            new Error(`closing ${step.name}: ${error instanceof Error ? error.message : error}`),
          );
        }
      }
      return failures;
    })();
    return this.closing;
  }
}
