"""What the pages show besides API data: form layout, strings for the page scripts, the units
assumed, and the model's species for the IGF-system diagram. Strings are marked with ``N_``
and translated where they are shown."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from igfcirrhosis.web.i18n import N_

FORM_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Patient"), ("age", "sex", "etiology")),
    (N_("Liver function"), ("bilirubin", "albumin", "inr", "prothrombin_time_prolongation",
                            "creatinine", "sodium", "dialysis")),
    (N_("Clinical findings"), ("ascites", "encephalopathy")),
    (N_("IGF system"), ("igf1", "igf2", "igfbp3", "als", "gh")),
    (N_("Other (Mayo PBC score, markers)"), ("prothrombin_time", "edema", "crp", "afp", "alt",
                                             "ast", "platelets", "spleen_length", "gi_bleeding",
                                             "hcc", "vascular_invasion", "malignant_ascites")),
)

UNITS_ASSUMED = N_(
    "Units assumed when none is given: bilirubin mg/dL, albumin g/dL, creatinine mg/dL, "
    "sodium mmol/L, IGF-I and IGF-II ng/mL, IGFBP-3 mg/L, ALS nmol/L, GH ng/mL, CRP mg/L, "
    "platelets 10^9/L, age in years. The unit used for every value is shown with the result.")

#: Strings the page scripts show (translated per request, handed over as a JSON data block).
JS_STRINGS: dict[str, str] = {
    "points": N_("points"), "class": N_("class"), "grade": N_("grade"), "value": N_("value"),
    "component": N_("component"), "input": N_("input"), "not_computed": N_("not computed"),
    "needs": N_("needs"), "scores": N_("Scores"), "igf": N_("IGF interpretation"),
    "evidence": N_("Evidence"), "population": N_("Population"), "effect": N_("Effect"),
    "source": N_("Source"), "warnings": N_("Warnings"), "inputs": N_("Inputs as used"),
    "given": N_("given"), "unit_used": N_("unit used"), "assumed": N_("unit assumed"),
    "si": N_("SI"), "conventional": N_("conventional"), "applies": N_("applies"),
    "does_not_apply": N_("does not apply"), "saved": N_("Saved. History of this patient:"),
    "error": N_("Error"), "queued": N_("queued"), "running": N_("running"), "done": N_("done"),
    "failed": N_("failed"), "uploading": N_("Uploading…"), "unrounded": N_("unrounded"),
    "implausible": N_("implausible"), "ok": N_("ok"), "yes": N_("yes"), "no": N_("no"),
    "files": N_("Files"), "research_use": N_("For research and clinical decision support "
                                             "only. Not a medical device; every output must "
                                             "be interpreted by a qualified clinician."),
}

#: Component names of the point scores, for the result card.
COMPONENT_LABELS = {
    "bilirubin": N_("Total bilirubin"), "albumin": N_("Serum albumin"),
    "coagulation": N_("Coagulation (INR or PT)"), "ascites": N_("Ascites"),
    "encephalopathy": N_("Hepatic encephalopathy"), "igf1": N_("IGF-I"),
    "prothrombin_time_prolongation": N_("Prothrombin time prolongation over control"),
}
JS_STRINGS.update({f"c_{k}": v for k, v in COMPONENT_LABELS.items()})

BOOL_CHOICES = ((N_("yes"), "yes"), (N_("no"), "no"))


def form_fields(si_default: bool) -> dict[str, dict[str, Any]]:
    """Per form field: label, kind, unit choices (with the default selected), choices."""
    from igfcirrhosis.domain.analytes import catalog

    out: dict[str, dict[str, Any]] = {}
    for a in catalog().values():
        field: dict[str, Any] = {"name": a.name, "label": a.label, "kind": a.kind,
                                 "units": [], "unit": None, "choices": [], "toggle": False}
        if a.is_numeric:
            units = list(a.accepted_units)
            unit = a.default_unit
            if a.has_toggle:
                field["toggle"] = True
                unit = a.si_unit if si_default else a.conventional_unit
                units = [u for u in (a.si_unit, a.conventional_unit) if u] + [
                    u for u in units if u not in (a.si_unit, a.conventional_unit)]
            field["units"] = [u for u in units if u]
            field["unit"] = unit
            if a.plausible is not None:
                field["plausible"] = f"{a.plausible.low:g}–{a.plausible.high:g} {a.default_unit}"
        elif a.kind == "bool":
            field["choices"] = list(BOOL_CHOICES)
        else:
            field["choices"] = [
                (c.label, c.code if isinstance(c.code, str) else c.label) for c in a.categories
            ]
        out[a.name] = field
    return out


_SPECIES = re.compile(r"^\s*species\s+(\w+)\s+in\s+\w+;\s*//\s*(.*)$")


@lru_cache(maxsize=1)
def model_species() -> tuple[tuple[str, str], ...]:
    """(id, description) of every species of the mechanistic model, read from its Antimony
    source; empty when the model is not part of this build."""
    from importlib import resources

    try:
        text = resources.files("igfcirrhosis").joinpath("data", "model", "igf_axis.ant") \
            .read_text("utf-8")
    except (FileNotFoundError, OSError):
        return ()
    return tuple((m.group(1), m.group(2).strip()) for line in text.splitlines()
                 if (m := _SPECIES.match(line)))

#: The analysis-plan builder's choices (keys of plan_form.BLOCKS) and their labels.
PLAN_LABELS: tuple[tuple[str, str], ...] = (
    ("table1", N_("Table 1: IGF by Child-Pugh class (trend tests)")),
    ("km_igf1", N_("Kaplan–Meier by an IGF-I cut-off")),
    ("km_child_pugh", N_("Kaplan–Meier by Child-Pugh class")),
    ("cox", N_("Cox model: IGF-I added to MELD-Na")),
    ("cutpoint", N_("Data-derived IGF-I cut-point (maximally selected rank statistics)")),
)
