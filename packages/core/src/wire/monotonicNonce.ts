/**
 * Nanosecond nonces that never repeat or go backwards within this process, even when
 * several requests are signed in the same millisecond: wall-clock nanoseconds, bumped
 * past the last value handed out.
 */
export function createNonceClock(nowMs: () => number = Date.now): () => bigint {
  const origin = BigInt(nowMs()) * 1_000_000n - process.hrtime.bigint();
  let last = 0n;
  return () => {
    let next = origin + process.hrtime.bigint();
    if (next <= last) next = last + 1n;
    last = next;
    return next;
  };
}
