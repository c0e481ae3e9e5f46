import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DashboardError } from '../errors/DashboardError';
import { clientBundle } from './clientBundle';
import { DashboardAccess } from './DashboardAccess';
import type { DashboardServerOptions, RunningDashboard } from './DashboardServerOptions';
import { DashboardViews } from './DashboardViews';
import { BASE_PATH, dashboardHandler } from './dashboardHandler';
import { LiveUpdates } from './LiveUpdates';

/**
 * Serves the dashboard at `http://host:port/dashboard` on its own listener, in the calling
 * process: 127.0.0.1 unless told otherwise, and behind a bearer token whenever it listens
 * beyond loopback. Sources are read lazily and shared between viewers.
 */
export async function startDashboard(options: DashboardServerOptions): Promise<RunningDashboard> {
  const host = options.host ?? '127.0.0.1';
  const access = new DashboardAccess({ token: options.token, host });
  const refreshMs = options.refreshMs ?? 2_000;
  const views = new DashboardViews(options.sources, refreshMs);
  const live = new LiveUpdates({
    caches: views.caches,
    intervalMs: refreshMs,
    maxViewers: options.maxViewers ?? 64,
    onError: (view, error) =>
      options.logger?.warn({ err: error, view }, 'dashboard: a live update failed'),
  });
  const handle = dashboardHandler({
    views,
    access,
    live,
    clientScript: clientBundle(),
    logger: options.logger,
  });
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.logger?.warn({ err: error }, 'dashboard: a request failed');
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new DashboardError(
          'DASHBOARD_LISTEN_FAILED',
          `The dashboard could not listen on ${host}.`,
          {
            details: error.message,
            cause: error,
          },
        ),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}${BASE_PATH}`,
    host,
    port,
    get viewers() {
      return live.viewers;
    },
    close: () =>
      new Promise<void>((resolve) => {
        live.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
