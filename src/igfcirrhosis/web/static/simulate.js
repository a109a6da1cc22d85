// Simulate: POST /api/v1/simulations, poll, show the figures.
"use strict";
(function () {
  const { t, el, api, poll } = window.IGFC;
  const form = document.getElementById("sim-form");
  const msg = document.getElementById("sim-msg");
  function num(id) { const v = document.getElementById(id).value.trim(); return v === "" ? NaN : Number(v); }
  async function follow(job) {
    const run = document.getElementById("sim-run");
    const figs = document.getElementById("sim-figures");
    const files = document.getElementById("sim-files");
    figs.replaceChildren(); files.replaceChildren();
    run.hidden = false;
    const done = await poll("/api/v1/simulations/" + job.id, function (j) {
      document.getElementById("sim-status").textContent = t(j.status);
      document.getElementById("sim-progress").value = j.progress;
      document.getElementById("sim-message").textContent = j.message || "";
    });
    const link = document.getElementById("sim-link");
    link.href = "/simulations/" + done.id; link.hidden = false;
    const base = "/api/v1/simulations/" + done.id + "/files/";
    for (const f of done.files) {
      if (f.endsWith(".svg")) figs.append(el("figure", {}, el("img", { src: base + f, alt: f, class: "sim-plot" }), el("figcaption", { text: f })));
      files.append(el("li", {}, el("a", { href: base + f, text: f })));
    }
  }
  document.getElementById("scenario-form").addEventListener("submit", async function (ev) {
    ev.preventDefault();
    msg.hidden = true;
    const file = document.getElementById("scenario-file").files[0];
    if (!file) return;
    try {
      const pop = encodeURIComponent(document.getElementById("scenario-pop").value || "0");
      await follow(await api("POST", "/api/v1/simulations/scenario?population=" + pop, await file.text(), "text/plain"));
    } catch (e) { msg.textContent = t("error") + ": " + e.message; msg.hidden = false; }
  });
  document.getElementById("fit-form").addEventListener("submit", async function (ev) {
    ev.preventDefault();
    msg.hidden = true;
    try {
      await follow(await api("POST", "/api/v1/simulations/fit", { cohort_id: Number(document.getElementById("fit-cohort").value) }));
    } catch (e) { msg.textContent = t("error") + ": " + e.message; msg.hidden = false; }
  });
  const state = document.getElementById("s-state");
  function showMeasured() { document.getElementById("s-measured").hidden = state.value !== "measured"; }
  state.addEventListener("change", showMeasured);
  showMeasured();
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    msg.hidden = true;
    const body = { state: state.value, product: document.getElementById("s-product").value,
      dose_ug_per_kg: num("s-dose"), interval_hours: num("s-interval"), days: num("s-days"),
      population: num("s-pop"), seed: num("s-seed") };
    if (state.value === "measured") {
      body.igf1_ng_ml = num("s-igf1"); body.igfbp3_mg_l = num("s-igfbp3"); body.gh_ng_ml = num("s-gh");
    }
    for (const [k, v] of Object.entries(body)) if (typeof v === "number" && Number.isNaN(v)) body[k] = null;
    try {
      await follow(await api("POST", "/api/v1/simulations", body));
    } catch (e) { msg.textContent = t("error") + ": " + e.message; msg.hidden = false; }
  });
})();
