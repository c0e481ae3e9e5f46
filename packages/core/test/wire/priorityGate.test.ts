import { AxonRefusal } from '../../src/wire/axon/AxonRefusal';
import { PriorityGate } from '../../src/wire/axon/PriorityGate';

describe('PriorityGate', () => {
  it('runs higher priorities first, FIFO among equals, within the concurrency limit', async () => {
    const gate = new PriorityGate(1, 10);
    const order: string[] = [];
    const hold = await gate.acquire(0, Date.now() + 5000);
    const waiters = [
      ['low', 1],
      ['high-a', 5],
      ['mid', 3],
      ['high-b', 5],
    ].map(([name, priority]) =>
      gate.acquire(priority as number, Date.now() + 5000).then((release) => {
        order.push(name as string);
        release();
      }),
    );
    expect(gate.active).toBe(1);
    expect(gate.waiting).toBe(4);
    hold();
    await Promise.all(waiters);
    expect(order).toEqual(['high-a', 'high-b', 'mid', 'low']);
    await gate.idle();
  });

  it('refuses with 503 when the queue is full and 408 at the deadline', async () => {
    const gate = new PriorityGate(1, 1);
    const hold = await gate.acquire(0, Date.now() + 5000);
    const queued = gate.acquire(0, Date.now() + 30);
    await expect(gate.acquire(0, Date.now() + 5000)).rejects.toMatchObject({ status: 503 });
    const expired = await queued.catch((error: unknown) => error);
    expect(expired).toBeInstanceOf(AxonRefusal);
    expect((expired as AxonRefusal).status).toBe(408);
    expect(gate.waiting).toBe(0);
    hold();
    hold();
    expect(gate.active).toBe(0);
  });
});
