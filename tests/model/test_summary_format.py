"""How trial results are printed (CLI table and web page share these)."""

from __future__ import annotations

import pytest

from igfcirrhosis.model.summary import TRIAL_COLUMNS, short, trial_rows


@pytest.mark.parametrize(("x", "decimals", "text"), [
    (1304.4, None, "1304"), (0.62295, None, "0.623"), (42.39, None, "42.4"), (0.0, None, "0"),
    (-0.00001, 1, "0.0"), (3.7e-5, 1, "0.0"), (-4.44, 1, "-4.4"), (133.6, 0, "134"),
])
def test_short_numbers(x: float, decimals: int | None, text: str) -> None:
    assert short(x, decimals) == text


def test_trial_rows_give_median_and_percentiles_per_arm() -> None:
    def st(m: float, lo: float, hi: float) -> dict[str, float]:
        return {"median": m, "p05": lo, "p95": hi}

    arm = {"name": "A", "n_failed": 1,
           "fraction_free_igf1_above_threshold": {"value": 0.25, "unit": "1"},
           "statistics": {"free_igf1_peak": st(18.9, 12.27, 37.96),
                          "igf1_last_day": st(265.9, 200.6, 407.3),
                          "igf1_restoration": st(1.3366, 1.005, 2.348),
                          "gh_last_day": st(1.764, 0.623, 3.884),
                          "ecm_change": st(-0.0442, -0.0529, -0.0368)}}
    empty = {**arm, "name": "B", "fraction_free_igf1_above_threshold": {"value": None},
             "statistics": {k: {"median": None} for k in arm["statistics"]}}
    rows = trial_rows({"n_patients": 5, "arms": [arm, empty]})
    assert rows[0] == ["A", "25% (1/4)", "18.9 [12.3, 38.0]", "266 [201, 407]", "134 [100, 235]",
                       "1.76 [0.623, 3.88]", "-4.4 [-5.3, -3.7]", "1"]
    assert rows[1][1:] == ["n/a"] * 6 + ["1"]
    assert len(rows[0]) == 1 + len(TRIAL_COLUMNS)
