// RedisFlow dashboard core: routing, polling, the API client, DOM and formatting helpers.
// No framework and no innerHTML with data: every value goes in as text, so a queue or key name cannot inject markup.
"use strict";
window.RF = (function () {
  const pages = {};
  const POLL_MS = 2000;
  let session = null;
  let route = { page: "overview", arg: null };
  let lastJson = null;
  let timer = null;
  let generation = 0;

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(el.dataset, v);
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  const nf = new Intl.NumberFormat("en-US");
  const fmt = {
    num: (n) => (n === null || n === undefined ? "–" : nf.format(n)),
    rate: (n) => (!n ? "0" : n >= 100 ? nf.format(Math.round(n)) : n >= 10 ? n.toFixed(1) : n.toFixed(2)) + "/s",
    bytes(n) {
      if (n === null || n === undefined) return "–";
      const units = ["B", "KiB", "MiB", "GiB", "TiB"];
      let i = 0;
      while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
      return (i === 0 ? n : n.toFixed(n >= 100 ? 0 : 1)) + " " + units[i];
    },
    ms(ms) {
      if (ms === null || ms === undefined) return "–";
      const s = Math.floor(ms / 1000);
      if (s < 1) return ms + " ms";
      if (s < 60) return s + "s";
      const m = Math.floor(s / 60);
      if (m < 60) return m + "m " + String(s % 60).padStart(2, "0") + "s";
      const hr = Math.floor(m / 60);
      if (hr < 48) return hr + "h " + String(m % 60).padStart(2, "0") + "m";
      return Math.floor(hr / 24) + "d " + (hr % 24) + "h";
    },
    ago(iso) { return iso ? fmt.ms(Math.max(0, Date.now() - new Date(iso).getTime())) + " ago" : "never"; },
  };

  async function api(path, options) {
    const res = await fetch("api/" + path, Object.assign({ credentials: "same-origin", headers: { Accept: "application/json" } }, options));
    if (res.status === 401) { location.reload(); throw new Error("Signed out"); }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || res.status + " " + res.statusText);
    return body;
  }

  async function action(path, params, done) {
    const headers = { Accept: "application/json" };
    headers[session.antiforgeryHeader] = session.antiforgeryToken;
    try {
      const body = await api(path + "?" + new URLSearchParams(params), { method: "POST", headers });
      toast(done(body));
      refresh(true);
    } catch (e) {
      toast(e.message, true);
    }
  }

  // A button that runs fn; with confirmText the first click arms it and the second one runs it (no modal dialogs).
  function button(label, fn, opts) {
    opts = opts || {};
    if (session && session.readOnly) return null;
    const b = h("button", { class: "btn " + (opts.kind || ""), type: "button" }, label);
    b.addEventListener("click", async () => {
      if (opts.confirmText && !b.classList.contains("confirm")) {
        b.classList.add("confirm");
        b.textContent = opts.confirmText;
        return;
      }
      b.disabled = true;
      await fn();
    });
    return b;
  }

  let toastTimer = null;
  function toast(text, bad) {
    const t = document.getElementById("toast");
    t.textContent = text;
    t.className = "toast" + (bad ? " bad" : "");
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 4000);
  }

  function parseRoute() {
    const parts = location.hash.replace(/^#\/?/, "").split("/");
    const page = pages[parts[0]] ? parts[0] : "overview";
    const arg = parts.length > 1 ? decodeURIComponent(parts.slice(1).join("/")) : null;
    return { page, arg };
  }

  async function refresh(force) {
    const mine = generation;
    const page = pages[route.page];
    const error = document.getElementById("error");
    try {
      const data = await api(page.api(route.arg));
      if (mine !== generation) return;
      const json = JSON.stringify(data);
      // Re-render only on change, so a button under the pointer is not replaced for nothing.
      if (force || json !== lastJson) {
        lastJson = json;
        const view = document.getElementById("view");
        view.replaceChildren(...[].concat(page.render(data, route.arg)).filter(Boolean));
      }
      error.hidden = true;
      document.getElementById("live").className = "live";
      document.getElementById("updated").textContent = "Updated " + new Date().toLocaleTimeString();
    } catch (e) {
      if (mine !== generation) return;
      error.textContent = e.message;
      error.hidden = false;
      document.getElementById("live").className = "live stale";
    }
  }

  function navigate() {
    generation++;
    route = parseRoute();
    lastJson = null;
    const page = pages[route.page];
    document.getElementById("title").textContent = page.title(route.arg);
    const crumbs = document.getElementById("crumbs");
    crumbs.replaceChildren(...(page.crumbs ? page.crumbs(route.arg) : []));
    document.title = page.title(route.arg) + " · RedisFlow";
    for (const a of document.querySelectorAll(".nav a")) a.classList.toggle("active", a.dataset.page === (page.nav || route.page));
    document.getElementById("view").replaceChildren(h("div", { class: "empty" }, "Loading…"));
    refresh(true);
  }

  async function start() {
    session = await api("session");
    document.getElementById("mode").textContent = session.readOnly ? "Read-only" : "";
    window.addEventListener("hashchange", navigate);
    navigate();
    timer = setInterval(() => { if (!document.hidden) refresh(false); }, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", () => start().catch((e) => {
    const error = document.getElementById("error");
    error.textContent = e.message;
    error.hidden = false;
  }));

  return { pages, h, fmt, api, action, button, toast, refresh, get session() { return session; }, timer: () => timer };
})();
