"""The Assess result card in the page language, composed in the web layer.

The domain layer writes its sentences in English (``assess(...).to_dict()``, which the REST API
returns unchanged). For a Chinese page, :func:`localize` rebuilds every sentence the software
composes from the structured fields the assessment already carries (score ``missing`` lists,
``inputs.*`` flags, values and units, ``igf.statements[*]`` and ``igf.evidence``) with the
gettext catalog. Text quoted from the evidence registry (population, effect, notes) is
translated when the catalog has it, else shown as a quotation labelled 原文 (source text).
Citations stay as published. ``POST /assess/card`` (not part of the API schema) returns the
assessment and its display texts for the page script.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse

from igfcirrhosis.domain.input_errors import InputError
from igfcirrhosis.web.i18n import N_, choose_language, translations
from igfcirrhosis.web.problems import ProblemError
from igfcirrhosis.web.schemas import PatientValues

router = APIRouter(include_in_schema=False)

Gettext = Callable[[str], str]

#: Score names (the domain's ``spec.name``), by score key.
SCORE_NAMES: dict[str, str] = {
    "child_pugh": N_("Child-Pugh"),
    "meld": N_("MELD (OPTN 2016)"),
    "meld_na": N_("MELD-Na (OPTN 2016; Kim 2008)"),
    "meld_3": N_("MELD 3.0 (Kim 2021)"),
    "albi": N_("ALBI (Johnson 2015)"),
    "igf_ctp": N_("IGF-CTP (Kaseb 2014)"),
    "mayo_pbc": N_("Mayo PBC risk score (Dickson 1989)"),
}

#: Labels of statement subjects that are not form fields.
EXTRA_LABELS: dict[str, str] = {
    "igf1_igfbp3_ratio": N_("IGF-I/IGFBP-3 molar ratio"),
    "age_years": N_("Age"),
}

#: The domain's English subject names in "no SDS computed for ..." sentences.
_SUBJECTS: Mapping[str, str] = {"IGF-I": "igf1", "IGF-II": "igf2", "IGFBP-3": "igfbp3",
                                "ALS": "als", "IGF-I/IGFBP-3 molar ratio": "igf1_igfbp3_ratio"}

_OPS_ZH: Mapping[str, tuple[str, str]] = {
    "<": (N_("is below"), N_("is not below")),
    "<=": (N_("is at or below"), N_("is above")),
    ">": (N_("is above"), N_("is not above")),
    ">=": (N_("is at or above"), N_("is below")),
}

#: Text quoted from the evidence registry, translated where the catalog has it (the English
#: strings are msgids; when the registry changes, the new text is shown as 原文 instead).
REGISTRY_TEXT: tuple[str, ...] = (
    # outcomes
    N_("90-day survival (Kaplan-Meier)"),
    N_("prognosis (survival)"),
    N_("transplant-free survival (Kaplan-Meier; follow-up of the stable cohort, 2012-2014)"),
    N_("90-day transplant-free survival (Kaplan-Meier)"),
    N_("malignant (vs benign) ascites"),
    # short populations
    N_("acute decompensation of cirrhosis, n = 103"),
    N_("advanced viral cirrhosis, n = 44"),
    N_("outpatients with stable cirrhosis, n = 138"),
    N_("hospitalised for acute decompensation, n = 189"),
    N_("patients with ascites, n = 398 (74 malignant)"),
    # populations
    N_("103 patients admitted for acute decompensation of cirrhosis (cohort study, "
       "Florianopolis, Brazil)"),
    N_("44 patients with advanced cirrhosis of viral origin in 3 Child-Pugh groups, and 38 "
       "healthy controls (Ruijin Hospital, Shanghai)"),
    N_("138 outpatients with stable cirrhosis (prospective cohort, Florianopolis, Brazil)"),
    N_("189 patients hospitalised for acute decompensation of cirrhosis (prospective cohort, "
       "Florianopolis, Brazil)"),
    N_("398 consecutive patients with ascites: 324 benign, 74 malignant (prospective, "
       "Mansoura, Egypt)"),
    N_("serum of patients with autoimmune cirrhosis vs normal controls (case-control, iTRAQ "
       "LC-ESI-MS/MS, western blot confirmation)"),
    # effects
    N_("90-day survival 63.2% with IGF-I < 13 ng/mL vs 94.3% with IGF-I >= 13 ng/mL "
       "(p = .001); 90-day mortality 26.2% overall, independently associated with MELD, age "
       "and IGF-I"),
    N_("IGF-I < 30 ng/mL 'implied a negative prognosis' (no survival figures in the abstract)"),
    N_("IGF-II < 200 ng/mL 'implied a negative prognosis'; IGF-II was the most sensitive "
       "indicator of liver dysfunction of the three"),
    N_("IGFBP-3 < 6 (printed 'ng/mL') 'implied a negative prognosis'"),
    N_("transplant-free survival 72.1% with IGFBP-3 < 1.67 mg/L vs 88.6% with IGFBP-3 >= "
       "1.67 mg/L (p = 0.015)"),
    N_("90-day transplant-free survival 56.1% with IGFBP-3 < 0.86 mg/L vs 80.4% with "
       "IGFBP-3 >= 0.86 mg/L (p < 0.001); 30-day mortality 24.3%"),
    N_("serum IGF-I at a cut-off of 309.4 ng/mL: sensitivity 95.1%, specificity 88.6% for "
       "malignant ascites (AUC 0.932); mean serum IGF-I 305 +/- 65.7 ng/mL in malignant vs "
       "95 +/- 53.8 ng/mL in benign ascites"),
    N_("IGFALS (acid-labile subunit) is markedly lower in autoimmune cirrhosis than in "
       "controls (iTRAQ serum proteomics) and may be a better marker for it; no cut-off or "
       "concentration given"),
    # notes of entries that are not verified from the abstract
    N_("Both the abstract and the review print '< 6 ng/mL'. IGFBP-3 circulates in mg/L (ug/mL) "
       "amounts, 1000-fold more than 6 ng/mL, so the software ASSUMES mg/L and says so. Even "
       "then the cut-off is high: the healthy adult median on a modern assay is about 3.2-4.6 "
       "mg/L (Friedrich 2014, IDS-iSYS), so most adults, healthy or not, fall below 6 mg/L. "
       "Treat as of doubtful use."),
    # assays and verification states
    N_("immunoradiometric assay (IRMA)"),
    N_("immunochemiluminescence"),
    N_("unit-ambiguous"),
)

_WARN_DIALYSIS = ("dialysis not given: MELD, MELD-Na and MELD 3.0 assume no dialysis in the "
                  "past week (pass dialysis=yes if >= 2 dialyses or 24 h CVVHD)")
_WARN_CHOLESTATIC = ("cholestatic disease (PBC/PSC): Child-Pugh and IGF-CTP use the bilirubin "
                     "edges 4 / 10 mg/dL")


def fmt(x: float) -> str:
    """Up to 4 significant digits, as the domain writes numbers in its sentences."""
    return f"{x:.4g}"


class Localizer:
    """Chinese (or any catalog language) texts for one assessment dict."""

    def __init__(self, a: Mapping[str, Any], lang: str) -> None:
        self.a = a
        self.g: Gettext = translations(lang).gettext
        self.inputs: Mapping[str, Mapping[str, Any]] = a.get("inputs", {})

    # -- helpers ---------------------------------------------------------------------------
    def tr(self, msg: str, **kw: object) -> str:
        text = self.g(msg)
        return text % kw if kw else text

    def label(self, name: str) -> str:
        from igfcirrhosis.domain.analytes import catalog

        if name in EXTRA_LABELS:
            return self.g(EXTRA_LABELS[name])
        analyte = catalog().get(name)
        return self.g(analyte.label) if analyte is not None else name

    def quote(self, text: str) -> str:
        """Registry text: its translation, else the English quoted and labelled 原文."""
        text = text.strip()
        if not text:
            return ""
        zh = self.g(text)
        if zh != text:
            return zh
        return self.tr(N_("source text: \u201c%(text)s\u201d"), text=text)

    def need(self, need: str) -> str:
        return self.tr(N_(" or ")).join(self.label(n) for n in need.split(" or "))

    def citation(self, citation: str) -> str:
        return citation.replace(" et al. ", self.g(N_(" et al. ")))

    # -- inputs ----------------------------------------------------------------------------
    def input_message(self, name: str) -> str | None:
        """The input's flag message, composed from its fields (None when it has none)."""
        f = self.inputs.get(name)
        if not f or not f.get("message"):
            return None
        from igfcirrhosis.domain.analytes import catalog

        analyte = catalog().get(name)
        label = self.label(name)
        message = str(f["message"])
        value = f.get("value_given")
        unit = f.get("unit_given") or f.get("unit_used") or ""
        given = (fmt(value) + ("" if unit in ("", "1") else " " + unit)
                 if isinstance(value, int | float) else repr(f.get("raw")))
        if f.get("flag") == "implausible" and analyte is not None:
            m = re.search(r"\(plausible (.+?)\)", message)
            rng = m.group(1) if m else ""
            text = self.tr(N_("%(label)s %(given)s is implausible (plausible %(range)s)"),
                           label=label, given=given, range=rng)
            m = re.search(r"; did you mean (.+?)\?", message)
            if m:
                text += self.tr(N_("; did you mean %(alt)s?"), alt=m.group(1))
            return text + self.g(N_(" (not scored)"))
        if f.get("flag") is None and "kept as given" in message:
            return self.tr(N_("%(label)s: %(raw)s is not an accepted value; kept as given"),
                           label=label, raw=self.raw(f.get("raw")))
        return self.error_message(name, f.get("raw"), message)

    @staticmethod
    def raw(raw: object) -> str:
        return f"\u201c{raw}\u201d"

    def error_message(self, name: str, raw: object, message: str) -> str:
        """An input that cannot be read (an InputError), recognised from its kind."""
        from igfcirrhosis.domain.analytes import catalog

        analyte = catalog().get(name)
        label = self.label(name)
        shown = self.raw(raw)
        expected = re.search(r"\(expected (.+)\)$", message)
        rng = expected.group(1) if expected else ""
        if "contains a comma" in message:
            return self.tr(N_("%(label)s: %(raw)s contains a comma; write the decimal point as "
                              "'.' (e.g. 1.8) and no thousands separators (e.g. 1500)"),
                           label=label, raw=shown)
        if "is a detection limit" in message:
            return self.tr(N_("%(label)s: %(raw)s is a detection limit, not a measured value; "
                              "enter the number itself or leave the value missing"),
                           label=label, raw=shown)
        if "is not a number" in message or "is not a finite number" in message:
            if analyte is not None and analyte.has_unit:
                return self.tr(N_("%(label)s: %(raw)s is not a number; enter a number in "
                                  "%(unit)s, or a number with its unit (e.g. '1.2 %(example)s')"),
                               label=label, raw=shown, unit=self.unit(analyte.default_unit),
                               example=self.unit(analyte.si_unit or analyte.default_unit))
            return self.tr(N_("%(label)s: %(raw)s is not a number"), label=label, raw=shown)
        if "is negative" in message:
            return self.tr(N_("%(label)s: %(raw)s is negative; a concentration cannot be below 0 "
                              "(plausible %(range)s)"), label=label, raw=shown, range=rng)
        if "is not possible" in message and "greater than 0" in message:
            return self.tr(N_("%(label)s: %(raw)s is not possible; it must be greater than 0 "
                              "(plausible %(range)s)"), label=label, raw=shown, range=rng)
        if "is not an accepted value" in message and analyte is not None:
            if analyte.categories:
                values = self.g(N_(", ")).join(
                    f"{c.code if isinstance(c.code, str) else c.label} "
                    f"({self.g(c.label)})" for c in analyte.categories)
            else:
                values = self.g(N_("yes")) + " / " + self.g(N_("no"))
            return self.tr(N_("%(label)s: %(raw)s is not an accepted value; expected one of "
                              "%(values)s"), label=label, raw=shown, values=values)
        m = re.search(r"unit '(.+?)' is not a unit for \S+; expected (.+)$", message)
        if m:
            return self.tr(N_("%(label)s: '%(unit)s' is not a unit of %(label)s; expected "
                              "%(expected)s"), label=label, unit=m.group(1), expected=m.group(2))
        if "unit" in message:
            return self.tr(N_("%(label)s: the unit of %(raw)s cannot be used (%(original)s)"),
                           label=label, raw=shown, original=self.quote(message))
        return self.tr(N_("%(label)s: %(raw)s cannot be read (%(original)s)"), label=label,
                       raw=shown, original=self.quote(message))

    def given(self, name: str) -> dict[str, str]:
        """The input table's "given" and "unit used" cells (category codes as their labels)."""
        from igfcirrhosis.domain.analytes import catalog

        f = self.inputs.get(name) or {}
        analyte = catalog().get(name)
        raw = f.get("raw")
        given = "" if raw is None else str(raw)
        unit_given = f.get("unit_given")
        if isinstance(unit_given, str) and given.endswith(unit_given):  # "54 years" -> 54 岁
            given = given[: len(given) - len(unit_given)] + self.unit(unit_given)
        value = f.get("value")
        if analyte is not None and not analyte.is_numeric and f.get("flag") is None:
            match = [c for c in analyte.categories if c.code == value]
            if match:
                given = self.g(match[0].label)
            elif analyte.kind == "bool" and value in (0.0, 1.0):
                given = self.g(N_("yes")) if value == 1.0 else self.g(N_("no"))
        return {"given": given, "unit_used": self.unit(f.get("unit_used")) or "—"}

    def warning(self, w: str) -> str:
        """One warning of the assessment, recognised from the inputs it is about."""
        if w == _WARN_DIALYSIS:
            return self.g(N_("Dialysis not given: MELD, MELD-Na and MELD 3.0 assume no dialysis "
                             "in the past week (choose yes if there were >= 2 dialyses or 24 h "
                             "CVVHD)."))
        if w == _WARN_CHOLESTATIC:
            return self.g(N_("Cholestatic disease (PBC/PSC): Child-Pugh and IGF-CTP use the "
                             "bilirubin edges 4 / 10 mg/dL."))
        for name, f in self.inputs.items():
            if f.get("message") and w == f["message"]:
                return self.input_message(name) or w
            if f.get("assumed_unit") and w.startswith(f"{name}: no unit given; assumed "):
                return self.tr(N_("%(label)s: no unit given; %(unit)s assumed (data dictionary "
                                  "default)"), label=self.label(name),
                               unit=self.unit(f.get("unit_used")))
            if w.startswith(f"{name}: ") and "(unit assumed) is outside the typical range" in w:
                m = re.search(r"typical range \((.+?)\); if it is in (\S+), write '(.+?)' "
                              r"\(= (.+?)\)$", w)
                if m:
                    return self.tr(N_("%(label)s: %(given)s (unit assumed) is outside the "
                                      "typical range (%(range)s); if it is in %(alt)s, enter "
                                      "'%(write)s' (= %(converted)s)"),
                                   label=self.label(name),
                                   given=fmt(f.get("value_given") or 0.0) + " "
                                   + self.unit(f.get("unit_used")), range=m.group(1),
                                   alt=m.group(2), write=m.group(3), converted=m.group(4))
        return self.quote(w)

    def unit(self, unit: object) -> str:
        if unit == "years":
            return self.g(N_("years"))
        return "" if unit in (None, "1") else str(unit)

    # -- scores ----------------------------------------------------------------------------
    def score(self, key: str, s: Mapping[str, Any]) -> dict[str, Any]:
        name = self.g(SCORE_NAMES[key]) if key in SCORE_NAMES else str(s.get("name", key))
        out: dict[str, Any] = {"name": name, "missing": None, "notes": [],
                               "source_label": self.g(N_("Source (quoted as published): "))}
        missing = list(s.get("missing") or [])
        if missing:
            out["missing"] = self.tr(N_("not computed: needs %(inputs)s"),
                                     inputs=self.g(N_(", ")).join(self.need(m) for m in missing))
            for need in missing:
                for n in need.split(" or "):
                    f = self.inputs.get(n)
                    if f and f.get("flag") == "implausible":
                        out["notes"].append(self.tr(
                            N_("%(label)s was flagged implausible and is not scored: %(why)s"),
                            label=self.label(n), why=self.input_message(n) or ""))
        return out

    # -- IGF statements --------------------------------------------------------------------
    def sex_word(self) -> str:
        sex = (self.inputs.get("sex") or {}).get("value")
        return self.g(N_("female")) if sex == "F" else self.g(N_("male"))

    def age(self) -> str:
        age = (self.inputs.get("age") or {}).get("value")
        return fmt(age) if isinstance(age, int | float) else "?"

    def subject_value(self, analyte: str) -> str:
        f = self.inputs.get(analyte)
        if f and isinstance(f.get("value"), int | float):
            return f"{fmt(f['value'])} {f.get('unit') or ''}".strip()
        return ""

    def statement(self, st: Mapping[str, Any]) -> str:
        kind = st.get("kind")
        analyte = str(st.get("analyte"))
        label = self.label(analyte)
        if kind == "missing":
            return self.missing_statement(st, label)
        if kind == "ratio":
            return self.ratio_statement(st)
        if kind == "sds":
            return self.sds_statement(st, label)
        if kind == "cutoff":
            ev = (self.a.get("igf", {}).get("evidence") or {}).get(st.get("evidence_id") or "")
            if ev and ev.get("cutoff") is not None:
                return self.cutoff_statement(st, ev, label)
            return self.no_cutoff_statement(st, ev, label)
        return self.quote(str(st.get("text", "")))

    def missing_statement(self, st: Mapping[str, Any], label: str) -> str:
        analyte = str(st.get("analyte"))
        f = self.inputs.get(analyte)
        if f and f.get("flag") == "implausible":
            return self.tr(N_("%(why)s; it is not interpreted."),
                           why=self.input_message(analyte) or "")
        m = re.search(r"no SDS computed for (.+)\.$", str(st.get("text", "")))
        names = self.g(N_(", ")).join(self.label(_SUBJECTS.get(n, n))
                                      for n in (m.group(1).split(", ") if m else ()))
        if analyte == "age_years":
            return self.tr(N_("Age not given: no SDS computed for %(names)s."), names=names)
        if analyte == "sex":
            return self.tr(N_("Sex not given: no SDS computed for %(names)s."), names=names)
        return self.tr(N_("%(label)s not given (expected in %(unit)s)."), label=label,
                       unit=st.get("unit") or "")

    def ratio_statement(self, st: Mapping[str, Any]) -> str:
        from igfcirrhosis.domain.biomarkers import (
            IGF1_MW_DA,
            IGFBP3_MW_KDA,
            igf1_igfbp3_molar_ratio,
        )

        ratio = float(st.get("value") or 0.0)
        igf1 = (self.inputs.get("igf1") or {}).get("value")
        bp3 = (self.inputs.get("igfbp3") or {}).get("value")
        alt = (float(igf1_igfbp3_molar_ratio(igf1, bp3, igfbp3_mw_kda=30.5))
               if isinstance(igf1, int | float) and isinstance(bp3, int | float) else math.nan)
        return self.tr(N_("IGF-I/IGFBP-3 molar ratio %(ratio)s (IGF-I %(mw1)s Da, Increlex label; "
                          "IGFBP-3 %(mw3)s kDa; with 30.5 kDa it would be %(alt)s)."),
                       ratio=f"{ratio:.3f}", mw1=fmt(IGF1_MW_DA), mw3=fmt(IGFBP3_MW_KDA),
                       alt=f"{alt:.3f}")

    def sds_statement(self, st: Mapping[str, Any], label: str) -> str:
        analyte = str(st.get("analyte"))
        ref_id = st.get("reference_id")
        if ref_id is None:
            return self.tr(N_("%(label)s: no reference table is shipped, so no SDS is computed."),
                           label=label)
        refs = self.a.get("igf", {}).get("references") or {}
        ref = refs.get(ref_id) or {}
        z = st.get("value")
        if z is None:
            return self.tr(N_("%(label)s SDS not computed: age %(age)s years is outside the range "
                              "of reference %(ref)s for %(sex)s patients."),
                           label=label, age=self.age(), ref=ref_id, sex=self.sex_word())
        if analyte == "igf1_igfbp3_ratio":
            ratio = next((s.get("value") for s in self.a.get("igf", {}).get("statements", [])
                          if s.get("kind") == "ratio"), None)
            value = f"{fmt(ratio)} mol/mol" if isinstance(ratio, int | float) else ""
        else:
            value = self.subject_value(analyte)
        where = (N_("below the healthy reference range (SDS < -2)") if z < -2 else
                 N_("above the healthy reference range (SDS > +2)") if z > 2 else
                 N_("within +/-2 SD of the healthy reference range"))
        text = self.tr(N_("%(label)s %(value)s: standard deviation score (SDS) %(z)s for a "
                          "%(age)s-year-old %(sex)s, %(where)s; reference table %(ref)s "
                          "(healthy people)."),
                       label=label, value=value, z=f"{z:+.2f}", age=self.age(),
                       sex=self.sex_word(), where=self.g(where), ref=ref_id)
        unit_given = value.split(" ", 1)[1] if " " in value else ""
        if ref.get("unit") and unit_given and ref["unit"] != unit_given:
            text += self.tr(N_(" The table's unit is '%(table_unit)s'; the value was converted "
                               "from %(unit)s."), table_unit=ref["unit"], unit=unit_given)
        assay = self.assay_short(ref_id, ref)
        text += self.tr(N_(" Assays differ: the SDS is valid only if your laboratory's assay "
                           "agrees with %(assay)s. The reference range comes from healthy "
                           "people, so in cirrhosis the SDS shows the deficiency relative to "
                           "health, not a cirrhosis norm."), assay=assay)
        return text

    @staticmethod
    def assay_short(ref_id: str, ref: Mapping[str, Any]) -> str:
        try:
            from igfcirrhosis.domain.biomarkers import reference_table

            table = reference_table(ref_id)
            return str(table.metadata.get("assay_short", table.assay))
        except (ValueError, OSError):
            return str(ref.get("assay", ""))

    def cutoff_statement(self, st: Mapping[str, Any], ev: Mapping[str, Any], label: str) -> str:
        cutoff = float(ev["cutoff"])
        unit = str(ev.get("unit") or "")
        op = ("<=" if ev.get("boundary") == "inclusive" else "<") \
            if ev.get("direction") == "below" else \
            (">=" if ev.get("boundary") == "inclusive" else ">")
        value = self.converted(st, unit)
        verb = self.g(_OPS_ZH[op][0 if st.get("applies") else 1])
        sym = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}[op]
        text = self.tr(N_("%(label)s %(value)s %(verb)s %(cutoff)s %(unit)s (risk side: %(label)s "
                          "%(op)s %(cutoff)s %(unit)s; outcome: %(outcome)s)."),
                       label=label, value=value, verb=verb, cutoff=fmt(cutoff), unit=unit,
                       op=sym, outcome=self.quote(str(ev.get("outcome", ""))))
        assay = str(ev.get("assay") or "")
        text += self.tr(N_(" In %(citation)s (%(population)s; assay: %(assay)s): %(effect)s."),
                        citation=self.citation(str(ev.get("citation", ""))),
                        population=self.quote(str(ev.get("population_short", ""))),
                        assay=self.g(assay) if assay else "—",
                        effect=self.quote(str(ev.get("effect", ""))))
        printed = ev.get("unit_as_printed")
        if printed and printed != unit:
            text += self.tr(N_(" Unit: the source printed '%(printed)s'; this software assumes "
                               "%(unit)s."), printed=printed, unit=unit)
        if ev.get("verification") != "verified-abstract":
            text += self.tr(N_(" Verification: %(state)s."),
                            state=self.g(str(ev.get("verification"))))
            if ev.get("notes"):
                text += " " + self.quote(str(ev["notes"]))
        return text + self.g(N_(" The cut-off was derived in that population with that assay; "
                                "it is not validated elsewhere."))

    def converted(self, st: Mapping[str, Any], unit: str) -> str:
        value = st.get("value")
        if not isinstance(value, int | float):
            return "—"
        if st.get("unit") != unit:
            try:
                from igfcirrhosis.domain.units import conversion_factor

                value = value * conversion_factor(str(st.get("unit")), unit,
                                                  str(st.get("analyte")))
            except Exception:  # noqa: BLE001 - show the value in its own unit instead
                return f"{fmt(value)} {st.get('unit')}"
        return f"{fmt(value)} {unit}"

    def no_cutoff_statement(self, st: Mapping[str, Any], ev: Mapping[str, Any] | None,
                            label: str) -> str:
        if st.get("analyte") == "igf1_igfbp3_ratio":
            return self.g(N_("The evidence registry holds no cut-off for the IGF-I/IGFBP-3 molar "
                             "ratio in cirrhosis, so no risk statement is made."))
        value = st.get("value")
        shown = f"{fmt(value)} {st.get('unit') or ''}".strip() \
            if isinstance(value, int | float) else ""
        text = self.tr(N_("%(label)s %(value)s: the evidence registry holds no validated cut-off "
                          "for %(label)s, so no risk statement is made."),
                       label=label, value=shown)
        if ev:
            text += self.tr(N_(" Related finding (%(id)s): %(effect)s."), id=ev.get("id", ""),
                            effect=self.quote(str(ev.get("effect", ""))))
        return text

    def evidence(self, ev: Mapping[str, Any]) -> dict[str, str]:
        return {"population": self.quote(str(ev.get("population", ""))),
                "effect": self.quote(str(ev.get("effect", "")))}

    # -- everything ------------------------------------------------------------------------
    def display(self) -> dict[str, Any]:
        igf = self.a.get("igf") or {}
        return {
            "scores": {k: self.score(k, s) for k, s in (self.a.get("scores") or {}).items()},
            "inputs": {n: {"label": self.label(n), "message": self.input_message(n),
                           **self.given(n)} for n in self.inputs},
            "statements": [self.statement(st) for st in igf.get("statements", [])],
            "evidence": {k: self.evidence(ev) for k, ev in (igf.get("evidence") or {}).items()},
            "warnings": [self.warning(w) for w in self.a.get("warnings", [])],
        }


