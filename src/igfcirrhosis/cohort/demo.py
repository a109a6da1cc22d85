"""A SYNTHETIC cirrhosis cohort for demonstrations and tests. It describes no real patient.

``generate_demo_cohort(n, seed)`` draws, with ``np.random.default_rng(seed)`` and (for
``resection`` and ``igf1_day30`` only) its child ``np.random.default_rng([seed, 2])`` (same seed
→ identical frame), one row per synthetic patient with the data dictionary's columns in their
default units (DESIGN.md), plus ``transplant`` (competing event), ``resection`` and
``igf1_day30`` (HCC resection and IGF-I 30 days after it, assumption 8) and ``synthetic`` (True
in every row). ``frame.attrs["note"]`` carries :data:`DEMO_NOTE`.

Generative assumptions (each a constant below; "illustrative" marks a choice without a numeric
source, made only to be clinically plausible in direction):

1. Child-Pugh class A/B/C 40/35/25 % (:data:`CLASS_MIX`; the brief's example mix).
2. Child-Pugh component points (bilirubin, albumin, INR, ascites, encephalopathy) are drawn
   from class-specific categorical distributions (:data:`POINT_PROBS`, illustrative) and
   redrawn until the total lies in the class (A 5-6, B 7-9, C 10-15; Pugh 1973). Each lab is then
   drawn uniformly inside its point band *with a margin from every band edge* (:data:`LAB_BANDS`),
   so every published Child-Pugh table (CLINICAL-NOTES.md: tables disagree at the edges) gives the
   same points; PT prolongation is drawn in the band matching the INR points. Etiologies exclude
   PBC/PSC so the non-cholestatic bilirubin table applies.
3. IGF-I (ng/mL) is log-normal with median ``88·exp(-0.12·(CP score − 5))`` and log-SD 0.90,
   chosen to match Assy et al., J Hepatol 1998: IGF-I 76 ng/mL at CP 5-8 vs 49 ng/mL at CP 9-12
   (medians here 76.7 and 48.8 on the 200,000-patient reference population; Assy's summary
   statistic is taken as a median). The wide log-SD puts ≈ 5 % of patients below 13 ng/mL.
   IGF-I is 15 % lower with GI bleeding (the review: IGF-I differs with upper GI bleeding;
   direction and size illustrative).
4. IGFBP-3 (mg/L) log-normal, median ``2.1·exp(-0.17·(CP score − 5))``, log-SD 0.35, correlated
   0.6 with IGF-I on the log scale: ≈ 1.7 mg/L at CP 5-8 vs ≈ 0.86 mg/L at CP 9-12 (Assy 1998).
   IGF-II (ng/mL) log-normal, medians A 450 / B 330 / C 220, log-SD 0.35, correlation 0.5 with
   IGF-I (illustrative; falls by class as the review reports [5,21-23]; Wu et al., World J
   Gastroenterol 2004 use 200 ng/mL as the low cut-off). ALS (nmol/L) medians 150/110/80, ×0.7 in
   autoimmune cirrhosis (review [25]: markedly lower; size illustrative). GH (ng/mL) medians
   1.5/2.5/4.0, log-SD 0.8 (GH resistance raises GH as IGF-I falls; illustrative).
5. Malignant ascites (bool, missing when there is no ascites): 6 % of patients with ascites, 25 %
   if they have HCC (illustrative). Their serum IGF-I is *higher*: log-normal median 400 ng/mL,
   log-SD 0.2, so ≈ 90 % exceed 309.4 ng/mL, the cut-off Abdel-Razik et al., J Gastroenterol
   Hepatol 2016 report (sensitivity 95.1 %); their CRP is ×3 (higher CRP, same source; size
   illustrative).
6. CRP (mg/L) medians 4/7/12, log-SD 0.8; AFP (ng/mL) median 4 (log-SD 0.7), with HCC median
   40 (log-SD 1.5); platelets (10^9/L) medians 150/110/85, log-SD 0.35; spleen length (cm) mean
   12.0/13.5/14.5, SD 1.8, 0.8 cm longer per log-unit of IGF-I below the patient's expected
   median (not for malignant ascites; the review: splenomegaly more frequent with abnormal
   IGF-I [5]); creatinine (mg/dL) medians 0.80/0.90/1.15, log-SD 0.3; sodium (mmol/L) means
   139/137/133.5, SD 3.5. GI bleeding 8/18/28 %, HCC 6/9/12 % by class. Age N(57, 11) in
   18-90 y, 65 % male, etiology mix :data:`ETIOLOGY_MIX` (all illustrative).
7. Survival: death has a Weibull hazard (shape 0.8, decreasing; time in days),
   ``λ_i = c_g·exp(0.25 (CP score − 7) − 0.4 ln(IGF-I/50) + 0.5 HCC + 1.2 malignant ascites)``
   with a scale ``c_g`` per IGF-I group (< 13 or ≥ 13 ng/mL). Liver transplant is a competing
   event with constant hazard 0 / 0.0001 / 0.0004 per day by class; administrative censoring is
   uniform on 180-1825 days, so nobody is censored administratively before day 90.
   ``c_g`` is solved (:func:`calibrate_hazard_scales`) so that the *population* Kaplan-Meier
   90-day survival for death, transplant censored, is 94.3 % with IGF-I ≥ 13 and 63.2 % with
   IGF-I < 13 — Colombo et al., Biomarkers 2017 (acute decompensation, n = 103). The KM limit
   under competing censoring is ``exp(-∫ h_g)``, ``h_g`` the at-risk-weighted mean hazard; it is
   integrated on a reference population (:data:`CALIBRATION_N`, seed :data:`CALIBRATION_SEED`)
   and the result is stored in :data:`HAZARD_SCALE` (a test re-derives it).
   A sample's KM differs from the target by sampling error only. Times are rounded *up* to
   whole days, so a death in (89, 90] d counts by day 90 as it does in continuous time.
8. HCC resection and IGF-I 30 days after it (``resection``, ``igf1_day30``), for the issue's
   paired before/after example. The review (SUMMARY §3; evidence registry
   ``review-igf1-hcc-early-recurrence``, its refs. [26-29]) reports that IGF-I is low before
   HCC resection and recovers by 30 days after it; it gives no effect size, so the size below
   is **illustrative, not a published effect size**. ``resection`` is True for a random subset
   of the HCC patients with Child-Pugh class A (probability 0.7) or B (0.3) and no malignant
   ascites (:data:`RESECTION_PROB`; resection needs preserved liver function and no peritoneal
   spread; shares illustrative); the resection is taken to happen at baseline, so ``igf1`` is
   the pre-operative value. IGF-I at day 30 recovers towards the patient's own
   liver-function-appropriate level ``L`` — the generator's IGF-I median for the patient's
   Child-Pugh score and GI-bleeding status (assumption 3), i.e. what the same liver without a
   tumour gives on average: ``ln igf1_day30 = ln igf1 + 0.7·max(0, ln L − ln igf1) + ε``,
   ``ε ~ N(0, 0.10²)`` (:data:`RESECTION_RECOVERY`, :data:`DAY30_SDLOG`; 0.10 ≈ 10 % within-
   person variation, illustrative). So a pre-operative IGF-I below ``L`` (taken as suppressed
   by the tumour) closes 70 % of its log-distance to ``L``; one at or above ``L`` only varies.
   On 100,000 patients (seed 20261125): 2.5 % resected, geometric-mean ratio day 30 / before
   1.28, median ratio 1.10, mean change +10.4 ng/mL. ``igf1_day30`` is missing for patients not
   resected and for resected patients no longer followed at day 30 (``time`` ≤ 30: died or
   transplanted). Resection does not change survival (the outcome model of assumption 7 is
   unchanged). These draws come from a separate generator, ``default_rng([seed, 2])``, after
   everything else, so every other column is what it was before these two were added.

Measured (lifelines KM, seed 20261125): n = 100,000 → 94.3 % (IGF-I ≥ 13, n = 94,778) vs
62.8 % (< 13, n = 5,222); n = 20,000 → 94.1 % vs 64.4 % (n < 13 = 1,025); the default n = 400 →
94.7 % (n = 374) vs 69.2 % (n = 26) — at n = 26 the binomial SE is ≈ 9.5 percentage points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray

DEFAULT_N = 400
DEFAULT_SEED = 20261125
DEMO_NOTE = (
    "SYNTHETIC DATA generated by igfcirrhosis.cohort.demo (generate_demo_cohort); "
    "no row describes a real patient. Not for clinical or scientific conclusions."
)
COLUMNS = (
    "patient_id", "age", "sex", "etiology", "bilirubin", "albumin", "inr", "creatinine", "sodium",
    "ascites", "encephalopathy", "prothrombin_time_prolongation", "igf1", "igf2", "igfbp3", "als",
    "gh", "crp", "afp", "platelets", "spleen_length", "gi_bleeding", "hcc", "malignant_ascites",
    "time", "event", "transplant", "resection", "igf1_day30", "synthetic",
)  # fmt: skip
#: The columns drawn by ``_covariates`` (from ``age`` to ``malignant_ascites``).
BASELINE_COLUMNS = COLUMNS[1 : COLUMNS.index("time")]

CLASS_MIX = {"A": 0.40, "B": 0.35, "C": 0.25}
CLASS_RANGE = {"A": (5, 6), "B": (7, 9), "C": (10, 15)}
#: P(1, 2, 3 points) per component, by class: bilirubin, albumin, INR, ascites, encephalopathy.
POINT_PROBS = {
    "A": ((0.85, 0.13, 0.02), (0.75, 0.23, 0.02), (0.85, 0.13, 0.02), (0.9, 0.1, 0.0),
          (0.95, 0.05, 0.0)),
    "B": ((0.45, 0.35, 0.20), (0.25, 0.50, 0.25), (0.50, 0.35, 0.15), (0.40, 0.45, 0.15),
          (0.70, 0.25, 0.05)),
    "C": ((0.15, 0.30, 0.55), (0.05, 0.35, 0.60), (0.20, 0.40, 0.40), (0.10, 0.40, 0.50),
          (0.35, 0.45, 0.20)),
}  # fmt: skip
#: Uniform draw bands (low, high) for 1, 2, 3 points, kept clear of the tables' edges.
LAB_BANDS = {
    "bilirubin": ((0.4, 1.9), (2.1, 2.9), (3.1, 12.0)),  # mg/dL; edges 2, 3
    "albumin": ((3.6, 4.8), (2.9, 3.4), (1.9, 2.7)),  # g/dL; edges 3.5, 2.8
    "inr": ((0.90, 1.60), (1.80, 2.20), (2.40, 3.60)),  # ratio; edges 1.7, 2.3
    "prothrombin_time_prolongation": ((0.5, 3.5), (4.5, 5.5), (6.5, 12.0)),  # s; edges 4, 6
}
LAB_DECIMALS = {"bilirubin": 1, "albumin": 1, "inr": 2, "prothrombin_time_prolongation": 1}
ASCITES = ("none", "mild", "moderate_severe")
ENCEPHALOPATHY = ("none", "grade_1_2", "grade_3_4")
ETIOLOGY_MIX = {
    "HBV": 0.25, "HCV": 0.15, "alcohol": 0.30, "MASLD/NASH": 0.15, "autoimmune": 0.08,
    "other": 0.07,
}  # fmt: skip

IGF1_MEDIAN_CP5 = 88.0  # ng/mL at Child-Pugh score 5
IGF1_FALL_PER_POINT = 0.12  # per Child-Pugh point, on the log scale
IGF1_SDLOG = 0.90
IGF1_CUTOFF = 13.0  # ng/mL, Colombo 2017
KM_TARGET_90D = {"low": 0.632, "high": 0.943}  # IGF-I < 13 / >= 13 ng/mL, Colombo 2017
WEIBULL_SHAPE = 0.8
BETA = {"cp_score": 0.25, "log_igf1": -0.4, "hcc": 0.5, "malignant_ascites": 1.2}
TRANSPLANT_PER_DAY = {"A": 0.0, "B": 0.0001, "C": 0.0004}
CENSOR_DAYS = (180.0, 1825.0)
CALIBRATION_N = 200_000
CALIBRATION_SEED = 1
CALIBRATION_GROUP_CAP = 20_000
#: c_g per IGF-I group, from calibrate_hazard_scales() (re-derived in the tests).
HAZARD_SCALE = {"low": 0.0024991589020522433, "high": 0.0009816863532292747}
#: P(resection | HCC, Child-Pugh class, no malignant ascites); class C is never resected.
RESECTION_PROB = {"A": 0.7, "B": 0.3}
#: Share of the log-distance to the liver-function-appropriate IGF-I closed by day 30.
RESECTION_RECOVERY = 0.7
DAY30_SDLOG = 0.10
RESECTION_DAY = 30.0


def generate_demo_cohort(n: int = DEFAULT_N, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """A SYNTHETIC cohort of ``n`` patients (module docstring lists every assumption)."""
    import numpy as np
    import pandas as pd

    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    rng = np.random.default_rng(seed)
    cov = _covariates(n, rng)
    time, event, transplant = _outcomes(cov, rng, HAZARD_SCALE)
    # new draws only from a child generator, after all others: existing columns unchanged
    resection, igf1_day30 = _resection(cov, time, np.random.default_rng([seed, 2]))
    width = max(4, len(str(n)))
    frame = pd.DataFrame(
        {
            "patient_id": pd.array([f"DEMO-{i:0{width}d}" for i in range(1, n + 1)], "string"),
            **{k: cov[k] for k in BASELINE_COLUMNS},
            "time": time,
            "event": event,
            "transplant": transplant,
            "resection": resection,
            "igf1_day30": igf1_day30,
            "synthetic": np.ones(n, dtype=bool),
        }
    )
    frame.attrs["note"] = DEMO_NOTE
    return frame


def _covariates(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """Every baseline column, plus ``_cp_class`` and ``_cp_score`` used by the outcome model."""
    import numpy as np
    import pandas as pd

    classes = np.array(list(CLASS_MIX))
    cp = classes[rng.choice(3, size=n, p=list(CLASS_MIX.values()))]
    points = _component_points(cp, rng)
    score = points.sum(axis=1)
    out: dict[str, Any] = {}
    out["age"] = np.clip(np.round(rng.normal(57.0, 11.0, n)), 18, 90)
    out["sex"] = pd.array(np.where(rng.random(n) < 0.65, "M", "F"), dtype="string")
    etiologies = np.array(list(ETIOLOGY_MIX))
    etiology = etiologies[rng.choice(len(etiologies), size=n, p=list(ETIOLOGY_MIX.values()))]
    out["etiology"] = pd.array(etiology, dtype="string")
    for j, lab in enumerate(("bilirubin", "albumin", "inr")):
        out[lab] = _in_band(lab, points[:, j], rng)
    by_class = _by_class(cp)
    out["creatinine"] = np.round(_lognormal(rng, by_class(0.80, 0.90, 1.15), 0.3), 2)
    out["sodium"] = np.round(rng.normal(by_class(139.0, 137.0, 133.5), 3.5))
    out["ascites"] = pd.array(np.array(ASCITES)[points[:, 3] - 1], dtype="string")
    out["encephalopathy"] = pd.array(np.array(ENCEPHALOPATHY)[points[:, 4] - 1], dtype="string")
    out["prothrombin_time_prolongation"] = _in_band(
        "prothrombin_time_prolongation", points[:, 2], rng
    )
    gi_bleeding = rng.random(n) < by_class(0.08, 0.18, 0.28)
    hcc = rng.random(n) < by_class(0.06, 0.09, 0.12)
    has_ascites = points[:, 3] > 1
    malignant = has_ascites & (rng.random(n) < np.where(hcc, 0.25, 0.06))
    z = rng.standard_normal((n, 4))
    igf1_median = IGF1_MEDIAN_CP5 * np.exp(-IGF1_FALL_PER_POINT * (score - 5))
    igf1_median = igf1_median * np.where(gi_bleeding, 0.85, 1.0)
    log_igf1 = np.log(igf1_median) + IGF1_SDLOG * z[:, 0]
    log_igf1 = np.where(malignant, np.log(400.0) + 0.2 * z[:, 0], log_igf1)
    out["igf1"] = np.round(np.exp(log_igf1), 1)
    corr2, corr3 = 0.5, 0.6
    out["igf2"] = np.round(
        _lognormal(rng, by_class(450.0, 330.0, 220.0), 0.35, _mix(z[:, 0], z[:, 1], corr2)), 0
    )
    bp3_median = 2.1 * np.exp(-0.17 * (score - 5))
    out["igfbp3"] = np.round(bp3_median * np.exp(0.35 * _mix(z[:, 0], z[:, 2], corr3)), 2)
    als = _lognormal(rng, by_class(150.0, 110.0, 80.0), 0.35)
    out["als"] = np.round(np.where(etiology == "autoimmune", 0.7 * als, als), 0)
    out["gh"] = np.round(_lognormal(rng, by_class(1.5, 2.5, 4.0), 0.8), 2)
    crp = _lognormal(rng, by_class(4.0, 7.0, 12.0), 0.8)
    out["crp"] = np.round(np.where(malignant, 3.0 * crp, crp), 1)
    afp = np.where(
        hcc, _lognormal(rng, np.full(n, 40.0), 1.5), _lognormal(rng, np.full(n, 4.0), 0.7)
    )
    out["afp"] = np.round(afp, 1)
    out["platelets"] = np.round(_lognormal(rng, by_class(150.0, 110.0, 85.0), 0.35))
    below_expected = np.where(malignant, 0.0, np.log(igf1_median) - np.log(out["igf1"]))
    spleen = rng.normal(by_class(12.0, 13.5, 14.5), 1.8) + 0.8 * below_expected
    out["spleen_length"] = np.round(np.clip(spleen, 7.0, 25.0), 1)
    out["gi_bleeding"] = gi_bleeding
    out["hcc"] = hcc
    out["malignant_ascites"] = pd.array(
        np.where(has_ascites, malignant, False), dtype="boolean"
    ).copy()
    out["malignant_ascites"][~has_ascites] = pd.NA
    out["_cp_class"] = cp
    out["_cp_score"] = score
    return out


def igf1_expected(cov: dict[str, Any]) -> NDArray[np.float64]:
    """The IGF-I median (ng/mL) for each patient's Child-Pugh score and GI bleeding
    (assumption 3): the patient's liver-function-appropriate level."""
    import numpy as np

    median = IGF1_MEDIAN_CP5 * np.exp(-IGF1_FALL_PER_POINT * (cov["_cp_score"] - 5))
    return np.asarray(median * np.where(cov["gi_bleeding"], 0.85, 1.0), dtype=np.float64)


