// Assess page: live validation (POST /api/v1/validate), assessment (POST /api/v1/assess),
// saving to a patient (POST /api/v1/patients/{label}/assessments).
"use strict";
(function () {
  const { t, el, api, fmt } = window.IGFC;
  const form = document.getElementById("assess-form");
  const result = document.getElementById("result");
  const errorBox = document.getElementById("error");
  const save = document.getElementById("save");
  let timer = null;
  let lastValues = null;
  // Chinese (any non-English) page: the card's texts come from POST /assess/card (composed in the
  // web layer from the assessment's fields); English shows the domain's own text.
  const localized = document.documentElement.lang !== "en";

  function values() {
    const out = {};
    for (const input of form.querySelectorAll("[data-field]")) {
      const v = input.value.trim();
      if (!v) continue;
      const unit = document.getElementById("u-" + input.dataset.field);
      out[input.dataset.field] = unit && input.tagName === "INPUT" && unit.value !== "1" ? v + " " + unit.value : v;
    }
    return out;
  }

  function showChecks(report, messages) {
    for (const msg of form.querySelectorAll(".field-msg")) { msg.textContent = ""; msg.className = "field-msg"; }
    for (const input of form.querySelectorAll("[data-field]")) input.removeAttribute("aria-invalid");
    for (const [name, f] of Object.entries(report.inputs || {})) {
      const msg = document.getElementById("m-" + name);
      const input = document.getElementById("f-" + name);
      if (!msg) continue;
      if (f.flag === "error" || f.flag === "implausible") {
        msg.textContent = (messages && messages[name]) || f.message || f.flag;
        msg.className = "field-msg " + f.flag;
        if (input) input.setAttribute("aria-invalid", "true");
      } else if (f.value_si !== null && f.value_si !== undefined && f.unit_si) {
        msg.textContent = "= " + fmt(f.value_si) + " " + f.unit_si + " = " +
          fmt(f.value_conventional) + " " + f.unit_conventional;
        msg.className = "field-msg ok";
      }
    }
  }

  function check() {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      try {
        if (localized) {
          const checked = await api("POST", "/assess/check", values());
          showChecks(checked.report, checked.messages);
        } else {
          showChecks(await api("POST", "/api/v1/validate", values()));
        }
      }
      catch (e) { /* the assessment shows the error */ }
    }, 250);
  }

  function scoreLine(key, s, inputs, d) {
    const box = el("div", { class: "score", id: "score-" + key });
    const ds = d ? d.scores[key] : null;
    box.append(el("h3", { text: ds ? ds.name : s.name }));
    if (s.missing && s.missing.length) {
      box.append(el("p", { class: "missing", text: ds ? ds.missing : t("not_computed") + ": " + t("needs") + " " + s.missing.join(", ") }));
      for (const n of ds ? ds.notes : s.notes || []) box.append(el("p", { class: "missing", text: n }));
      return box;
    }
    if ("points" in s) {
      box.append(el("p", { class: "headline" }, el("span", { id: key + "-points", text: s.points }), " " + t("points") + " · " + t("class") + " ",
        el("strong", { id: key + "-class", text: s["class"] })));
      const table = el("table", { class: "data components" },
        el("thead", {}, el("tr", {}, el("th", { text: t("component") }), el("th", { text: t("input") }), el("th", { text: t("points") }))));
      const body = el("tbody");
      for (const [comp, c] of Object.entries(s.components)) {
        const raw = inputs[c.input] ? inputs[c.input].raw : null;
        const given = c.value === null ? "—" : (c.unit === null && raw !== null
          ? (d && d.inputs[c.input] ? d.inputs[c.input].given : String(raw))
          : fmt(c.value) + (c.unit && c.unit !== "1" ? " " + c.unit : ""));
        body.append(el("tr", {}, el("td", { text: t("c_" + comp) }), el("td", { text: (c.input !== comp ? (d && d.inputs[c.input] ? d.inputs[c.input].label : c.input) + " " : "") + given }), el("td", { text: fmt(c.points) })));
      }
      table.append(body);
      box.append(table);
    } else {
      const p = el("p", { class: "headline" }, el("strong", { id: key + "-value", text: fmt(s.value, 3) }));
      if (s.grade !== undefined) p.append(" · " + t("grade") + " ", el("strong", { id: key + "-grade", text: s.grade }));
      if (s.unrounded !== undefined && s.unrounded !== null) p.append(" (" + t("unrounded") + " " + fmt(s.unrounded, 4) + ")");
      box.append(p);
    }
    box.append(el("p", { class: "source" }, el("small", { text: (ds ? ds.source_label : t("source") + ": ") + s.source })));
    return box;
  }

  function evidenceBlock(ev, dev) {
    if (!ev) return null;
    return el("dl", { class: "evidence" },
      el("dt", { text: t("source") }), el("dd", { text: ev.citation + " " + (ev.review_ref || "") + " — " + ev.source }),
      el("dt", { text: t("population") }), el("dd", { text: dev ? dev.population : ev.population }),
      el("dt", { text: t("effect") }), el("dd", { text: dev ? dev.effect : ev.effect }));
  }

  function render(a, d) {
    result.replaceChildren();
    result.append(el("p", { class: "research-use", text: t("research_use") }));
    result.append(el("h2", { text: t("scores") }));
    const grid = el("div", { class: "scores" });
    for (const [key, s] of Object.entries(a.scores)) grid.append(scoreLine(key, s, a.inputs, d));
    result.append(grid);
    result.append(el("h2", { text: t("igf") }));
    const list = el("ul", { class: "statements", id: "igf-statements" });
    const evidence = (a.igf && a.igf.evidence) || {};
    for (const [i, st] of ((a.igf && a.igf.statements) || []).entries()) {
      if (st.kind === "missing") continue;
      const li = el("li", { class: st.applies ? "applies" : "not-applies" },
        el("span", { class: "badge", text: st.applies ? t("applies") : t("does_not_apply") }), " ", d ? d.statements[i] : st.text);
      const block = evidenceBlock(st.evidence_id ? evidence[st.evidence_id] : null,
        d && st.evidence_id ? d.evidence[st.evidence_id] : null);
      if (block) li.append(block);
      list.append(li);
    }
    result.append(list);
    if (a.warnings.length) {
      result.append(el("h2", { text: t("warnings") }));
      result.append(el("ul", { class: "warnings" }, ...(d ? d.warnings : a.warnings).map(function (w) { return el("li", { text: w }); })));
    }
    result.append(el("h2", { text: t("inputs") }));
    const table = el("table", { class: "data" }, el("thead", {}, el("tr", {},
      el("th", { text: t("input") }), el("th", { text: t("given") }), el("th", { text: t("unit_used") }),
      el("th", { text: t("si") }), el("th", { text: t("conventional") }))));
    const body = el("tbody");
    for (const [name, f] of Object.entries(a.inputs)) {
      body.append(el("tr", { class: f.flag ? "flag-" + f.flag : null }, el("td", { text: d && d.inputs[name] ? d.inputs[name].label : name }), el("td", { text: d && d.inputs[name] ? d.inputs[name].given : String(f.raw) }),
        el("td", { text: (d && d.inputs[name] ? d.inputs[name].unit_used : f.unit_used || "—") + (f.assumed_unit ? " (" + t("assumed") + ")" : "") }),
        el("td", { text: f.value_si === null ? "—" : fmt(f.value_si) + " " + f.unit_si }),
        el("td", { text: f.value_conventional === null ? "—" : fmt(f.value_conventional) + " " + f.unit_conventional })));
    }
    table.append(body);
    result.append(table);
    result.hidden = false;
    save.hidden = false;
  }

  form.addEventListener("input", check);
  form.addEventListener("change", check);
  form.addEventListener("reset", function () { setTimeout(check, 0); result.hidden = true; save.hidden = true; });
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    errorBox.hidden = true;
    lastValues = values();
    const chol = document.getElementById("o-cholestatic").value;
    try {
      if (localized) {
        const card = await api("POST", "/assess/card?cholestatic=" + encodeURIComponent(chol), lastValues);
        render(card.assessment, card.display);
      } else {
        render(await api("POST", "/api/v1/assess?cholestatic=" + encodeURIComponent(chol), lastValues));
      }
      result.scrollIntoView({ behavior: "smooth" });
    } catch (e) {
      errorBox.textContent = t("error") + ": " + e.message;
      errorBox.hidden = false;
      result.hidden = true;
    }
  });
  function setAll(system) {
    for (const sel of form.querySelectorAll("select.toggle")) {
      const opt = sel.querySelector('option[data-system="' + system + '"]');
      if (opt) sel.value = opt.value;
    }
    check();
  }
  document.getElementById("all-si").addEventListener("click", function () { setAll("si"); });
  document.getElementById("all-conv").addEventListener("click", function () { setAll("conventional"); });
  document.getElementById("print-btn").addEventListener("click", function () { window.print(); });
  document.getElementById("save-btn").addEventListener("click", async function () {
    const label = document.getElementById("patient-label").value.trim();
    const msg = document.getElementById("save-msg");
    try {
      await api("POST", "/api/v1/patients/" + encodeURIComponent(label) + "/assessments", lastValues || values());
      msg.replaceChildren(t("saved") + " ", el("a", { href: "/patients/" + encodeURIComponent(label), id: "history-link", text: label }));
      msg.className = "ok";
    } catch (e) {
      msg.textContent = t("error") + ": " + e.message;
      msg.className = "error";
    }
  });
})();
