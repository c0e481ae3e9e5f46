import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ADAPTER_CONFIG_FILE } from '../peft/loadPeftAdapter';
import type { AdapterSource } from './AdapterSource';
import { assertAdapterName } from './adapterName';

/** Adapters stored as `<root>/<name>/adapter_config.json` + `adapter_model.safetensors`. */
export function localDirSource(root: string): AdapterSource {
  const base = resolve(root);
  return {
    label: `local:${base}`,
    async resolve(name) {
      assertAdapterName(name);
      const dir = join(base, name);
      try {
        await access(join(dir, ADAPTER_CONFIG_FILE));
        return dir;
      } catch {
        return undefined;
      }
    },
  };
}
