// binder serve: live reload. Injected into every HTML page `binder serve` sends (never into
// `binder build` output). Listens to /__binder/events?path=<file>&build=<generation>
// (Server-Sent Events), telling the server which file and which build generation this page
// shows, so a page that missed a rebuild (its stream reconnected, or the rebuild finished
// while it was loading) is told to reload at once:
//   hello  {"instance", "build"}  — on every (re)connection; a new instance id means the
//                                  server restarted, so the page reloads once
//   reload {"paths": [...]|null} — reload if this page is among the changed files (or null)
//   css    {"paths": [...]}      — swap stylesheets in place, keeping the page as it is
//   error  [diagnostics]         — show the overlay (path:line:col, message, source, hint)
//   ok                           — the build is fixed: hide the overlay
//   health {"errors", "warnings", "url", "report"} — the health report's counts: a small
//                                  badge linking to the report (/_health/), never in the
//                                  way; the report page itself reloads when `report` (its
//                                  id) is not the one it shows
// The scroll position is kept across reloads in sessionStorage.
(() => {
  "use strict";
  const script = document.currentScript;
  // The output file this page was served from ("" for the 404 page: reload on any change).
  const file = script ? script.dataset.path || "" : "";
  // The build generation this page was served at.
  const build = script ? script.dataset.build || "" : "";
  // The server run that served it.
  const served = script ? script.dataset.instance || "" : "";
  const scrollKey = "binder-serve-scroll:" + location.pathname;

  // --- scroll position ----------------------------------------------------------------
  const saved = sessionStorage.getItem(scrollKey);
  if (saved) {
    sessionStorage.removeItem(scrollKey);
    const [x, y] = saved.split(",").map(Number);
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    // "instant": a theme's `scroll-behavior: smooth` would otherwise animate from the top.
    const restore = () => window.scrollTo({ left: x, top: y, behavior: "instant" });
    restore();
    // Images and fonts may still change the layout: restore again once everything is in.
    window.addEventListener("load", restore, { once: true });
  }

  function reload() {
    sessionStorage.setItem(scrollKey, Math.round(window.scrollX) + "," + Math.round(window.scrollY));
    location.reload();
  }

  // --- stylesheets --------------------------------------------------------------------
  function swapStylesheets() {
    const stamp = Date.now().toString(36);
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("binder", stamp);
      // Load the new sheet next to the old one and drop the old one once it applies, so the
      // page never shows unstyled.
      const fresh = link.cloneNode();
      fresh.href = url.pathname + url.search;
      fresh.addEventListener("load", () => link.remove(), { once: true });
      fresh.addEventListener("error", () => fresh.remove(), { once: true });
      link.after(fresh);
    }
  }

  // --- error overlay ------------------------------------------------------------------
  let overlay = null;

  function hideOverlay() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A custom element with its own shadow root and style sheet: the page's CSS cannot reach
  // into the overlay or the badge, and theirs cannot leak into the page.
  function shadowHost(tag, role, css) {
    const host = document.createElement(tag);
    host.setAttribute("role", role);
    const root = host.attachShadow({ mode: "open" });
    root.append(el("style", "", css));
    return { host, root };
  }

  function location_(d) {
    if (!d.path) return "";
    if (!d.line) return d.path;
    return d.path + ":" + d.line + ":" + Math.max(d.col, 1);
  }

  function showOverlay(diagnostics) {
    hideOverlay();
    const { host, root } = shadowHost("binder-error-overlay", "alert", OVERLAY_CSS);
    overlay = host;
    const panel = el("div", "panel");
    const head = el("div", "head");
    const n = diagnostics.length;
    head.append(el("strong", "", "Build failed: " + n + " error" + (n === 1 ? "" : "s")));
    head.append(el("span", "note", " the last good build is still served; fix the file and this goes away"));
    const close = el("button", "close", "×");
    close.title = "Hide (the next build shows it again)";
    close.addEventListener("click", hideOverlay);
    head.append(close);
    panel.append(head);
    for (const d of diagnostics) {
      const item = el("section", "item");
      item.append(el("div", "where", location_(d)));
      item.append(el("div", "message", d.message));
      if (d.source_line !== null && d.source_line !== undefined) {
        const pre = el("pre", "source");
        pre.append(el("span", "", d.source_line + "\n"));
        if (d.col > 0) pre.append(el("span", "caret", " ".repeat(d.col - 1) + "^"));
        item.append(pre);
      }
      if (d.hint) item.append(el("div", "hint", "help: " + d.hint));
      panel.append(item);
    }
    root.append(panel);
    document.documentElement.append(overlay);
  }

  const OVERLAY_CSS = `
    :host { all: initial; position: fixed; inset: 0; z-index: 2147483647; background: rgba(20, 20, 24, 0.6);
      display: flex; align-items: flex-start; justify-content: center; overflow: auto;
      font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .panel { margin: 6vh 1rem; max-width: 56rem; width: 100%; background: #1e1e24; color: #eee;
      border-top: 4px solid #e5484d; border-radius: 6px; box-shadow: 0 10px 40px rgba(0,0,0,.5); padding: 1rem 1.25rem; }
    .head { display: flex; gap: .5rem; align-items: baseline; margin-bottom: .5rem; }
    .head strong { color: #ff8589; }
    .note { color: #aaa; flex: 1; }
    .close { all: unset; cursor: pointer; font-size: 1.4rem; line-height: 1; color: #aaa; padding: 0 .25rem; }
    .close:hover, .close:focus-visible { color: #fff; outline: 1px solid #888; }
    .item { border-top: 1px solid #333; padding: .6rem 0; }
    .where { color: #7cc4ff; }
    .message { white-space: pre-wrap; }
    .source { margin: .4rem 0; padding: .4rem .6rem; background: #111; border-radius: 4px; overflow-x: auto; }
    .caret { color: #ff8589; }
    .hint { color: #9fe0a0; white-space: pre-wrap; }`;

  // --- health badge -------------------------------------------------------------------
  // Health findings are warnings about the handbook, not a broken build: a small corner
  // link to the report, which leaves the page usable (and sits above the error overlay).
  let badge = null;
  let badgeHidden = false;

  function onHealth(h) {
    const shown = document.querySelector("main[data-report]");
    if (location.pathname === h.url && shown && h.report && shown.dataset.report !== h.report) {
      reload();
      return;
    }
    showHealth(h);
  }

  function showHealth(h) {
    if (badge) badge.remove();
    badge = null;
    const errors = h.errors || 0;
    const warnings = h.warnings || 0;
    if (errors + warnings === 0 || badgeHidden || location.pathname === h.url) return;
    const { host, root } = shadowHost("binder-health-badge", "status", BADGE_CSS);
    badge = host;
    const box = el("div", "box");
    const parts = [];
    if (errors) parts.push(errors + " error" + (errors === 1 ? "" : "s"));
    if (warnings) parts.push(warnings + " warning" + (warnings === 1 ? "" : "s"));
    const link = el("a", "", "Health: " + parts.join(", "));
    link.href = h.url;
    link.title = "The handbook's health report (binder check)";
    box.append(link);
    const close = el("button", "close", "×");
    close.setAttribute("aria-label", "Hide the health badge");
    close.addEventListener("click", () => {
      badgeHidden = true;
      showHealth({});
    });
    box.append(close);
    root.append(box);
    document.documentElement.append(badge);
  }

  const BADGE_CSS = `
    :host { all: initial; position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483647;
      font: 14px/1.4 system-ui, sans-serif; }
    .box { display: flex; gap: .5rem; align-items: center; background: #2b2111; color: #ffe3a3;
      border: 1px solid #8a6a1f; border-radius: 6px; padding: .4rem .6rem; box-shadow: 0 4px 16px rgba(0,0,0,.35); }
    a { color: #ffe3a3; text-decoration: underline; }
    a:focus-visible, .close:focus-visible { outline: 2px solid #fff; outline-offset: 2px; }
    .close { all: unset; cursor: pointer; font-size: 1.2rem; line-height: 1; color: #ffe3a3; padding: 0 .2rem; }`;

  // --- events -------------------------------------------------------------------------
  function affects(paths) {
    return !Array.isArray(paths) || file === "" || paths.includes(file);
  }

  const query = new URLSearchParams({ path: file });
  if (build !== "") query.set("build", build);
  if (served !== "") query.set("instance", served);
  const events = new EventSource("/__binder/events?" + query);
  let instance = served || null;
  events.addEventListener("hello", (e) => {
    const hello = JSON.parse(e.data || "{}");
    // Reconnected to a server that restarted since this page loaded: its pages may differ.
    if (instance !== null && instance !== hello.instance) reload();
    instance = hello.instance;
  });
  events.addEventListener("reload", (e) => {
    const data = JSON.parse(e.data || "{}");
    if (affects(data.paths)) reload();
  });
  events.addEventListener("css", () => swapStylesheets());
  // Named "error" like the EventSource's own connection-error event; ours carries data.
  events.addEventListener("error", (e) => {
    if (typeof e.data === "string") showOverlay(JSON.parse(e.data));
  });
  events.addEventListener("ok", hideOverlay);
  events.addEventListener("health", (e) => onHealth(JSON.parse(e.data || "{}")));
  window.addEventListener("pagehide", () => events.close());
})();