def localize(assessment: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The display texts of ``assessment`` (an ``assess(...).to_dict()``) in ``lang``."""
    return Localizer(assessment, lang).display()


@router.post("/assess/card")
def assess_card(
    request: Request,
    values: Annotated[PatientValues, Body()],
    cholestatic: Literal["auto", "yes", "no"] = Query("auto"),
) -> JSONResponse:
    """For the Assess page: ``{"assessment": assess(...).to_dict(), "display": texts}`` with
    the texts in the page language (None for English: the page shows the domain's text)."""
    from igfcirrhosis.web.api_assess import run_assess, score_options

    lang = choose_language(request)
    try:
        assessment = run_assess(values, score_options(cholestatic, -0.085, True))
    except InputError as exc:
        if lang == "en":
            raise
        name = exc.field or ""
        detail = Localizer({}, lang).error_message(name, exc.value, exc.message)
        raise ProblemError(422, detail, field=exc.field or "body", value=exc.value) from None
    display = localize(assessment, lang) if lang != "en" else None
    return JSONResponse({"assessment": assessment, "display": display})


@router.post("/assess/check")
def assess_check(request: Request, values: Annotated[PatientValues, Body()]) -> JSONResponse:
    """For the Assess page's live check: ``POST /api/v1/validate``'s report and, for a
    non-English page, each field's message in the page language."""
    from igfcirrhosis.web.api_assess import validate_values

    report = validate_values(values)
    lang = choose_language(request)
    messages = None
    if lang != "en":
        loc = Localizer(report, lang)
        messages = {k: (loc.input_message(k) if f.get("flag") != "error" else
                        loc.error_message(str(f.get("name") or k), f.get("raw"),
                                          str(f.get("message") or "")))
                    for k, f in report["inputs"].items() if f.get("message")}
    return JSONResponse({"report": report, "messages": messages})
