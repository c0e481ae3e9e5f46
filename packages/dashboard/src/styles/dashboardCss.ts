/**
 * The pages' one stylesheet, served from memory at `assets/dashboard.css`. Series colours
 * are the classes `c0`…`c7` (the CSP forbids inline styles); below 720 px the header stacks
 * and wide tables scroll inside their own box, so the page itself never scrolls sideways.
 */
export const DASHBOARD_CSS = `
:root{--bg:#f7f7f5;--fg:#1d1f21;--muted:#666b70;--card:#fff;--line:#d9dbde;--accent:#2456c7;--bad:#b3261e;--ok:#1e7d3a;
--c0:#2456c7;--c1:#d9480f;--c2:#2b8a3e;--c3:#862e9c;--c4:#c2255c;--c5:#0b7285;--c6:#5c940d;--c7:#495057;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#16181b;--fg:#e6e6e3;--muted:#9aa0a6;--card:#1f2226;--line:#3a3e44;--accent:#7ea6ff;--bad:#ff8a80;--ok:#7ddc8f;
--c0:#7ea6ff;--c1:#ffa94d;--c2:#69db7c;--c3:#da77f2;--c4:#f783ac;--c5:#3bc9db;--c6:#a9e34b;--c7:#ced4da}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
code{font:12px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
header{display:flex;flex-wrap:wrap;align-items:center;gap:8px 24px;padding:10px 20px;background:var(--card);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:1}
header nav{display:flex;flex-wrap:wrap;gap:4px}
header nav a{padding:6px 12px;border-radius:6px;color:var(--fg);text-decoration:none}
header nav a.current{background:var(--accent);color:var(--card)}
header nav a.off{color:var(--muted)}
.live{margin-left:auto;font-size:12px;color:var(--muted)}
.live::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:6px;background:var(--muted)}
.live[data-state=live]::before{background:var(--ok)}
.live[data-state=reconnecting]::before{background:var(--bad)}
main{padding:16px 20px 40px;max-width:1400px;margin:0 auto}
h1{font-size:22px;margin:4px 0 12px}
h2{font-size:17px;margin:24px 0 8px}
.muted{color:var(--muted)}
.tag{font-size:11px;padding:1px 6px;border-radius:8px;background:var(--line)}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:8px;margin:0 0 8px}
.stats div{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 12px}
.stats dt{font-size:12px;color:var(--muted)}
.stats dd{margin:0;font-size:18px;font-weight:600}
.table-wrap{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:8px;margin:8px 0}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
caption{text-align:left;padding:8px 12px;color:var(--muted);font-size:12px}
th,td{padding:5px 10px;border-top:1px solid var(--line);text-align:left;white-space:nowrap}
th{font-weight:600;font-size:12px}
th a{color:inherit;text-decoration:none}
th a:hover{text-decoration:underline}
.num{text-align:right}
tbody tr[data-uid]{cursor:pointer}
tbody tr:hover{background:color-mix(in srgb,var(--accent) 7%,transparent)}
tbody tr.selected{background:color-mix(in srgb,var(--accent) 16%,transparent)}
tr.outcome-timeout td[data-column=outcome],tr.outcome-refused td[data-column=outcome],tr.outcome-invalid_payload td[data-column=outcome]{color:var(--bad);font-weight:600}
.notice{padding:10px 14px;border-radius:8px;background:var(--card);border:1px solid var(--line)}
.notice.error,.notice.unavailable{border-color:var(--bad)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:12px}
figure.chart{margin:8px 0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 12px}
figure.chart figcaption{font-weight:600;margin-bottom:4px}
figure.chart svg{width:100%;height:auto;display:block}
.grid{stroke:var(--line);stroke-width:1}
.axis{stroke:var(--muted);stroke-width:1}
.tick{fill:var(--muted);font-size:11px}
.tick.y{text-anchor:end}
.tick.x{text-anchor:middle}
.label{fill:var(--muted);font-size:11px;text-anchor:middle}
.series .line{fill:none;stroke-width:2}
.series .band{stroke:none;opacity:.18}
.series .point{stroke:var(--card);stroke-width:1}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;margin:4px 0 0;padding:0;font-size:12px}
.legend .swatch{display:inline-block;width:12px;height:3px;margin-right:6px;vertical-align:middle}
svg.spark{width:80px;height:20px}
svg.spark path{fill:none;stroke:var(--accent);stroke-width:1.5}
${Array.from({ length: 8 }, (_, i) => `.c${i} .line{stroke:var(--c${i})}.c${i} .band,.c${i} .point{fill:var(--c${i})}.c${i} .swatch{background:var(--c${i})}`).join('\n')}
body.login main{max-width:420px;margin:10vh auto}
body.login form{display:flex;flex-direction:column;gap:8px}
body.login input,body.login button{font:inherit;padding:8px 10px;border-radius:6px;border:1px solid var(--line)}
body.login button{background:var(--accent);color:var(--card);border:none;cursor:pointer}
@media (max-width:720px){header{padding:8px 12px}main{padding:12px}.live{margin-left:0}.stats dd{font-size:16px}}
`;
