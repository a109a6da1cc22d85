// Cohorts: upload (raw body, POST /api/v1/cohorts?filename=...) and analysis plans.
"use strict";
(function () {
  const { t, api } = window.IGFC;
  const upload = document.getElementById("upload-form");
  if (upload) {
    upload.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      const file = document.getElementById("cohort-file").files[0];
      const msg = document.getElementById("upload-msg");
      if (!file) return;
      msg.textContent = t("uploading"); msg.className = "";
      try {
        const c = await api("POST", "/api/v1/cohorts?filename=" + encodeURIComponent(file.name), file, "application/octet-stream");
        window.location.assign("/cohorts/" + c.id);
      } catch (e) { msg.textContent = t("error") + ": " + e.message; msg.className = "error"; }
    });
  }
  const plan = document.getElementById("plan-form");
  if (plan) {
    async function rebuild() {
      const chosen = Array.from(document.querySelectorAll("#plan-builder input[type=checkbox]:checked")).map(function (c) { return c.value; });
      const q = new URLSearchParams({ name: plan.dataset.name, analyses: chosen.join(","), igf1_cut: document.getElementById("pa-cut").value || "13" });
      const msg = document.getElementById("plan-msg");
      try {
        const resp = await fetch("/api/v1/plans/build?" + q.toString());
        if (!resp.ok) throw new Error((await resp.json()).detail);
        document.getElementById("plan-text").value = await resp.text();
        msg.textContent = "";
      } catch (e) { msg.textContent = t("error") + ": " + e.message; msg.className = "error"; }
    }
    document.getElementById("plan-builder").addEventListener("change", rebuild);
    document.getElementById("plan-file").addEventListener("change", async function (ev) {
      const f = ev.target.files[0];
      if (f) document.getElementById("plan-text").value = await f.text();
    });
    plan.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      const msg = document.getElementById("plan-msg");
      try {
        const job = await api("POST", "/api/v1/analyses", {
          cohort_id: Number(plan.dataset.cohort), title: document.getElementById("plan-title").value,
          plan: document.getElementById("plan-text").value });
        window.location.assign("/analyses/" + job.id);
      } catch (e) { msg.textContent = t("error") + ": " + e.message; msg.className = "error"; }
    });
  }
})();
