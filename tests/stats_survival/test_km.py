"""Kaplan-Meier against R's survfit on the Mayo PBC data (survival 3.5.3).

R code (all from tests/fixtures/r/survival.R)::

    library(survival)
    for (ct in c("log", "log-log", "plain")) {
      f1 <- survfit(Surv(time, status == 2) ~ 1, data = pbc, conf.type = ct)
      f2 <- survfit(Surv(time, status == 2) ~ I(bili > 2), data = pbc, conf.type = ct)
      # f$time, f$n.risk, f$n.event, f$n.censor, f$surv, f$std.err, f$lower, f$upper
      quantile(f1, probs = 0.5)   # median and its CI, as print(f1)
    }
    summary(f1, times = c(90, 365, 1825, 3650), extend = TRUE)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.stats.survival import KaplanMeier, kaplan_meier, km_at, km_quantile, risk_table

from .rcompare import assert_close_to_r, r_array

CASES = [
    ("km_overall", None, "all"),
    ("km_bili_false", "high_bili", False),
    ("km_bili_true", "high_bili", True),
]
CONF_TYPES = ["log", "log-log", "plain"]


@pytest.mark.parametrize("conf_type", CONF_TYPES)
@pytest.mark.parametrize(("key", "group_col", "label"), CASES, ids=[c[0] for c in CASES])
def test_curve_matches_survfit(
    pbc_data: pd.DataFrame,
    r_ref: dict[str, Any],
    key: str,
    group_col: str | None,
    label: object,
    conf_type: str,
) -> None:
    """Every time point: counts exactly; surv, std.err (of log S), lower, upper to 1e-6."""
    km = KaplanMeier(conf_type=conf_type).fit(pbc_data, "time", "death", group_col=group_col)
    c, r = km.curves_[label], r_ref[key]
    for ours, theirs in [
        ("time", "time"),
        ("n_risk", "n_risk"),
        ("n_event", "n_event"),
        ("n_censor", "n_censor"),
    ]:
        np.testing.assert_array_equal(getattr(c, ours), r_array(r[theirs]))
    assert_close_to_r(c.surv, r["surv"], what="surv")
    assert_close_to_r(c.se_log_surv, r["std_err"], what="std.err")
    assert_close_to_r(c.lower, r[f"lower_{conf_type}"], what="lower")
    assert_close_to_r(c.upper, r[f"upper_{conf_type}"], what="upper")


@pytest.mark.parametrize("conf_type", CONF_TYPES)
@pytest.mark.parametrize(("key", "group_col", "label"), CASES, ids=[c[0] for c in CASES])
def test_median_matches_quantile_survfit(
    pbc_data: pd.DataFrame,
    r_ref: dict[str, Any],
    key: str,
    group_col: str | None,
    label: object,
    conf_type: str,
) -> None:
    """Median and CI exactly (NA in R -> NaN here): e.g. overall log 3395 (3090, 3853)."""
    km = KaplanMeier(conf_type=conf_type).fit(pbc_data, "time", "death", group_col=group_col)
    row = km.median_.loc[label]
    r = r_ref[key][f"median_{conf_type}"]
    np.testing.assert_array_equal(
        [row["median"], row["median_lower"], row["median_upper"]],
        r_array([r["median"], r["lower"], r["upper"]]),
    )


@pytest.mark.parametrize(("key", "group_col", "label"), CASES, ids=[c[0] for c in CASES])
def test_horizons_match_summary_times(
    pbc_data: pd.DataFrame,
    r_ref: dict[str, Any],
    key: str,
    group_col: str | None,
    label: object,
) -> None:
    """summary(fit, times = c(90, 365, 1825, 3650)): surv, std.err (of S), limits, counts."""
    km = KaplanMeier().fit(pbc_data, "time", "death", group_col=group_col)
    h = km.survival_at([90, 365, 1825, 3650]).loc[label]
    r = r_ref[key]["horizons"]
    for col in ["n_risk", "n_event", "n_censor"]:
        np.testing.assert_array_equal(h[col].to_numpy(), r_array(r[col]))
    for col in ["surv", "std_err", "lower", "upper"]:
        assert_close_to_r(h[col].to_numpy(), r[col], what=col)


def test_ninety_day_survival_overall(pbc_data: pd.DataFrame) -> None:
    """R: summary(survfit(Surv(time, status == 2) ~ 1, pbc), times = 90)$surv = 0.985645933."""
    tab = km_at(kaplan_meier(pbc_data["time"], pbc_data["death"]), [90])
    assert tab["surv"].iloc[0] == pytest.approx(0.985645933014354, rel=1e-12)


def test_risk_table_counts_are_cumulative(pbc_data: pd.DataFrame) -> None:
    """At-risk from summary(times=) (412 at 90 d); events cumulate 6, 30, 115, 156."""
    curve = kaplan_meier(pbc_data["time"], pbc_data["death"])
    rt = risk_table(curve, [90, 365, 1825, 3650])
    assert rt["n_risk"].tolist() == [412, 388, 197, 35]
    assert rt["cum_events"].tolist() == [6, 30, 115, 156]
    assert rt["cum_censored"].tolist() == [0, 0, 106, 227]
    at_zero = risk_table(curve, [0.0])
    assert at_zero["n_risk"].tolist() == [418]


def test_median_on_a_flat_stretch_takes_the_midpoint() -> None:
    """R: survfit(Surv(c(1, 2, 3, 4), c(1, 1, 1, 1)) ~ 1) prints median 2.5 (S = 0.5 on [2, 3))."""
    med, _, _ = km_quantile(kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1]))
    assert med == 2.5


def test_survival_is_monotone_and_bounded(pbc_data: pd.DataFrame) -> None:
    c = kaplan_meier(pbc_data["time"], pbc_data["death"], conf_type="log-log")
    assert np.all(np.diff(c.surv) <= 0)
    assert np.all((c.lower <= c.surv + 1e-15) & (c.surv <= c.upper + 1e-15))
    assert np.all((c.lower >= 0) & (c.upper <= 1))


def test_to_dict_is_json_ready(pbc_data: pd.DataFrame) -> None:
    import json

    km = KaplanMeier().fit(pbc_data, "time", "death", group_col="high_bili")
    d = km.to_dict(times=[90], risk_table_times=[0, 1000])
    text = json.dumps(d, allow_nan=False)
    assert '"median_survival"' in text
    low = d["groups"][0]
    assert low["median_survival"]["value"] is None  # R: NA (never reaches 0.5)
    assert low["median_survival"]["lower"] == 4191
    assert d["logrank"]["df"] == 1
    assert [r["n_risk"] for r in d["groups"][1]["risk_table"]] == [162, 94]  # R: summary(times=)


@pytest.mark.parametrize(
    ("conf_type", "lower", "upper", "median_ci"),
    [
        ("log", [0.5161258, 0.2933164, 0.1367218, np.nan], [1, 1, 1, np.nan], (2, np.nan)),
        (
            "log-log",
            [0.20380926, 0.12573018, 0.05197575, np.nan],
            [0.9691798, 0.8817564, 0.7528158, np.nan],
            (1, np.nan),
        ),
        ("plain", [0.4493910, 0.1705934, 0.0, np.nan], [1, 1, 0.8294066, np.nan], None),
    ],
)
def test_curve_that_reaches_zero(
    conf_type: str, lower: list[float], upper: list[float], median_ci: tuple[float, float] | None
) -> None:
    """The last subject dies: S = 0, infinite std.err, NA limits. R::

    f <- survfit(Surv(c(1, 2, 3, 3, 5), c(1, 1, 1, 0, 1)) ~ 1, conf.type = conf_type)
    f$std.err   # 0.2236068 0.3651484 0.5477226 Inf
    f$lower; f$upper; quantile(f, 0.5)   # median 3; log CI (2, NA); log-log (1, NA)
    """
    c = kaplan_meier([1, 2, 3, 3, 5], [1, 1, 1, 0, 1], conf_type=conf_type)  # type: ignore[arg-type]
    np.testing.assert_allclose(c.se_log_surv, [0.2236068, 0.3651484, 0.5477226, np.inf], rtol=1e-6)
    np.testing.assert_allclose(c.lower, lower, rtol=1e-6)
    np.testing.assert_allclose(c.upper, upper, rtol=1e-6)
    med, lo, hi = km_quantile(c)
    assert med == 3
    if median_ci is not None:
        np.testing.assert_array_equal([lo, hi], median_ci)


def test_other_quantiles(pbc_data: pd.DataFrame) -> None:
    """R: quantile(survfit(Surv(time, status == 2) ~ 1, data = pbc), c(0, .1, .25, .5, .75))
    quantile 0 611 1462 3395 NA; lower 0 400 1191 3090 NA; upper 0 785 1827 3853 NA."""
    curve = kaplan_meier(pbc_data["time"], pbc_data["death"])
    got = np.array([km_quantile(curve, p) for p in (0, 0.1, 0.25, 0.5, 0.75)])
    np.testing.assert_array_equal(got[:, 0], [0, 611, 1462, 3395, np.nan])
    np.testing.assert_array_equal(got[:, 1], [0, 400, 1191, 3090, np.nan])
    np.testing.assert_array_equal(got[:, 2], [0, 785, 1827, 3853, np.nan])
