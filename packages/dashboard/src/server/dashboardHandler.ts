import type { IncomingMessage, ServerResponse } from 'node:http';
import { PAGE_IDS, type PageId } from '../api/DashboardInfo';
import { GATEWAY_DEFAULT_SORT } from '../pages/gatewayPage';
import { MINERS_DEFAULT_SORT } from '../pages/minersPage';
import type { PageData, PageState } from '../pages/PageModel';
import { PAGE_VIEWS } from '../pages/PageModel';
import { loginPage, pageShell } from '../pages/pageShell';
import type { SortState } from '../pages/sortableTable';
import { SUBNET_DEFAULT_SORT } from '../pages/subnetPage';
import { DASHBOARD_CSS } from '../styles/dashboardCss';
import type { DashboardAccess } from './DashboardAccess';
import type { DashboardLogger } from './DashboardServerOptions';
import { type DashboardViews, VIEW_NAMES, type ViewName } from './DashboardViews';
import type { LiveUpdates } from './LiveUpdates';
import { sendAsset, sendError, sendHtml, sendJsonText } from './responses';
import type { Snapshot } from './ViewCache';

export const BASE_PATH = '/dashboard';
const LOGIN_BODY_LIMIT = 4096;

const DEFAULT_SORTS: Record<PageId, SortState> = {
  subnet: SUBNET_DEFAULT_SORT,
  miners: MINERS_DEFAULT_SORT,
  quality: SUBNET_DEFAULT_SORT,
  gateway: GATEWAY_DEFAULT_SORT,
};

export interface HandlerParts {
  views: DashboardViews;
  access: DashboardAccess;
  live: LiveUpdates;
  clientScript: string;
  logger: DashboardLogger | undefined;
}

function parseUid(text: string | null): number | null | 'bad' {
  if (text === null || text === '') return null;
  return /^\d{1,5}$/.test(text) ? Number(text) : 'bad';
}

function pageState(page: PageId, query: URLSearchParams): PageState {
  const key = query.get('sort');
  const dir = query.get('dir');
  const fallback = DEFAULT_SORTS[page];
  const sort: SortState = {
    key: key && /^[a-z0-9_]{1,32}$/.test(key) ? key : fallback.key,
    dir: dir === 'asc' || dir === 'desc' ? dir : key ? 'asc' : fallback.dir,
  };
  const uid = parseUid(query.get('uid'));
  return { sort, uid: uid === 'bad' ? null : uid };
}

/** Where to go after signing in: a dashboard path only, never another site. */
function safeNext(next: string | null): string {
  const inside =
    next?.startsWith(`${BASE_PATH}/`) === true &&
    !next.startsWith(`${BASE_PATH}/login`) &&
    !/[\\\s]|\/\//.test(next);
  return inside ? next! : `${BASE_PATH}/subnet`;
}

function loginUrl(next: string, failed: boolean): string {
  return `${BASE_PATH}/login?${new URLSearchParams({ next, ...(failed ? { failed: '1' } : {}) })}`;
}

function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Answer at once; the rest of the body is read and dropped, so the answer arrives.
      request.off('data', collect);
      request.resume();
      resolve(undefined);
    };
    request.on('data', collect);
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Every route under `/dashboard`: the four pages, their assets, the JSON API, the event
 * stream and the login form. Read-only: GET and HEAD everywhere, POST only to log in.
 */
