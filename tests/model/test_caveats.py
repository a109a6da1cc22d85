"""Caveats: each applies exactly when its condition holds, and each names a MODEL.md section
that exists (so the pointer cannot rot)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from igfcirrhosis.model import caveats as cv
from igfcirrhosis.model.parameters import data_dir
from igfcirrhosis.model.scenario import parse_scenario


def scenario(patient: dict[str, Any], regimen: list[dict[str, Any]] | None = None,
             arms: list[dict[str, Any]] | None = None) -> Any:
    data: dict[str, Any] = {"name": "t", "patient": patient, "simulation": {"days": 14}}
    if regimen:
        data["regimen"] = regimen
    if arms:
        data["population"] = {"n": 2, "arms": arms}
    return parse_scenario(data)


BID = [{"product": "mecasermin", "dose_ug_per_kg": 80, "interval_hours": 12}]


def test_untreated_healthy_patient_gets_only_the_fibrosis_caveat() -> None:
    assert cv.caveats(scenario({"state": "healthy"})) == [cv.FIBROSIS]


def test_repeated_mecasermin_caveat_only_when_igfbp3_is_low() -> None:
    assert cv.REPEATED_LOW_IGFBP3 in cv.caveats(scenario({"state": "child_pugh_b"}, BID))
    assert cv.REPEATED_LOW_IGFBP3 not in cv.caveats(scenario({"state": "healthy"}, BID))
    once = [{"product": "mecasermin", "dose_ug_per_kg": 80, "interval_hours": 12,
             "duration_days": 0.25}]
    assert cv.REPEATED_LOW_IGFBP3 not in cv.caveats(scenario({"state": "child_pugh_b"}, once))


def test_rinfabate_in_any_arm_gets_its_caveat() -> None:
    arms = [{"name": "untreated"},
            {"name": "r", "regimen": [{"product": "rinfabate", "dose_ug_per_kg": 100,
                                       "interval_hours": 24}]}]
    assert cv.RINFABATE in cv.caveats(scenario({"state": "healthy"}, arms=arms))
    assert cv.RINFABATE not in cv.caveats(scenario({"state": "healthy"}, BID))


def test_gh_receptor_or_gh_deficiency_gets_its_caveat() -> None:
    assert cv.GH_DEFICIENT in cv.caveats(scenario({"state": "healthy", "ghr_density": 0.0}))
    assert cv.GH_DEFICIENT not in cv.caveats(scenario({"state": "child_pugh_c"}))
    fitted = replace(scenario({"state": "healthy"}),
                     fit={"parameters": {"gh_drive": {"estimate": 0.1}}})
    assert cv.GH_DEFICIENT in cv.caveats(fitted)


def test_any_treatment_gets_the_igfbp3_caveat() -> None:
    assert cv.IGFBP3_ON_TREATMENT in cv.caveats(scenario({"state": "healthy"}, BID))
    assert cv.IGFBP3_ON_TREATMENT not in cv.caveats(scenario({"state": "child_pugh_b"}))


def test_repeated_mecasermin_where_gh_acts_gets_the_gh_suppression_caveat() -> None:
    assert cv.REPEATED_GH_ACTIVE in cv.caveats(scenario({"state": "healthy"}, BID))
    assert cv.REPEATED_GH_ACTIVE in cv.caveats(scenario({"state": "child_pugh_c"}, BID))
    assert cv.REPEATED_GH_ACTIVE not in cv.caveats(scenario({"state": "healthy"}))
    assert cv.REPEATED_GH_ACTIVE not in cv.caveats(
        scenario({"state": "healthy", "ghr_density": 0.0}, BID))
    once = [{"product": "mecasermin", "dose_ug_per_kg": 80, "interval_hours": 12,
             "duration_days": 0.25}]
    assert cv.REPEATED_GH_ACTIVE not in cv.caveats(scenario({"state": "healthy"}, once))


def test_the_gh_suppression_caveat_quotes_the_checks_the_code_computes() -> None:
    from igfcirrhosis.model.checks import checks_table

    sim = {r["id"]: r["simulated"] for r in checks_table()}
    assert f"trough rise {sim['healthy_qd_trough_rise']:.0f} vs 277" in cv.REPEATED_GH_ACTIVE
    assert f"x{sim['guler_infusion_igf1_x']:.1f} vs x4.4" in cv.REPEATED_GH_ACTIVE


@pytest.mark.parametrize("text", [cv.FIBROSIS, cv.REPEATED_LOW_IGFBP3, cv.RINFABATE,
                                  cv.GH_DEFICIENT, cv.IGFBP3_ON_TREATMENT,
                                  cv.REPEATED_GH_ACTIVE])
def test_every_caveat_names_a_model_md_section_that_exists(text: str) -> None:
    headings = {ln.lstrip("#").strip() for ln in
                (data_dir() / "MODEL.md").read_text("utf-8").splitlines() if ln.startswith("#")}
    named = re.findall(r"MODEL\.md, '([^']+)'", text)
    assert "MODEL.md" in text
    assert named or text == cv.FIBROSIS
    for section in named:
        assert any(h.startswith(section) for h in headings), section
