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
