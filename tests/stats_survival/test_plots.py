"""Plots are checked structurally on the Agg backend: lines, labels, risk-table numbers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from igfcirrhosis.stats._survplot import format_p  # noqa: E402
from igfcirrhosis.stats.competing import CumulativeIncidence  # noqa: E402
from igfcirrhosis.stats.cox import CoxPH  # noqa: E402
from igfcirrhosis.stats.survival import KaplanMeier  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures() -> None:
    yield
    plt.close("all")


def test_km_plot_structure(pbc_data: pd.DataFrame) -> None:
    km = KaplanMeier().fit(pbc_data, "time", "death", group_col="high_bili")
    ax = km.plot(risk_table_times=[0, 1000, 2000, 3000, 4000])
    curves = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
    assert [ln.get_label() for ln in curves] == ["high_bili=False", "high_bili=True"]
    assert all(ln.get_drawstyle() == "steps-post" for ln in curves)
    # one CI band per group
    assert len(ax.collections) == 2
    # censor ticks: '+' markers at censored times of each group
    ticks = [ln for ln in ax.get_lines() if ln.get_label() == "_censored"]
    n_cens = [int((c.n_censor > 0).sum()) for c in km.curves_.values()]
    assert [len(ln.get_xdata()) for ln in ticks] == n_cens
    assert all(ln.get_marker() == "+" for ln in ticks)
    # median line only for the group whose curve reaches 0.5 (high bilirubin: 1413 days)
    medians = [ln for ln in ax.get_lines() if ln.get_label() == "_median"]
    assert len(medians) == 1 and list(medians[0].get_xdata()) == [0, 1413.0, 1413.0]
    p_text = [t.get_text() for t in ax.texts if t.get_gid() == "p-value"]
    assert p_text == ["Log-rank p < 0.0001"]
    assert ax.get_ylabel() == "Survival probability" and ax.get_xlabel() == "Time (days)"
    tab_ax = next(a for a in ax.figure.axes if a.get_label() == "risk table")
    numbers = [t.get_text() for t in tab_ax.texts]
    expected = km.risk_table([0, 1000, 2000, 3000, 4000])["n_risk"].astype(str).tolist()
    assert numbers == expected
    # R: summary(survfit(Surv(time, status == 2) ~ I(bili > 2), pbc),
    #            times = c(0, 1000, 2000, 3000, 4000))$n.risk
    assert numbers == ["256", "234", "145", "63", "22", "162", "94", "33", "13", "2"]


def test_km_plot_on_given_axes_without_extras(pbc_data: pd.DataFrame) -> None:
    _, ax = plt.subplots()
    km = KaplanMeier().fit(pbc_data, "time", "death")
    out = km.plot(ax=ax, conf_int=False, risk_table=False, censor_ticks=False)
    assert out is ax
    assert len(ax.collections) == 0
    assert len(ax.figure.axes) == 1
    assert [ln.get_label() for ln in ax.get_lines()] == ["all", "_median"]


def test_forest_plot(pbc_randomised: pd.DataFrame) -> None:
    mayo = ["age", "log_bili", "log_albumin", "log_protime", "edema"]
    cph = CoxPH().fit(pbc_randomised, "time", "death", mayo)
    ax = cph.plot()
    assert ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.get_yticklabels()] == mayo
    assert len(ax.texts) == 5
    assert ax.texts[1].get_text().startswith(f"{cph.hazard_ratios_['log_bili']:.2f} (")


def test_cuminc_plot(pbc_data: pd.DataFrame) -> None:
    ci = CumulativeIncidence().fit(pbc_data, "time", "status")
    ax = ci.plot()
    assert [ln.get_label() for ln in ax.get_lines()] == ["all, cause 1", "all, cause 2"]
    last = ax.get_lines()[1].get_ydata()[-1]
    assert last == pytest.approx(ci.curves_[("all", 2.0)].estimate[-1])


@pytest.mark.parametrize(
    ("p", "text"), [(0.04321, "p = 0.043"), (1e-7, "p < 0.0001"), (np.nan, "p = NA")]
)
def test_format_p(p: float, text: str) -> None:
    assert format_p(p) == text
