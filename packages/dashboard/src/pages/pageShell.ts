import { PAGE_IDS, type PageId } from '../api/DashboardInfo';
import { shortKey } from './format';
import { type Html, html, raw } from './html';
import type { PageModel } from './PageModel';
import { renderMain } from './renderMain';

export const PAGE_TITLES: Record<PageId, string> = {
  subnet: 'Subnet',
  miners: 'Miners',
  quality: 'Quality',
  gateway: 'Gateway',
};

/** What the browser script starts from: the model the server rendered, and the views' ETags. */
export interface BootData extends PageModel {
  base: string;
  etags: Record<string, string>;
}

/** JSON inside a `<script>` element: `<` escaped so no string can close the element. */
function scriptJson(value: unknown): Html {
  return raw(JSON.stringify(value).replace(/</g, '\\u003c'));
}

/** The whole document: header and navigation, the page's content, and the data the script boots from. */
export function pageShell(boot: BootData): Html {
  const { info, page, base } = boot;
  const nav = PAGE_IDS.map(
    (id) =>
      html`<a href="${base}/${id}" class="${id === page ? 'current' : ''}${info.pages[id] ? '' : ' off'}" ${id === page ? raw('aria-current="page"') : ''}>${PAGE_TITLES[id]}</a>`,
  );
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${PAGE_TITLES[page]} · Signal netuid ${info.netuid}</title><link rel="stylesheet" href="${base}/assets/dashboard.css"><link rel="icon" href="data:,"></head><body data-page="${page}"><header><div class="brand"><strong>Signal</strong> <span class="muted">netuid ${info.netuid} · ${info.role}${info.hotkey ? html` · <code title="${info.hotkey}">${shortKey(info.hotkey)}</code>` : ''}</span></div><nav aria-label="Pages">${nav}</nav><span id="live" class="live" role="status" data-state="static">static</span></header><main id="main"><h1>${PAGE_TITLES[page]}</h1><div id="content">${renderMain(boot)}</div></main><script id="dashboard-boot" type="application/json">${scriptJson(boot)}</script><script src="${base}/assets/dashboard.js" defer></script></body></html>`;
}

/** The only page shown without the token: a form that exchanges it for a session cookie. */
export function loginPage(base: string, next: string, failed: boolean): Html {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Signal dashboard: sign in</title><link rel="stylesheet" href="${base}/assets/dashboard.css"><link rel="icon" href="data:,"></head><body class="login"><main><h1>Signal dashboard</h1><p>This dashboard is protected by a token (<code>--dashboard.token</code>).</p>${failed ? html`<p class="notice error" role="alert">That token is not valid.</p>` : ''}<form method="post" action="${base}/login"><label for="token">Token</label><input id="token" name="token" type="password" autocomplete="current-password" required><input type="hidden" name="next" value="${next}"><button type="submit">Sign in</button></form></main></body></html>`;
}
