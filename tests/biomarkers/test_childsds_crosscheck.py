"""igf_sds() against an independent computation in R.

fixtures/childsds_sds.json was written by fixtures/childsds_sds.R (R 4.2.2): it reads the
childsds .rda files with R's own load(), interpolates with stats::approx(rule = 1) as
childsds::sds() does, and evaluates the LMS z and qnorm(pBCCG(y)) (formula transcribed from
gamlss.dist R/BCCG.R). This checks the Python conversion of the .rda files, the interpolation,
the age-range rule and both SDS methods.

    Rscript tests/biomarkers/fixtures/childsds_sds.R /path/to/childsds/data out.json
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from igfcirrhosis.domain.biomarkers import igf_sds, reference_table

FIXTURE = Path(__file__).parent / "fixtures" / "childsds_sds.json"
ROWS = json.loads(FIXTURE.read_text())["rows"]
# table unit -> canonical input unit of igf_sds
TO_INPUT = {
    "bidlingmaier2014-igf1": 1.0,
    "isojima2012-igf1": 1.0,
    "friedrich2014-igfbp3": 1e-3,  # ng/mL -> mg/L
    "friedrich2014-igf1-igfbp3-ratio": 1e-2,  # molar ratio x 100 -> mol/mol
}


def _same(a: float, b: float | None, tol: float) -> bool:
    if b is None:
        return math.isnan(a)
    return abs(a - b) <= tol * max(1.0, abs(b))


def test_fixture_covers_all_tables_and_out_of_range_ages() -> None:
    assert {r["table"] for r in ROWS} == set(TO_INPUT)
    assert any(r["z_lms"] is None for r in ROWS)  # e.g. 95 y, or > 77 y for Isojima
    assert len(ROWS) > 500


@pytest.mark.parametrize("table_id", sorted(TO_INPUT))
def test_lms_parameters_and_sds_match_r(table_id: str) -> None:
    tab = reference_table(table_id)
    rows = [r for r in ROWS if r["table"] == table_id]
    for r in rows:
        lam, m, s = (float(x) for x in tab.lms_at(r["age_years"], r["sex"]))
        assert _same(lam, r["L"], 1e-12) and _same(m, r["M"], 1e-12) and _same(s, r["S"], 1e-12)
        value = r["value_table_unit"] * TO_INPUT[table_id]
        args = (value, r["age_years"], r["sex"])
        z = float(igf_sds(*args, analyte=tab.analyte, table=tab))
        zb = float(igf_sds(*args, analyte=tab.analyte, table=tab, method="childsds"))
        assert _same(z, r["z_lms"], 1e-9), r
        assert _same(zb, r["z_bccg"], 1e-9), r
