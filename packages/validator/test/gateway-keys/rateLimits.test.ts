import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiKeyStore,
  authorizeRequest,
  RateLimitedError,
  RateLimiter,
  type TokenBucketState,
  takeFromBucket,
} from '@signal/validator';
import fc from 'fast-check';

describe('takeFromBucket', () => {
  it('never grants more than the burst plus what the elapsed time refilled', () => {
    fc.assert(
      fc.property(
        fc.record({
          capacity: fc.integer({ min: 1, max: 20 }),
          refillPerSecond: fc.double({ min: 0.1, max: 50, noNaN: true }),
        }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 3 })), {
          maxLength: 60,
        }),
        (limit, steps) => {
          let state: TokenBucketState | undefined;
          let now = 0;
          let granted = 0;
          for (const [advance, cost] of steps) {
            now += advance;
            const result = takeFromBucket(state, limit, now, cost);
            state = result.state;
            expect(state.tokens).toBeGreaterThanOrEqual(0);
            expect(state.tokens).toBeLessThanOrEqual(limit.capacity);
            if (result.allowed) granted += cost;
            else if (cost > limit.capacity)
              expect(result.retryAfterMs).toBe(Number.POSITIVE_INFINITY);
            else {
              const later = now + result.retryAfterMs + 1e-6;
              expect(takeFromBucket(state, limit, later, cost).allowed).toBe(true);
            }
          }
          expect(granted).toBeLessThanOrEqual(
            limit.capacity + (now / 1000) * limit.refillPerSecond + 1e-9,
          );
        },
      ),
    );
  });
});

describe('RateLimiter', () => {
  it('allows a burst, refuses with retry-after, refills with time, per key', () => {
    let clock = 0;
    const limiter = new RateLimiter({ now: () => clock });
    const limit = { capacity: 2, refillPerSecond: 4 };
    limiter.take('a', limit);
    limiter.take('a', limit);
    let refused: unknown;
    try {
      limiter.take('a', limit);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused).toMatchObject({ status: 429, code: 'GATEWAY_RATE_LIMITED', retryAfterMs: 250 });
    limiter.take('b', limit);
    clock = 250;
    expect(() => limiter.take('a', limit)).not.toThrow();
    expect(() => limiter.take('a', limit)).toThrow(RateLimitedError);
    expect(() => limiter.take('a', limit, 3)).toThrow(
      expect.objectContaining({ code: 'GATEWAY_BAD_KEY_PARAMETERS' }),
    );
  });
});

describe('authorizeRequest', () => {
  it('maps the Authorization header to 401s and 429s', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signal-auth-'));
    try {
      const keys = await ApiKeyStore.open(join(dir, 'keys.json'));
      const { key, record } = await keys.create({
        name: 'app',
        rateLimit: { capacity: 2, refillPerSecond: 1 },
      });
      const limiter = new RateLimiter({ now: () => 0 });
      const authorize = (authorization: string | undefined) =>
        authorizeRequest({ authorization, keys, limiter });
      expect(() => authorize(undefined)).toThrow(
        expect.objectContaining({ status: 401, reason: 'missing' }),
      );
      expect(() => authorize(`Basic ${key}`)).toThrow(
        expect.objectContaining({ status: 401, reason: 'malformed' }),
      );
      expect(() => authorize('Bearer sig_000000000000_nope')).toThrow(
        expect.objectContaining({ status: 401 }),
      );
      expect(authorize(`Bearer ${key}`)).toEqual(record);
      expect(authorize(`bearer  ${key} `)).toEqual(record);
      expect(() => authorize(`Bearer ${key}`)).toThrow(expect.objectContaining({ status: 429 }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
