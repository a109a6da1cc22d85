// Shared helpers for the igfcirrhosis pages (no inline scripts: CSP script-src 'self').
"use strict";
window.IGFC = (function () {
  const node = document.getElementById("i18n");
  const T = node ? JSON.parse(node.textContent) : {};
  function t(key) { return Object.prototype.hasOwnProperty.call(T, key) ? T[key] : key; }
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") e.textContent = v; else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  async function api(method, url, body, contentType) {
    const init = { method: method, headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      if (contentType) { init.body = body; init.headers["Content-Type"] = contentType; }
      else { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
    }
    const resp = await fetch(url, init);
    let data = null;
    try { data = await resp.json(); } catch (e) { data = null; }
    if (!resp.ok) {
      const detail = data && data.detail ? data.detail : resp.status + " " + resp.statusText;
      const err = new Error(detail); err.problem = data; err.status = resp.status; throw err;
    }
    return data;
  }
  function fmt(x, digits) {
    if (x === null || x === undefined) return "—";
    if (typeof x === "number") {
      const d = digits === undefined ? 3 : digits;
      return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(d)));
    }
    return String(x);
  }
  async function poll(url, onUpdate, intervalMs) {
    for (;;) {
      const job = await api("GET", url);
      onUpdate(job);
      if (job.status === "done" || job.status === "failed") return job;
      await new Promise(function (r) { setTimeout(r, intervalMs || 500); });
    }
  }
  return { t: t, el: el, api: api, fmt: fmt, poll: poll };
})();
