// Evidence: filter the registry table as you type (the form still searches on the server).
"use strict";
(function () {
  const input = document.getElementById("q");
  const rows = Array.from(document.querySelectorAll("#evidence-table tbody tr"));
  const count = document.getElementById("evidence-count");
  const template = count.dataset.template;
  input.addEventListener("input", function () {
    const needle = input.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const hit = !needle || row.textContent.toLowerCase().includes(needle);
      row.hidden = !hit;
      if (hit) shown += 1;
    }
    count.textContent = template.replace("%(n)s", String(shown));
  });
})();
