import { z } from 'zod';
import { ViewCache } from '../src/server/ViewCache';

const Count = z.object({ count: z.number() });

describe('ViewCache', () => {
  it('shares a read within its age, and re-reads once the view it derives from moved', async () => {
    let reads = 0;
    let basis = '"a"';
    const cache = new ViewCache('count', async () => ({ count: ++reads }), Count, {
      maxAgeMs: 60_000,
      basis: () => basis,
    });
    expect((await cache.get()).data).toEqual({ count: 1 });
    expect((await cache.get()).data).toEqual({ count: 1 });
    basis = '"b"';
    const moved = await cache.get();
    expect(moved.data).toEqual({ count: 2 });
    expect(moved.basis).toBe('"b"');
    expect((await cache.get()).data).toEqual({ count: 2 });
  });

  it('keeps a read that started under an older basis stale', async () => {
    let basis = '"a"';
    let reads = 0;
    const cache = new ViewCache(
      'count',
      async () => {
        reads += 1;
        // The upstream view moves while this read is under way.
        basis = '"b"';
        return { count: reads };
      },
      Count,
      { maxAgeMs: 60_000, basis: () => basis },
    );
    expect((await cache.get()).basis).toBe('"a"');
    expect((await cache.get()).data).toEqual({ count: 2 });
  });
});
