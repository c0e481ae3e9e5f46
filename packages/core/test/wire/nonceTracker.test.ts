import { isSignalError } from '../../src/errors/SignalError';
import { NonceTracker } from '../../src/wire/nonceTracker';

const NOW = 1_763_800_000_000_000_000n;
const SECOND = 1_000_000_000n;

function tracker(maxEntries = 100) {
  let now = NOW;
  const t = new NonceTracker({ maxEntries, nowNs: () => now });
  return { t, advance: (ns: bigint) => (now += ns) };
}

function expectNonceError(run: () => void, message: string) {
  try {
    run();
    throw new Error('expected failure');
  } catch (error) {
    expect(isSignalError(error, 'WIRE_NONCE')).toBe(true);
    expect((error as Error).message).toContain(message);
  }
}

describe('NonceTracker', () => {
  it('requires strictly increasing nonces per hotkey and uuid', () => {
    const { t } = tracker();
    t.admit('h', 'u', NOW, 12);
    expectNonceError(() => t.admit('h', 'u', NOW, 12), 'a newer one was last processed');
    expectNonceError(() => t.admit('h', 'u', NOW - 1n, 12), 'a newer one was last processed');
    t.admit('h', 'u', NOW + 1n, 12);
    t.admit('h', 'other-uuid', NOW, 12);
    t.admit('other-hotkey', 'u', NOW, 12);
  });

  it('refuses a first nonce at or before now - 4 s - timeout, as Python does', () => {
    const { t } = tracker();
    const edge = NOW - 4n * SECOND - 12n * SECOND;
    expectNonceError(() => t.admit('h', 'a', edge, 12), 'acceptable delta is 16.00 seconds');
    t.admit('h', 'b', edge + 1n, 12);
    expectNonceError(() => t.admit('h', 'c', NOW - 5n * SECOND, 0), 'Nonce is too old');
    t.admit('h', 'd', NOW - 5n * SECOND, 1.5);
  });

  it('stays within maxEntries under a flood of fresh uuids', () => {
    const { t, advance } = tracker(50);
    for (let i = 0; i < 1000; i++) {
      t.admit('h', `uuid-${i}`, NOW + BigInt(i), 12);
      advance(1n);
    }
    expect(t.size).toBe(50);
  });

  it('cannot be tricked into accepting a replay of a forgotten pair', () => {
    const { t, advance } = tracker(2);
    t.admit('h', 'victim', NOW, 12);
    advance(SECOND);
    t.admit('h', 'x', NOW + SECOND, 12);
    t.admit('h', 'y', NOW + SECOND + 1n, 12);
    // "victim" was forgotten; replaying its request must still fail.
    expectNonceError(() => t.admit('h', 'victim', NOW, 12), 'older than a forgotten one');
    t.admit('h', 'victim', NOW + 2n * SECOND, 12);
  });
});
