import { resolve } from 'node:path';

/*
 * Work in flight per (kind, directory). Module-level on purpose: derived models (LoRA grafts,
 * graphs with extra outputs) are written beside the source on the shared filesystem, and two
 * miners of one process preparing the same directory at once would each replace the other's
 * files under a loading session.
 */
const inflight = new Map<string, Promise<unknown>>();

/** Runs `prepare(dir)` at most once at a time per kind and directory; later calls share it. */
export function oncePerDirectory<T>(
  kind: string,
  dir: string,
  prepare: (dir: string) => Promise<T>,
): Promise<T> {
  const resolved = resolve(dir);
  const key = `${kind}\u0000${resolved}`;
  let pending = inflight.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = prepare(resolved);
    inflight.set(key, pending);
    // Finished work is reused from disk by `prepare` itself; a failure may succeed later.
    const forget = () => inflight.delete(key);
    pending.then(forget, forget);
  }
  return pending;
}
