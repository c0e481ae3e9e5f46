import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DashboardError } from '../errors/DashboardError';

/** The package's root: the nearest folder above this module whose package.json is ours. */
function packageRoot(from: string): string | undefined {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === '@signal/dashboard') return dir;
    }
  }
  return undefined;
}

let cached: string | undefined;

/**
 * The browser bundle built by `tsup.client.config.ts` (`dist/client/dashboard.js`), found
 * from the built library and from the sources alike. A dashboard without its script still
 * renders, but would never update, so a missing bundle refuses to start.
 */
export function clientBundle(): string {
  cached ??= loadClientBundle();
  return cached;
}

function loadClientBundle(): string {
  const root = packageRoot(__dirname);
  const file = root === undefined ? undefined : join(root, 'dist', 'client', 'dashboard.js');
  if (file === undefined || !existsSync(file)) {
    throw new DashboardError('DASHBOARD_ASSET_MISSING', 'The dashboard script is not built.', {
      details: `Expected ${file ?? 'dist/client/dashboard.js'}; run pnpm build.`,
    });
  }
  return readFileSync(file, 'utf8');
}
