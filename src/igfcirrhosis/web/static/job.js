// A job page (analysis or simulation): poll its status and show its figures and files.
"use strict";
(function () {
  const { t, el, poll } = window.IGFC;
  const box = document.getElementById("job");
  if (!box || box.dataset.status === "done" || box.dataset.status === "failed") return;
  poll(box.dataset.api, function (job) {
    document.getElementById("job-status").textContent = t(job.status);
    document.getElementById("job-progress").value = job.progress;
    document.getElementById("job-message").textContent = job.message || "";
  }).then(function (job) { if (job.status === "done") window.location.reload(); });
})();
