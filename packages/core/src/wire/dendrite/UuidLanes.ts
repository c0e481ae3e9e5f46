import { randomUUID } from 'node:crypto';

/**
 * Axons demand strictly increasing nonces per (hotkey, uuid). Concurrent requests under
 * one uuid can arrive out of order and be refused as replays, so each in-flight request
 * borrows its own uuid ("lane") and returns it when done. Lanes are reused, so an axon
 * sees as many uuids as our peak concurrency, not one per request.
 */
export class UuidLanes {
  private readonly free: string[] = [];

  acquire(): string {
    return this.free.pop() ?? randomUUID();
  }

  release(uuid: string): void {
    this.free.push(uuid);
  }
}
