import { resolve } from 'node:path';
import { type GraftedModel, graftLora } from '@signal/lora';

/** PEFT's selector for every linear layer but the output head: any adapter fits the graft. */
export const GRAFT_TARGETS = 'all-linear';

/*
 * Grafts in flight or done, by model directory. Module-level on purpose: the graft is written
 * beside the model on the shared filesystem, and two miners of one process grafting the same
 * directory at once would each replace the other's files under a loading session.
 */
const grafts = new Map<string, Promise<GraftedModel>>();

/** `graftLora(dir, { targets: 'all-linear' })`, run at most once at a time per directory. */
export function graftOnce(dir: string): Promise<GraftedModel> {
  const key = resolve(dir);
  let graft = grafts.get(key);
  if (!graft) {
    graft = graftLora(key, { targets: GRAFT_TARGETS });
    grafts.set(key, graft);
    // A failed graft may succeed later (files fixed); a finished one is reused from disk anyway.
    graft.then(
      () => grafts.delete(key),
      () => grafts.delete(key),
    );
  }
  return graft;
}
