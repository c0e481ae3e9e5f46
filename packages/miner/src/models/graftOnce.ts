import { type GraftedModel, graftLora } from '@signal/lora';
import { oncePerDirectory } from './oncePerDirectory';

/** PEFT's selector for every linear layer but the output head: any adapter fits the graft. */
export const GRAFT_TARGETS = 'all-linear';

/** `graftLora(dir, { targets: 'all-linear' })`, run at most once at a time per directory. */
export function graftOnce(dir: string): Promise<GraftedModel> {
  return oncePerDirectory('lora-graft', dir, (resolved) =>
    graftLora(resolved, { targets: GRAFT_TARGETS }),
  );
}