def _resection(
    cov: dict[str, Any], time: NDArray[np.float64], rng: np.random.Generator
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """``resection`` (bool) and ``igf1_day30`` (ng/mL, NaN unless resected and followed at
    day 30); assumption 8. Always draws ``n`` uniforms then ``n`` normals from ``rng``."""
    import numpy as np

    n = len(time)
    u, z = rng.random(n), rng.standard_normal(n)
    cls = cov["_cp_class"]
    malignant = np.asarray(cov["malignant_ascites"].fillna(False), dtype=bool)
    p = np.select([cls == "A", cls == "B"], [RESECTION_PROB["A"], RESECTION_PROB["B"]], 0.0)
    resection = np.asarray(cov["hcc"], dtype=bool) & ~malignant & (u < p)
    log_pre = np.log(cov["igf1"])
    gap = np.maximum(0.0, np.log(igf1_expected(cov)) - log_pre)
    day30 = np.round(np.exp(log_pre + RESECTION_RECOVERY * gap + DAY30_SDLOG * z), 1)
    measured = resection & (time > RESECTION_DAY)
    return resection, np.where(measured, day30, np.nan)


def _component_points(cp: NDArray[Any], rng: np.random.Generator) -> NDArray[np.int64]:
    """(n, 5) points 1-3, redrawn per patient until the total lies in the patient's class."""
    import numpy as np

    n = len(cp)
    points = np.zeros((n, 5), dtype=np.int64)
    pending = np.ones(n, dtype=bool)
    while pending.any():
        for cls, probs in POINT_PROBS.items():
            rows = np.flatnonzero(pending & (cp == cls))
            for j, p in enumerate(probs):
                points[rows, j] = rng.choice(3, size=len(rows), p=p) + 1
        total = points.sum(axis=1)
        low = np.array([CLASS_RANGE[c][0] for c in cp])
        high = np.array([CLASS_RANGE[c][1] for c in cp])
        pending = (total < low) | (total > high)
    return points


def _in_band(lab: str, points: NDArray[np.int64], rng: np.random.Generator) -> NDArray[np.float64]:
    import numpy as np

    bands = np.array(LAB_BANDS[lab])
    lo, hi = bands[points - 1, 0], bands[points - 1, 1]
    return np.asarray(np.round(rng.uniform(lo, hi), LAB_DECIMALS[lab]), dtype=np.float64)


def _by_class(cp: NDArray[Any]) -> Any:
    import numpy as np

    def pick(a: float, b: float, c: float) -> NDArray[np.float64]:
        return np.select([cp == "A", cp == "B"], [a, b], c).astype(np.float64)

    return pick


def _lognormal(
    rng: np.random.Generator,
    median: NDArray[np.float64],
    sdlog: float,
    z: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    import numpy as np

    if z is None:
        z = rng.standard_normal(len(median))
    return np.asarray(median * np.exp(sdlog * z), dtype=np.float64)


def _mix(z0: NDArray[np.float64], z1: NDArray[np.float64], rho: float) -> NDArray[np.float64]:
    """A standard normal correlated ``rho`` with ``z0``."""
    import numpy as np

    return np.asarray(rho * z0 + (1.0 - rho**2) ** 0.5 * z1, dtype=np.float64)


def _linear_predictor(cov: dict[str, Any]) -> NDArray[np.float64]:
    import numpy as np

    malignant = np.asarray(cov["malignant_ascites"].fillna(False), dtype=bool)
    return np.asarray(
        BETA["cp_score"] * (cov["_cp_score"] - 7)
        + BETA["log_igf1"] * np.log(cov["igf1"] / 50.0)
        + BETA["hcc"] * cov["hcc"]
        + BETA["malignant_ascites"] * malignant,
        dtype=np.float64,
    )


def _transplant_rate(cov: dict[str, Any]) -> NDArray[np.float64]:
    return _by_class(cov["_cp_class"])(*TRANSPLANT_PER_DAY.values())  # type: ignore[no-any-return]


def _outcomes(
    cov: dict[str, Any], rng: np.random.Generator, scale: dict[str, float]
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """Follow-up time (days, rounded up), death (0/1) and transplant (0/1)."""
    import numpy as np

    n = len(cov["igf1"])
    low = cov["igf1"] < IGF1_CUTOFF
    lam = np.where(low, scale["low"], scale["high"]) * np.exp(_linear_predictor(cov))
    e_death, e_tx = rng.exponential(1.0, n), rng.exponential(1.0, n)
    t_death = (e_death / lam) ** (1.0 / WEIBULL_SHAPE)
    mu = _transplant_rate(cov)
    with np.errstate(divide="ignore"):
        t_tx = np.where(mu > 0, e_tx / np.where(mu > 0, mu, 1.0), np.inf)
    t_censor = rng.uniform(*CENSOR_DAYS, n)
    t = np.minimum(np.minimum(t_death, t_tx), t_censor)
    event = (t_death <= t).astype(np.int64)
    transplant = ((t_tx <= t) & (event == 0)).astype(np.int64)
    return np.maximum(np.ceil(t), 1.0), event, transplant


def km_limit_90d(
    c: float, lp: NDArray[np.float64], mu: NDArray[np.float64], horizon: float = 90.0
) -> float:
    """Population KM survival for death at ``horizon`` days, transplant censored.

    With death hazard ``c·exp(lp)·k·t^(k-1)`` and transplant hazard ``mu``, the KM limit is
    ``exp(-∫ h(t) dt)``, ``h`` the death hazard averaged over those still at risk. In
    ``v = t^k`` the integrand is the at-risk-weighted mean of ``c·exp(lp)``, smooth in ``v``;
    trapezoid rule on 121 points.
    """
    import numpy as np

    lam = c * np.exp(lp)
    v = np.linspace(0.0, horizon**WEIBULL_SHAPE, 121)
    t = v ** (1.0 / WEIBULL_SHAPE)
    h = np.empty_like(v)
    for j in range(len(v)):
        a = lam * v[j] + mu * t[j]
        w = np.exp(a.min() - a)  # scaled by the largest weight: no underflow to 0/0
        h[j] = float(np.dot(w, lam) / w.sum())
    return float(np.exp(-np.trapezoid(h, v)))


def calibrate_hazard_scales(
    n_ref: int = CALIBRATION_N, seed: int = CALIBRATION_SEED
) -> dict[str, float]:
    """Solve ``c_g`` so the population 90-day KM survival per IGF-I group is Colombo's."""
    import numpy as np
    from scipy.optimize import brentq

    cov = _covariates(n_ref, np.random.default_rng(seed))
    lp, mu = _linear_predictor(cov), _transplant_rate(cov)
    low = cov["igf1"] < IGF1_CUTOFF
    scales = {}
    for group, members in (("low", low), ("high", ~low)):
        # the first CALIBRATION_GROUP_CAP members suffice: the group mean is then known to
        # ~0.05 percentage points, and the integral stays fast
        idx = np.flatnonzero(members)[:CALIBRATION_GROUP_CAP]
        target = KM_TARGET_90D[group]

        def gap(log_c: float, i: NDArray[np.intp] = idx, s: float = target) -> float:
            return km_limit_90d(float(np.exp(log_c)), lp[i], mu[i]) - s

        scales[group] = float(np.exp(brentq(gap, -20.0, 0.0, xtol=1e-9)))
    return scales


def summarize_demo(frame: pd.DataFrame, horizon: float = 90.0) -> dict[str, Any]:
    """n and median IGF-I by Child-Pugh class (computed by ``domain.scores.child_pugh``) and
    the Kaplan-Meier survival at ``horizon`` days by IGF-I < / ≥ 13 ng/mL (lifelines)."""
    import numpy as np
    from lifelines import KaplanMeierFitter

    from igfcirrhosis.domain.scores import child_pugh

    points = {label: i + 1 for i, label in enumerate(ASCITES)}
    enc_points = {label: i + 1 for i, label in enumerate(ENCEPHALOPATHY)}
    cp = child_pugh(
        bilirubin_mg_dl=frame["bilirubin"].to_numpy(float),
        albumin_g_dl=frame["albumin"].to_numpy(float),
        ascites_points=frame["ascites"].map(points).to_numpy(float),
        encephalopathy_points=frame["encephalopathy"].map(enc_points).to_numpy(float),
        inr=frame["inr"].to_numpy(float),
    )
    grade = np.asarray(cp.grade, dtype=object)
    by_class = {}
    for g in ("A", "B", "C"):
        m = grade == g
        by_class[g] = {
            "n": int(m.sum()),
            "median_igf1": float(np.median(frame["igf1"][m])) if m.any() else None,
        }
    km: dict[str, dict[str, float | int | None]] = {}
    low = frame["igf1"].to_numpy(float) < IGF1_CUTOFF
    for name, m in (("igf1 >= 13", ~low), ("igf1 < 13", low)):
        if not m.any():
            km[name] = {"n": 0, "survival": None}
            continue
        fit = KaplanMeierFitter().fit(frame["time"][m], frame["event"][m])
        km[name] = {"n": int(m.sum()), "survival": float(fit.predict(horizon))}
    return {"n": len(frame), "child_pugh": by_class, "km": km, "horizon_days": horizon}
