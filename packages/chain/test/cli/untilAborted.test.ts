import { untilAborted } from '@signal/chain';

describe('untilAborted', () => {
  it('resolves at once for a signal that has already aborted', async () => {
    await expect(untilAborted(AbortSignal.abort())).resolves.toBeUndefined();
  });

  it('waits for the abort', async () => {
    const stop = new AbortController();
    let done = false;
    const waiting = untilAborted(stop.signal).then(() => {
      done = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    stop.abort();
    await waiting;
    expect(done).toBe(true);
  });
});