export function dashboardHandler(parts: HandlerParts) {
  const { views, access, live, logger } = parts;

  const failed = (view: string, error: unknown): string => {
    logger?.warn({ err: error, view }, 'dashboard: a source failed');
    return error instanceof Error && 'shortMessage' in error
      ? String((error as { shortMessage: unknown }).shortMessage)
      : `The ${view} source failed.`;
  };

  async function page(page: PageId, query: URLSearchParams, response: ServerResponse) {
    const state = pageState(page, query);
    const data: PageData = {};
    const errors: NonNullable<PageData['errors']> = {};
    const etags: Record<string, string> = {};
    for (const name of PAGE_VIEWS[page]) {
      const cache = views.caches.get(name);
      if (!cache) continue;
      try {
        const snapshot = (await cache.get()) as Snapshot<never>;
        data[name] = snapshot.data;
        etags[name] = snapshot.etag;
      } catch (error) {
        errors[name] = failed(name, error);
      }
    }
    if (page === 'miners' && state.uid !== null && state.uid !== undefined) {
      const cache = views.detail(state.uid);
      if (cache) {
        try {
          data.detail = (await cache.get()).data;
        } catch (error) {
          errors.detail = failed('miner', error);
        }
      }
    }
    if (Object.keys(errors).length > 0) data.errors = errors;
    const body = pageShell({ page, info: views.info, data, state, base: BASE_PATH, etags }).text;
    sendHtml(response, 200, body);
  }

  async function json(
    cache: { get(): Promise<Snapshot<unknown>> },
    view: string,
    request: IncomingMessage,
    response: ServerResponse,
  ) {
    let snapshot: Snapshot<unknown>;
    try {
      snapshot = await cache.get();
    } catch (error) {
      sendError(response, 503, 'DASHBOARD_SOURCE_FAILED', failed(view, error));
      return;
    }
    if (request.headers['if-none-match'] === snapshot.etag) {
      response.writeHead(304, { etag: snapshot.etag, 'cache-control': 'no-cache' });
      response.end();
      return;
    }
    sendJsonText(response, 200, snapshot.json, {
      etag: snapshot.etag,
      'cache-control': 'no-cache',
    });
  }

  async function login(request: IncomingMessage, response: ServerResponse) {
    if (!access.protected) {
      response.writeHead(303, { location: `${BASE_PATH}/subnet` });
      response.end();
      return;
    }
    const query = new URL(request.url ?? '/', 'http://dashboard.invalid').searchParams;
    if (request.method === 'GET' || request.method === 'HEAD') {
      sendHtml(
        response,
        200,
        loginPage(BASE_PATH, safeNext(query.get('next')), query.has('failed')).text,
      );
      return;
    }
    const body = await readBody(request, LOGIN_BODY_LIMIT);
    if (body === undefined) {
      sendError(response, 413, 'DASHBOARD_BODY_TOO_LARGE', 'The login form is at most 4 KiB.', {
        connection: 'close',
      });
      return;
    }
    const form = new URLSearchParams(body);
    const next = safeNext(form.get('next'));
    if (!access.accepts(form.get('token') ?? '')) {
      // Back to the form (a GET), so a reload never re-posts the token.
      response.writeHead(303, { location: loginUrl(next, true) });
      response.end();
      return;
    }
    response.writeHead(303, {
      location: next,
      'set-cookie': access.sessionCookie(BASE_PATH),
      'cache-control': 'no-store',
    });
    response.end();
  }

  function events(query: URLSearchParams, response: ServerResponse) {
    const asked = (query.get('views') ?? '').split(',').filter((v) => v !== '');
    const unknown = asked.filter((v) => !VIEW_NAMES.includes(v as ViewName));
    if (asked.length === 0 || unknown.length > 0) {
      sendError(
        response,
        400,
        'DASHBOARD_BAD_REQUEST',
        `views must list some of ${VIEW_NAMES.join(', ')}${unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''}.`,
      );
      return;
    }
    if (!live.add(response, asked)) {
      sendError(
        response,
        503,
        'DASHBOARD_TOO_MANY_VIEWERS',
        'Too many live viewers; retry later.',
        {
          'retry-after': '5',
        },
      );
    }
  }

  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
    const path = url.pathname;
    if (path !== BASE_PATH && !path.startsWith(`${BASE_PATH}/`)) {
      sendError(
        response,
        404,
        'DASHBOARD_NOT_FOUND',
        'Not found: the dashboard is under /dashboard.',
      );
      return;
    }
    const route = path.slice(BASE_PATH.length).replace(/\/+$/, '') || '/';
    const method = request.method ?? 'GET';
    const readOnly = method === 'GET' || method === 'HEAD';
    if (route === '/login') {
      if (!readOnly && method !== 'POST') {
        sendError(response, 405, 'DASHBOARD_METHOD_NOT_ALLOWED', 'Use GET or POST.', {
          allow: 'GET, HEAD, POST',
        });
        return;
      }
      await login(request, response);
      return;
    }
    if (!readOnly) {
      sendError(response, 405, 'DASHBOARD_METHOD_NOT_ALLOWED', 'The dashboard is read-only.', {
        allow: 'GET, HEAD',
      });
      return;
    }
    if (route === '/assets/dashboard.css') {
      sendAsset(response, 'text/css', DASHBOARD_CSS);
      return;
    }
    const verdict = access.check(request);
    if (verdict === 'wrong_host') {
      sendError(
        response,
        403,
        'DASHBOARD_HOST_REFUSED',
        'The dashboard answers loopback host names only.',
      );
      return;
    }
    if (verdict === 'unauthorized') {
      if (route.startsWith('/api/') || !(request.headers.accept ?? '').includes('text/html')) {
        sendError(response, 401, 'DASHBOARD_UNAUTHORIZED', 'A valid bearer token is required.', {
          'www-authenticate': 'Bearer realm="signal-dashboard"',
        });
      } else {
        response.writeHead(303, { location: loginUrl(safeNext(path + url.search), false) });
        response.end();
      }
      return;
    }
    if (route === '/') {
      response.writeHead(302, { location: `${BASE_PATH}/subnet` });
      response.end();
      return;
    }
    if (route === '/assets/dashboard.js') {
      sendAsset(response, 'text/javascript', parts.clientScript);
      return;
    }
    const pageId = route.slice(1);
    if ((PAGE_IDS as readonly string[]).includes(pageId)) {
      await page(pageId as PageId, url.searchParams, response);
      return;
    }
    if (route === '/api/info') {
      sendJsonText(response, 200, JSON.stringify(views.info));
      return;
    }
    if (route === '/api/events') {
      events(url.searchParams, response);
      return;
    }
    const detail = /^\/api\/miners\/(\d{1,5})$/.exec(route);
    if (detail) {
      const cache = views.detail(Number(detail[1]));
      if (!cache) {
        sendError(response, 404, 'DASHBOARD_NOT_FOUND', 'This process keeps no miner history.');
        return;
      }
      try {
        const snapshot = await cache.get();
        if (snapshot.data === null) {
          sendError(response, 404, 'DASHBOARD_NOT_FOUND', `No history for uid ${detail[1]}.`);
          return;
        }
      } catch (error) {
        sendError(response, 503, 'DASHBOARD_SOURCE_FAILED', failed('miner', error));
        return;
      }
      await json(cache, 'miner', request, response);
      return;
    }
    const view = /^\/api\/([a-z]+)$/.exec(route)?.[1];
    if (view !== undefined && VIEW_NAMES.includes(view as ViewName)) {
      const cache = views.caches.get(view as ViewName);
      if (!cache) {
        sendError(response, 404, 'DASHBOARD_NOT_FOUND', `This process has no ${view} data.`);
        return;
      }
      await json(cache, view, request, response);
      return;
    }
    sendError(response, 404, 'DASHBOARD_NOT_FOUND', `No dashboard route ${route}.`);
  };
}
