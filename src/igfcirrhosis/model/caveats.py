"""What a simulation's numbers are not validated for, said next to the numbers.

Each caveat names the MODEL.md section that gives the evidence. They go into summary.json
(``caveats``), the ``igfc simulate`` output and the web job message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from igfcirrhosis.model.scenario import Phase, Scenario

#: Below these, a patient is GH- or GH-receptor-deficient for the purpose of the caveat (the
#: Child-Pugh C preset has GHR density 0.32; GHRD is 0 and adult GHD ~0.02 of the GH drive).
GHR_DEFICIENT = 0.2
GH_DRIVE_DEFICIENT = 0.3
#: Hepatic synthesis drive (liver mass x GHR density) below which IGFBP-3 is low (Child A: 0.2).
LOW_SYNTHESIS = 0.9

FIBROSIS = ("Stellate-cell and scar (ECM) outputs rest on assumed rates that no validation row "
            "checks: read their direction (set by igf_hsc_sign), not their size (MODEL.md, "
            "parameters.tsv: status UNVERIFIED).")
REPEATED_LOW_IGFBP3 = ("Repeated-dose IGF-I where IGFBP-3 is low is checked only against "
                       "7 days of dosing in GH-receptor deficiency, where the model is 10-40 % "
                       "low (MODEL.md, 'Repeated-dose checks outside the table').")
IGFBP3_ON_TREATMENT = ("IGFBP-3 rises on rhIGF-I in the model, because loaded IGFBP-3 is cleared "
                       "more slowly than free IGFBP-3; in GH-receptor deficiency it was measured "
                       "unchanged after 7 days (MODEL.md, 'IGF-II and IGFBP-3 in GH-deficient "
                       "states').")
REPEATED_GH_ACTIVE = ("Repeated rhIGF-I where GH still acts: the one cirrhosis trial "
                      "(Conchillo 2005, Child B, 4 months) is reproduced, but in healthy adults "
                      "every multi-day check is under-predicted (trough rise 89 vs 277 ng/mL; "
                      "Guler's 6-day infusion x2.9 vs x4.4). IGF-I suppresses GH, and the "
                      "model's ALS and IGFBP-3 fall with it; in Guler's subjects the ternary "
                      "complex kept its capacity (MODEL.md, 'Checks outside the table').")
RINFABATE = ("Rinfabate levels are not validated: only the timing of one dose in GH-receptor "
             "deficiency is (Tmax, half-life; Camacho-Hubner 2006). The binary complex it "
             "releases is cleared slowly when ALS is low (kcl_b, UNVERIFIED), so repeated doses "
             "accumulate (MODEL.md, 'Consequences for simulations').")
GH_DEFICIENT = ("GH- or GH-receptor-deficient state (GHR density < 0.2 or GH drive < 0.3): the "
                "model's IGF-II and IGFBP-3 are not validated there; its IGF-II is a third of the "
                "measured value (MODEL.md, 'IGF-II and IGFBP-3 in GH-deficient states').")


def _phases(scenario: Scenario) -> list[Phase]:
    out = list(scenario.regimen)
    for arm in scenario.arms:
        out.extend(arm.regimen)
    return out


def _gh_drive(scenario: Scenario) -> float:
    fitted = (scenario.fit or {}).get("parameters", {}).get("gh_drive", {}).get("estimate")
    if fitted is not None:
        return float(fitted)
    return float(scenario.extra_parameters.get("gh_drive", 1.0))


def caveats(scenario: Scenario) -> list[str]:
    """The caveats that apply to this scenario's patient and regimens (in a fixed order)."""
    phases = _phases(scenario)
    out = [FIBROSIS]
    repeated = [p for p in phases if p.product == "mecasermin"
                and p.duration_days * 24.0 > p.interval_hours]
    pt = scenario.patient
    if repeated and pt.liver_mass * pt.ghr_density < LOW_SYNTHESIS:
        out.append(REPEATED_LOW_IGFBP3)
    gh_acts = pt.ghr_density >= GHR_DEFICIENT and _gh_drive(scenario) >= GH_DRIVE_DEFICIENT
    if repeated and gh_acts:
        out.append(REPEATED_GH_ACTIVE)
    if any(p.dose_ug_per_kg > 0 for p in phases):
        out.append(IGFBP3_ON_TREATMENT)
    if any(p.product == "rinfabate" for p in phases):
        out.append(RINFABATE)
    if not gh_acts:
        out.append(GH_DEFICIENT)
    return out
