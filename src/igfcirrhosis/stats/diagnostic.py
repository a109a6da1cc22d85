"""Diagnostic accuracy at a cut-off, and combined markers, with exact (Clopper-Pearson) CIs.

Sensitivity, specificity, PPV and NPV are binomial proportions; their intervals are the exact
Clopper-Pearson intervals (R's ``binom.test``; statsmodels ``proportion_confint(method="beta")``).
PPV and NPV are those *of the sample*: they depend on its prevalence.

**Positive rule.** Every marker rule states its comparison: ``positive_if`` is one of ``">="``,
``">"``, ``"<="``, ``"<"`` (e.g. serum IGF-I ``>= 309.4`` ng/mL for malignant ascites,
Abdel-Razik 2016: higher serum IGF-I in malignant than in cirrhotic ascites; albumin ``<= 3.5``).

**Combined markers** (:class:`CombinedRule`): ``"either"`` calls a patient positive when any
rule is positive (raises sensitivity), ``"both"`` when all are (raises specificity).
:class:`LogisticCombination` fits ``logit P(case) = b0 + sum b_k marker_k`` (statsmodels GLM) and
calls positive when the fitted probability >= ``threshold`` (0.5 by default, or the Youden
cut-point of the fitted probabilities). Its accuracy is *apparent* (estimated on the data the
model was fitted to) and therefore optimistic; validate on other patients.

Rows with a missing marker or outcome are excluded and counted (``n_missing_``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from statsmodels.stats.proportion import proportion_confint

from igfcirrhosis.stats.association import LogisticRegression
from igfcirrhosis.stats.roc import (
    DiagnosticDataError,
    auc_delong,
    binary_column,
    numeric_column,
    roc_curve,
)

__all__ = [
    "Accuracy",
    "CombinedRule",
    "DiagnosticTest",
    "LogisticCombination",
    "MarkerRule",
    "Proportion",
    "accuracy_from_counts",
    "apply_rule",
    "exact_ci",
]

FloatArray = NDArray[np.float64]
PositiveIf = Literal[">=", ">", "<=", "<"]


@dataclass(frozen=True)
class Proportion:
    """x / n with its exact Clopper-Pearson interval (NaN when n = 0)."""

    x: int
    n: int
    estimate: float
    lower: float
    upper: float

    def to_dict(self) -> dict[str, Any]:
        def f(v: float) -> float | None:
            return None if not np.isfinite(v) else float(v)

        return {
            "x": self.x,
            "n": self.n,
            "estimate": f(self.estimate),
            "lower": f(self.lower),
            "upper": f(self.upper),
        }


def _finite_or_none(v: float) -> float | None:
    return None if not np.isfinite(v) else float(v)


def exact_ci(x: int, n: int, conf_level: float = 0.95) -> Proportion:
    """Clopper-Pearson interval of x successes in n trials (as R's ``binom.test``)."""
    if n < 0 or x < 0 or x > n:
        raise DiagnosticDataError(f"need 0 <= x <= n, got x = {x}, n = {n}")
    if n == 0:
        nan = float("nan")
        return Proportion(0, 0, nan, nan, nan)
    lo, hi = proportion_confint(x, n, alpha=1 - conf_level, method="beta")
    return Proportion(int(x), int(n), x / n, float(lo), float(hi))


@dataclass(frozen=True)
class Accuracy:
    """The 2x2 table of a test against the reference standard, and its four proportions."""

    tp: int
    fp: int
    fn: int
    tn: int
    sensitivity: Proportion
    specificity: Proportion
    ppv: Proportion
    npv: Proportion
    conf_level: float

    def summary(self) -> pd.DataFrame:
        rows = {k: getattr(self, k) for k in ("sensitivity", "specificity", "ppv", "npv")}
        return pd.DataFrame(
            {
                "x": [p.x for p in rows.values()],
                "n": [p.n for p in rows.values()],
                "estimate": [p.estimate for p in rows.values()],
                "lower": [p.lower for p in rows.values()],
                "upper": [p.upper for p in rows.values()],
            },
            index=list(rows),
        )

    def plot(self, ax: Any = None, offset: float = 0.0, **kwargs: Any) -> Any:
        """The four proportions with their exact CIs (one row each)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        s = self.summary()
        ypos = np.arange(len(s))[::-1] + offset
        ax.errorbar(s["estimate"], ypos, xerr=[s["estimate"] - s["lower"],
                    s["upper"] - s["estimate"]], fmt="o", **kwargs)  # fmt: skip
        ax.set_yticks(np.arange(len(s))[::-1], list(s.index))
        ax.set_xlim(0, 1)
        ax.set_xlabel(f"proportion ({100 * self.conf_level:g}% Clopper-Pearson CI)")
        return ax

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn},
            "sensitivity": self.sensitivity.to_dict(),
            "specificity": self.specificity.to_dict(),
            "ppv": self.ppv.to_dict(),
            "npv": self.npv.to_dict(),
            "conf_level": self.conf_level,
            "ci_method": "Clopper-Pearson exact",
        }


def accuracy_from_counts(tp: int, fp: int, fn: int, tn: int, conf_level: float = 0.95) -> Accuracy:
    """Sensitivity tp/(tp+fn), specificity tn/(tn+fp), PPV tp/(tp+fp), NPV tn/(tn+fn)."""
    return Accuracy(
        tp, fp, fn, tn,
        exact_ci(tp, tp + fn, conf_level),
        exact_ci(tn, tn + fp, conf_level),
        exact_ci(tp, tp + fp, conf_level),
        exact_ci(tn, tn + fn, conf_level),
        conf_level,
    )  # fmt: skip


def apply_rule(marker: ArrayLike, cutoff: float, positive_if: PositiveIf) -> FloatArray:
    """1.0 where the marker satisfies the rule, 0.0 where not, NaN where it is missing."""
    x = np.asarray(marker, dtype=np.float64)
    ops = {">=": np.greater_equal, ">": np.greater, "<=": np.less_equal, "<": np.less}
    if positive_if not in ops:
        raise DiagnosticDataError(f"positive_if must be one of {list(ops)}, not {positive_if!r}")
    out = ops[positive_if](x, cutoff).astype(np.float64)
    out[np.isnan(x)] = np.nan
    return out


def _accuracy(test: FloatArray, y: FloatArray, conf_level: float) -> tuple[Accuracy, int]:
    ok = ~(np.isnan(test) | np.isnan(y))
    t, yy = test[ok] == 1, y[ok] == 1
    acc = accuracy_from_counts(
        int(np.sum(t & yy)),
        int(np.sum(t & ~yy)),
        int(np.sum(~t & yy)),
        int(np.sum(~t & ~yy)),
        conf_level,
    )
    return acc, int((~ok).sum())


@dataclass(frozen=True)
class MarkerRule:
    """``column positive_if cutoff``, e.g. ``MarkerRule("igf1", 309.4, ">=", "ng/mL")``."""

    column: str
    cutoff: float
    positive_if: PositiveIf
    unit: str | None = None

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.column} {self.positive_if} {self.cutoff:g}{unit}"


class DiagnosticTest:
    """Accuracy of one marker at one cut-off against a 0/1 reference standard."""

    def fit(
        self,
        df: pd.DataFrame,
        rule: MarkerRule,
        outcome_col: str,
        conf_level: float = 0.95,
    ) -> DiagnosticTest:
        test = apply_rule(numeric_column(df, rule.column), rule.cutoff, rule.positive_if)
        y = binary_column(df, outcome_col)
        self.rule = rule
        self.accuracy_, self.n_missing_ = _accuracy(test, y, conf_level)
        return self

    @property
    def summary(self) -> pd.DataFrame:
        return self.accuracy_.summary()

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        ax = self.accuracy_.plot(ax=ax, label=str(self.rule), **kwargs)
        ax.set_title(str(self.rule))
        return ax

    def to_dict(self) -> dict[str, Any]:
        return {"rule": str(self.rule), "n_missing": self.n_missing_, **self.accuracy_.to_dict()}


class CombinedRule:
    """Two or more marker rules combined by ``"either"`` (any positive) or ``"both"`` (all).

    A patient with any marker missing is excluded and counted, even when the other markers
    would already decide the combined result: the same patients enter every rule.
    """

    def fit(
        self,
        df: pd.DataFrame,
        rules: Sequence[MarkerRule],
        outcome_col: str,
        combine: Literal["either", "both"] = "either",
        conf_level: float = 0.95,
    ) -> CombinedRule:
        if len(rules) < 2:
            raise DiagnosticDataError("a combined rule needs at least two marker rules")
        if combine not in ("either", "both"):
            raise DiagnosticDataError(f"combine must be 'either' or 'both', not {combine!r}")
        tests = np.vstack(
            [apply_rule(numeric_column(df, r.column), r.cutoff, r.positive_if) for r in rules]
        )
        missing = np.isnan(tests).any(axis=0)
        combined = (tests.max(axis=0) if combine == "either" else tests.min(axis=0)).copy()
        combined[missing] = np.nan
        y = binary_column(df, outcome_col)
        self.rules, self.combine = list(rules), combine
        self.accuracy_, self.n_missing_ = _accuracy(combined, y, conf_level)
        ok = ~(np.isnan(y) | missing)
        self.components_ = {
            str(r): _accuracy(np.where(ok, t, np.nan), y, conf_level)[0]
            for r, t in zip(rules, tests, strict=True)
        }
        return self

    @property
    def summary(self) -> pd.DataFrame:
        parts = {f"{self.combine}: " + " / ".join(map(str, self.rules)): self.accuracy_}
        parts.update(self.components_)
        return pd.concat({k: v.summary() for k, v in parts.items()}, names=["rule", "measure"])

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """The combined rule and each component, side by side, with exact CIs."""
        parts = [(f"{self.combine} rule", self.accuracy_), *self.components_.items()]
        step = 0.6 / max(len(parts) - 1, 1)
        for i, (name, acc) in enumerate(parts):
            ax = acc.plot(ax=ax, offset=0.3 - i * step, label=name, **kwargs)
        ax.legend(loc="best")
        return ax

    def to_dict(self) -> dict[str, Any]:
        return {
            "combine": self.combine,
            "rules": [str(r) for r in self.rules],
            "n_missing": self.n_missing_,
            **self.accuracy_.to_dict(),
            "components": {k: v.to_dict() for k, v in self.components_.items()},
        }


class LogisticCombination:
    """Markers combined by logistic regression; accuracy of the fitted probability at a cut-off.

    ``threshold`` is a probability (default 0.5) or ``"youden"`` (the Youden cut-point of the
    fitted probabilities, chosen on the same data: doubly optimistic). ``auc_`` is the AUC of the
    fitted probabilities with DeLong's CI (apparent, not cross-validated).
    """

    def fit(
        self,
        df: pd.DataFrame,
        marker_cols: Sequence[str],
        outcome_col: str,
        threshold: float | Literal["youden"] = 0.5,
        conf_level: float = 0.95,
    ) -> LogisticCombination:
        model = LogisticRegression().fit(df, outcome_col, list(marker_cols), conf_level)
        self.model_ = model
        prob = model.predict(df)  # NaN where a marker is missing
        y = binary_column(df, outcome_col)
        ok = ~(np.isnan(prob) | np.isnan(y))
        if threshold == "youden":
            thr, se, sp = roc_curve(prob[ok & (y == 1)], prob[ok & (y == 0)], "<")
            crit = se + sp
            self.threshold_ = float(thr[int(np.flatnonzero(crit == crit.max())[0])])
        else:
            self.threshold_ = float(threshold)
        test = np.where(np.isnan(prob), np.nan, (prob >= self.threshold_).astype(float))
        self.accuracy_, self.n_missing_ = _accuracy(test, y, conf_level)
        self.auc_ = auc_delong(prob[ok & (y == 1)], prob[ok & (y == 0)], "<", conf_level)
        self.marker_cols = list(marker_cols)
        return self

    @property
    def summary(self) -> pd.DataFrame:
        return self.accuracy_.summary()

    def to_dict(self) -> dict[str, Any]:
        a = self.auc_
        return {
            "markers": self.marker_cols,
            "model": self.model_.to_dict(),
            "threshold": {
                "value": self.threshold_,
                "unit": "fitted probability",
                "rule": "positive if fitted probability >= threshold",
            },
            "n_missing": self.n_missing_,
            "auc": {
                "value": _finite_or_none(a.auc),
                "lower": _finite_or_none(a.lower),
                "upper": _finite_or_none(a.upper),
                "method": "DeLong, apparent (same data as the fit)",
            },
            **self.accuracy_.to_dict(),
        }
