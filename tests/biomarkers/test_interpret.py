"""interpret(): SDS, molar ratio and every registry cut-off, in plain language."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from igfcirrhosis.domain.biomarkers import (
    IgfInterpretation,
    igf1_igfbp3_molar_ratio,
    igf_sds,
    interpret,
    load_reference_table,
)
from igfcirrhosis.domain.evidence import load_registry

FULL = dict(igf1_ng_ml=12.0, igf2_ng_ml=150.0, igfbp3_mg_l=0.9, als_nmol_l=120.0)


def _cutoff(result: IgfInterpretation, evidence_id: str):  # type: ignore[no-untyped-def]
    hits = [s for s in result.statements if s.evidence_id == evidence_id and s.kind == "cutoff"]
    assert len(hits) == 1, evidence_id
    return hits[0]


def test_molar_ratio_is_375_times_mass_ratio_at_28_7_kda() -> None:
    # IGF-I 150 ng/mL, IGFBP-3 4 mg/L = 4000 ng/mL: mass ratio 0.0375
    # molar = 0.0375 * 28700 / 7649 = 0.140705...
    ratio = float(igf1_igfbp3_molar_ratio(150.0, 4.0))
    assert ratio == pytest.approx(0.0375 * 28700 / 7649, rel=1e-12)
    assert ratio / 0.0375 == pytest.approx(3.75, abs=0.005)
    alt = float(igf1_igfbp3_molar_ratio(150.0, 4.0, igfbp3_mw_kda=30.5))
    assert alt / 0.0375 == pytest.approx(30500 / 7649, rel=1e-12)
    with pytest.raises(ValueError, match="igfbp3_mg_l"):
        igf1_igfbp3_molar_ratio(150.0, 0.0)


def test_every_cutoff_referenced_exists_and_every_relevant_cutoff_is_used() -> None:
    reg = load_registry()
    result = interpret(**FULL, age_years=60, sex="F")
    for evidence_id in result.evidence_ids():
        assert evidence_id in reg
    used = set(result.evidence_ids())
    for analyte in ("igf1", "igf2", "igfbp3"):
        for entry in reg.cutoffs(analyte):
            assert entry.id in used, entry.id
    # ascitic-fluid and CRP cut-offs are not applied to serum IGF values
    assert "abdelrazik2016-ascitic-igf1-291.6" not in used
    assert "abdelrazik2016-crp-7.8" not in used


@pytest.mark.parametrize(("igf1", "at_risk"), [(12.9, True), (13.0, False), (13.1, False)])
def test_colombo_boundary(igf1: float, at_risk: bool) -> None:
    """'< 13 ng/mL' is the risk group in Colombo 2017, so 13.0 itself is not at risk."""
    s = _cutoff(interpret(igf1_ng_ml=igf1), "colombo2017-igf1-13")
    assert s.applies is at_risk
    assert s.value == igf1
    assert ("is below 13 ng/mL" in s.text) is at_risk
    assert "n = 103" in s.text and "63.2%" in s.text and "94.3%" in s.text


def test_malignant_ascites_cutoff_is_on_the_high_side() -> None:
    assert _cutoff(interpret(igf1_ng_ml=320.0), "abdelrazik2016-igf1-309.4").applies
    assert not _cutoff(interpret(igf1_ng_ml=12.0), "abdelrazik2016-igf1-309.4").applies


def test_igfbp3_unit_assumption_is_stated() -> None:
    s = _cutoff(interpret(igfbp3_mg_l=2.0), "wu2004-igfbp3-6")
    assert s.applies  # 2.0 mg/L < 6 mg/L
    assert "printed 'ng/mL'" in s.text and "assumes mg/L" in s.text
    assert "unit-ambiguous" in s.text
    assert s.unit == "mg/L"


def test_sds_statement_names_table_assay_and_health_caveat() -> None:
    result = interpret(igf1_ng_ml=12.0, age_years=60, sex="female")
    (s,) = [x for x in result.statements if x.kind == "sds" and x.analyte == "igf1"]
    assert s.reference_id == "bidlingmaier2014-igf1"
    assert s.value == pytest.approx(float(igf_sds(12.0, 60.0, "F")))
    assert s.applies  # far below -2 SD
    assert "IDS-iSYS" in s.text and "Assays differ" in s.text and "healthy" in s.text
    assert "bidlingmaier2014-igf1" in result.references


def test_alternative_reference_by_id() -> None:
    result = interpret(
        igf1_ng_ml=100.0, igfbp3_mg_l=3.0, age_years=40, sex="M", reference="isojima2012-igf1"
    )
    ids = {s.analyte: s.reference_id for s in result.statements if s.kind == "sds"}
    assert ids["igf1"] == "isojima2012-igf1"
    assert ids["igfbp3"] == "friedrich2014-igfbp3"


def test_ratio_and_its_sds_when_both_given() -> None:
    result = interpret(igf1_ng_ml=150.0, igfbp3_mg_l=4.0, age_years=30, sex="M")
    (r,) = [s for s in result.statements if s.kind == "ratio"]
    assert r.value == pytest.approx(float(igf1_igfbp3_molar_ratio(150.0, 4.0)))
    assert "28.7 kDa" in r.text and "30.5 kDa" in r.text
    sds = [s for s in result.statements if s.kind == "sds" and s.analyte == "igf1_igfbp3_ratio"]
    assert len(sds) == 1 and sds[0].value is not None
    assert "inferred" in sds[0].text


def test_missing_analytes_and_covariates_are_never_silent() -> None:
    result = interpret()
    missing = {s.analyte for s in result.statements if s.kind == "missing"}
    assert missing == {"igf1", "igf2", "igfbp3", "als"}
    result = interpret(igf1_ng_ml=50.0)
    missing = {s.analyte for s in result.statements if s.kind == "missing"}
    assert {"age_years", "sex", "igf2", "igfbp3", "als"} <= missing
    assert not [s for s in result.statements if s.kind == "sds"]


def test_als_has_no_validated_cutoff() -> None:
    result = interpret(als_nmol_l=120.0)
    (s,) = [x for x in result.for_analyte("als") if x.kind == "cutoff"]
    assert not s.applies
    assert "no validated cut-off" in s.text and "nmol/L" in s.text


def test_out_of_range_age_gives_null_sds_and_says_so() -> None:
    result = interpret(igf1_ng_ml=50.0, age_years=80, sex="M", reference="isojima2012-igf1")
    (s,) = [x for x in result.statements if x.kind == "sds"]
    assert s.value is None and "outside the range" in s.text and "0-77" in s.text


def test_to_dict_is_strict_json() -> None:
    for kwargs in (
        dict(**FULL, age_years=60, sex="F"),
        dict(igf1_ng_ml=50.0, age_years=99, sex="M"),  # SDS NaN -> null
        dict(),
    ):
        d = interpret(**kwargs).to_dict()  # type: ignore[arg-type]
        text = json.dumps(d, allow_nan=False)
        assert json.loads(text)["statements"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(igf1_ng_ml=-1.0), r"igf1_ng_ml: -1.0 .*ng/mL"),
        (dict(igfbp3_mg_l=float("nan")), r"igfbp3_mg_l: nan .*mg/L"),
        (dict(igf1_ng_ml="12"), r"igf1_ng_ml: '12' is not a number"),
        (dict(igf1_ng_ml=12.0, age_years=-3), "age_years"),
        (dict(igf1_ng_ml=12.0, age_years=40, sex="x"), "sex: 'x'"),
    ],
)
def test_bad_input_names_field_value_and_unit(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        interpret(**kwargs)  # type: ignore[arg-type]


def test_user_igf2_table_gives_igf2_sds(tmp_path: Path) -> None:
    (tmp_path / "igf2.csv").write_text("age_years,sex,L,M,S\n20,M,0,600,0.2\n80,M,0,600,0.2\n")
    (tmp_path / "igf2.toml").write_text(
        'id = "mylab-igf2"\nanalyte = "igf2"\nunit = "ng/mL"\nassay = "x"\n'
        'population = "x"\nsource = "x"\nlicence = "own data"\nderived = "no"\n'
    )
    tab = load_reference_table(tmp_path / "igf2.csv")
    result = interpret(igf2_ng_ml=300.0, age_years=50, sex="M", reference={"igf2": tab})
    (s,) = [x for x in result.statements if x.kind == "sds" and x.analyte == "igf2"]
    assert s.reference_id == "mylab-igf2"
    assert s.value == pytest.approx(math.log(0.5) / 0.2)  # ln(300/600)/0.2
    assert _cutoff(result, "wu2004-igf2-200").applies is False


def test_reference_mapping_with_unknown_analyte_is_rejected() -> None:
    with pytest.raises(ValueError, match="reference: no SDS for analyte"):
        interpret(igf1_ng_ml=50.0, reference={"als": "bidlingmaier2014-igf1"})


def test_unknown_sds_method_is_rejected() -> None:
    with pytest.raises(ValueError, match="method"):
        igf_sds(50.0, 40.0, "M", method="bccg")  # type: ignore[arg-type]


def test_to_dict_carries_the_cited_evidence_entries() -> None:
    result = interpret(igf1_ng_ml=12.0, age_years=95, sex="M")
    d = result.to_dict()
    assert set(d["evidence"]) == set(result.evidence_ids())  # type: ignore[arg-type]
    colombo = d["evidence"]["colombo2017-igf1-13"]  # type: ignore[index]
    assert colombo["pmid"] == "27775431" and colombo["verification"] == "verified-abstract"
    assert "bidlingmaier2014-igf1" in d["references"]  # type: ignore[operator]
