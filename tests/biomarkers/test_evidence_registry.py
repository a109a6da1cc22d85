"""The evidence registry: loads, validates, and fails loudly on malformed files."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from igfcirrhosis.domain.evidence import (
    ALLOWED_VERIFICATION,
    EvidenceError,
    load_registry,
)


def test_registry_loads_with_unique_ids() -> None:
    reg = load_registry()
    assert len(reg) >= 30
    assert len(set(reg.ids)) == len(reg)
    assert load_registry() is reg  # cached


def test_every_entry_in_the_file_is_validated() -> None:
    raw = tomllib.loads(
        resources.files("igfcirrhosis").joinpath("data/evidence.toml").read_text("utf-8")
    )
    reg = load_registry()
    assert [e["id"] for e in raw["entry"]] == list(reg.ids)
    for entry in reg:
        assert entry.verification in ALLOWED_VERIFICATION
        if entry.cutoff is not None:
            assert entry.direction in ("below", "above")
            assert entry.boundary in ("exclusive", "inclusive")
            assert entry.unit
        else:
            assert entry.direction == "none"


def test_sections_3_and_4_and_clinical_notes_are_covered() -> None:
    reg = load_registry()
    sections = {e.section for e in reg}
    assert {"clinical", "hcc", "ascites", "treatment", "outlook"} <= sections
    cutoffs = {(e.analyte, e.cutoff) for e in reg if e.cutoff is not None}
    for expected in [
        ("igf1", 13.0),
        ("igf1", 30.0),
        ("igf2", 200.0),
        ("igfbp3", 6.0),
        ("igfbp3", 1.67),
        ("igfbp3", 0.86),
        ("igf1", 309.4),
    ]:
        assert expected in cutoffs


def test_known_traps_are_recorded() -> None:
    reg = load_registry()
    wu = reg.get("wu2004-igfbp3-6")
    assert wu.verification == "unit-ambiguous"
    assert wu.unit == "mg/L" and wu.unit_as_printed == "ng/mL"
    ascites = reg.get("abdelrazik2016-igf1-309.4")
    assert ascites.direction == "above"  # IGF-I is HIGHER in malignant ascites
    combined = reg.get("review-igf1-crp-combined-malignant-ascites")
    assert combined.verification == "as-quoted-by-review"
    assert "96.2%" in combined.effect and "NOT in the original abstract" in combined.notes
    colombo = reg.get("colombo2017-igf1-13")
    assert "94.3%" in colombo.effect and "63.2%" in colombo.effect
    assert colombo.pmid == "27775431"


def test_get_for_analyte_search_and_to_dict() -> None:
    reg = load_registry()
    with pytest.raises(KeyError, match="no-such-id"):
        reg.get("no-such-id")
    assert all(e.analyte == "als" for e in reg.for_analyte("als"))
    assert reg.for_analyte("als")
    hits = reg.search("itraq")
    assert any(e.id == "review-als-autoimmune-cirrhosis" for e in hits)
    assert reg.search("MECASERMIN") == reg.search("mecasermin")
    d = reg.get("colombo2017-igf1-13").to_dict()
    assert d["cutoff"] == 13.0 and d["id"] == "colombo2017-igf1-13"


def test_colombo_boundary_13_is_not_on_the_risk_side() -> None:
    """Colombo 2017 compares IGF-I < 13 with >= 13 ng/mL: 12.9 is at risk, 13.0 is not."""
    e = load_registry().get("colombo2017-igf1-13")
    assert e.on_risk_side([12.9, 13.0, 13.1]).tolist() == [True, False, False]


def test_inclusive_above_boundary() -> None:
    e = load_registry().get("abdelrazik2016-igf1-309.4")
    assert e.on_risk_side([309.3, 309.4, 400.0]).tolist() == [False, True, True]


GOOD = """[[entry]]
id = "x2020-igf1-10"
section = "clinical"
analyte = "igf1"
cutoff = 10.0
unit = "ng/mL"
direction = "below"
boundary = "exclusive"
outcome = "o"
effect = "e"
population = ""
population_short = ""
assay = ""
citation = "X et al. 2020"
review_ref = ""
source = ""
verification = "verified-abstract"
notes = ""
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "ev.toml"
    p.write_text(text)
    return p


def test_custom_file_loads(tmp_path: Path) -> None:
    reg = load_registry(_write(tmp_path, GOOD))
    assert reg.ids == ("x2020-igf1-10",)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (GOOD + GOOD, "duplicate evidence id 'x2020-igf1-10'"),
        (
            GOOD.replace('verification = "verified-abstract"', 'verification = "maybe"'),
            r"x2020-igf1-10.*verification 'maybe'",
        ),
        (GOOD.replace('effect = "e"\n', ""), r"x2020-igf1-10.*missing required key 'effect'"),
        (GOOD.replace('direction = "below"', 'direction = "none"'), "x2020-igf1-10.*direction"),
        (GOOD.replace('boundary = "exclusive"\n', ""), "x2020-igf1-10.*boundary"),
        (GOOD.replace("cutoff = 10.0", 'cutoff = "10"'), "x2020-igf1-10.*cutoff must be a number"),
        (GOOD.replace('analyte = "igf1"', 'analyte = "igf9"'), "x2020-igf1-10.*analyte 'igf9'"),
        (GOOD.replace('notes = ""', 'notes = ""\ncolour = "red"'), "unknown key.*colour"),
        ("title = 'no entries'\n", "non-empty list"),
    ],
)
def test_malformed_files_name_the_entry(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(EvidenceError, match=match):
        load_registry(_write(tmp_path, text))
