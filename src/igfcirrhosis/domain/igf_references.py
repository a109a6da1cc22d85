"""IGF reference values: LMS standard deviation scores by age and sex, the reference tables
that hold them, and the IGF-I/IGFBP-3 molar ratio.

Units (canonical inputs): IGF-I and IGF-II in ng/mL (= ug/L); IGFBP-3 in mg/L (= ug/mL);
ALS in nmol/L; the IGF-I/IGFBP-3 ratio as a molar ratio (mol/mol). Age in years; sex "F"/"M"
(also "female"/"male", case-insensitive).

Reference tables (LMS parameters by age and sex) live in ``igfcirrhosis/data/references/``,
each with a metadata TOML naming its source, assay, unit and licence. The interpretation of a
patient's values against them and against the evidence registry is
:mod:`igfcirrhosis.domain.biomarkers`.
"""

from __future__ import annotations

import csv
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr, ndtri

__all__ = [
    "ANALYTE_LABELS",
    "IGF1_MW_DA",
    "IGFBP3_MW_KDA",
    "INPUT_UNITS",
    "SDS_ANALYTES",
    "SEX_WORDS",
    "ReferenceTable",
    "available_reference_tables",
    "bccg_sds",
    "default_reference_id",
    "igf1_igfbp3_molar_ratio",
    "igf_sds",
    "in_reference_age_range",
    "lms_sds",
    "load_reference_table",
    "parse_sex",
    "reference_table",
    "resolve_table",
    "unit_factor",
]

FloatArray = npt.NDArray[np.float64]
SdsMethod = Literal["lms", "childsds"]

#: IGF-I molecular weight, Da: INCRELEX (mecasermin) prescribing information, Description
#: ("70 amino acids ... molecular weight of 7649 daltons").
IGF1_MW_DA = 7649.0
#: IGFBP-3 molecular weight used for molar conversions by most papers, kDa (30.5 kDa by some;
#: CLINICAL-NOTES.md). A parameter of :func:`igf1_igfbp3_molar_ratio`, always reported.
IGFBP3_MW_KDA = 28.7

#: Canonical input unit per analyte.
INPUT_UNITS: Mapping[str, str] = {
    "igf1": "ng/mL",
    "igf2": "ng/mL",
    "igfbp3": "mg/L",
    "als": "nmol/L",
    "igf1_igfbp3_ratio": "mol/mol",
}
#: Factor that converts a value in the canonical input unit into a table's or cut-off's unit.
#: Pure unit identities (ng/mL = ug/L; mg/L = ug/mL = 1000 ng/mL; percent = 100 x ratio).
_UNIT_FACTORS: Mapping[str, Mapping[str, float]] = {
    "igf1": {"ng/mL": 1.0, "ug/L": 1.0, "µg/L": 1.0},
    "igf2": {"ng/mL": 1.0, "ug/L": 1.0, "µg/L": 1.0},
    "igfbp3": {
        "mg/L": 1.0,
        "ug/mL": 1.0,
        "µg/mL": 1.0,
        "mcg/mL": 1.0,
        "ng/mL": 1000.0,
        "ug/L": 1000.0,
        "µg/L": 1000.0,
    },
    "als": {"nmol/L": 1.0},
    "igf1_igfbp3_ratio": {"mol/mol": 1.0, "molar ratio": 1.0, "molar ratio x 100": 100.0},
}
ANALYTE_LABELS: Mapping[str, str] = {
    "igf1": "IGF-I",
    "igf2": "IGF-II",
    "igfbp3": "IGFBP-3",
    "als": "ALS",
    "igf1_igfbp3_ratio": "IGF-I/IGFBP-3 molar ratio",
}
#: Analytes for which an SDS can be computed given a reference table (IGF-II: user tables only).
SDS_ANALYTES = ("igf1", "igf2", "igfbp3", "igf1_igfbp3_ratio")
_SEX_CODES: Mapping[str, str] = {"f": "F", "female": "F", "m": "M", "male": "M"}
SEX_WORDS: Mapping[str, str] = {"F": "female", "M": "male"}
_META_REQUIRED = ("id", "analyte", "unit", "assay", "population", "source", "licence", "derived")


def unit_factor(analyte: str, unit: str) -> float:
    """Factor from the canonical input unit of ``analyte`` to ``unit``; ValueError if unknown."""
    try:
        return _UNIT_FACTORS[analyte][unit]
    except KeyError:
        known = sorted(_UNIT_FACTORS.get(analyte, {}))
        raise ValueError(
            f"unit {unit!r} for {analyte!r} is not supported; expected one of {known}"
        ) from None


# ------------------------------------------------------------------------------- LMS / SDS
def lms_sds(
    y: npt.ArrayLike,
    L: npt.ArrayLike,  # noqa: N803 (Cole & Green's names)
    M: npt.ArrayLike,  # noqa: N803
    S: npt.ArrayLike,  # noqa: N803
) -> FloatArray:
    """LMS z-score (Cole & Green 1992): ((y/M)^L - 1)/(L*S), or ln(y/M)/S where L == 0.

    ``y`` and ``M`` in the same unit; vectorised with broadcasting; NaN in, NaN out.
    ``y`` must be > 0 (ValueError otherwise).
    """
    y_, lam, mu, sig = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (y, L, M, S)))
    if np.any(y_ <= 0):
        bad = float(y_[y_ <= 0].flat[0])
        raise ValueError(f"y must be > 0 for an LMS z-score (got {bad!r})")
    is_zero = lam == 0
    safe_l = np.where(is_zero, 1.0, lam)
    with np.errstate(invalid="ignore", divide="ignore"):
        log_ratio = np.log(y_ / mu)
        # (y/M)^L - 1 == expm1(L ln(y/M)): exact, and no cancellation for tiny |L|
        power = np.expm1(safe_l * log_ratio) / (safe_l * sig)
        log = log_ratio / sig
    return np.asarray(np.where(is_zero, log, power), dtype=float)


def bccg_sds(
    y: npt.ArrayLike,
    L: npt.ArrayLike,  # noqa: N803 (Cole & Green's names)
    M: npt.ArrayLike,  # noqa: N803
    S: npt.ArrayLike,  # noqa: N803
) -> FloatArray:
    """z-score as R childsds computes it: qnorm(pBCCG(y; mu = M, sigma = S, nu = L)).

    pBCCG (gamlss.dist) corrects the LMS z for the truncation of the Box-Cox Cole-Green
    distribution: F = (Phi(z) - [L > 0] * Phi(-1/(S|L|))) / Phi(1/(S|L|)). Differs from
    :func:`lms_sds` only where S*|L| is large (e.g. infancy in Isojima 2012).
    """
    z = lms_sds(y, L, M, S)
    lam, sig = np.broadcast_arrays(np.asarray(L, dtype=float), np.asarray(S, dtype=float))
    lam = np.broadcast_to(lam, z.shape)
    sig = np.broadcast_to(sig, z.shape)
    with np.errstate(divide="ignore"):
        bound = 1.0 / (sig * np.abs(lam))  # +inf where L == 0
    lower = np.where(lam > 0, ndtr(-bound), 0.0)
    p = (ndtr(z) - lower) / ndtr(bound)
    return np.asarray(ndtri(np.clip(p, 0.0, 1.0)), dtype=float)


# ------------------------------------------------------------------------ reference tables
@dataclass(frozen=True)
class ReferenceTable:
    """LMS parameters by sex and age (years) for one analyte, with provenance.

    ``unit`` is the unit the table's M is in; values are converted from the analyte's canonical
    input unit (see module docstring) before the SDS is computed.
    """

    id: str
    analyte: str
    unit: str
    assay: str
    population: str
    source: str
    licence: str
    derived: str
    metadata: Mapping[str, str]
    ages: Mapping[str, FloatArray]
    L: Mapping[str, FloatArray]
    M: Mapping[str, FloatArray]
    S: Mapping[str, FloatArray]

    @property
    def citation(self) -> str:
        """Short citation from the metadata (``citation``), else the table id."""
        return self.metadata.get("citation", self.id)

    def age_range(self, sex: str) -> tuple[float, float] | None:
        """(youngest, oldest) age in years covered for ``sex`` ("F"/"M"); None if absent."""
        code = parse_sex(sex, "sex")
        if code not in self.ages:
            return None
        a = self.ages[code]
        return float(a[0]), float(a[-1])

    def lms_at(
        self, age_years: npt.ArrayLike, sex: npt.ArrayLike
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """L, M, S linearly interpolated in age within sex; NaN outside the age range."""
        age = np.asarray(age_years, dtype=float)
        codes = _sex_codes(sex, "sex")
        age, codes = np.broadcast_arrays(age, codes)
        out = [np.full(age.shape, np.nan) for _ in range(3)]
        for code, ages in self.ages.items():
            mask = (codes == code) & np.isfinite(age)
            if not np.any(mask):
                continue
            for k, par in enumerate((self.L, self.M, self.S)):
                out[k][mask] = np.interp(age[mask], ages, par[code], left=np.nan, right=np.nan)
        return out[0], out[1], out[2]

    def summary(self) -> dict[str, object]:
        """JSON-ready description (id, analyte, unit, assay, population, source, age ranges)."""
        return {
            "id": self.id,
            "analyte": self.analyte,
            "unit": self.unit,
            "assay": self.assay,
            "population": self.population,
            "source": self.source,
            "licence": self.licence,
            "derived": self.derived,
            "age_range_years": {
                SEX_WORDS[c]: [float(a[0]), float(a[-1])] for c, a in self.ages.items()
            },
        }


def parse_sex(value: object, name: str) -> str:
    if isinstance(value, str) and value.strip().casefold() in _SEX_CODES:
        return _SEX_CODES[value.strip().casefold()]
    raise ValueError(f"{name}: {value!r} is not a sex; expected 'F' or 'M' (or female/male)")


def _sex_codes(sex: npt.ArrayLike, name: str) -> npt.NDArray[np.str_]:
    """Normalise sex labels to 'F'/'M'; None, '' and NaN become '' (missing)."""
    arr = np.asarray(sex, dtype=object)
    out = np.empty(arr.shape, dtype="<U1")
    for idx, v in np.ndenumerate(arr):
        if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
            out[idx] = ""
        else:
            out[idx] = parse_sex(v, name)
    return out


def _parse_table_csv(text: str, where: str) -> dict[str, list[tuple[float, float, float, float]]]:
    reader = csv.DictReader(text.splitlines())
    expected = ["age_years", "sex", "L", "M", "S"]
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != expected:
        raise ValueError(f"{where}: columns must be {expected}, got {reader.fieldnames}")
    rows: dict[str, list[tuple[float, float, float, float]]] = {}
    for n, row in enumerate(reader, start=2):
        try:
            age, lam, mu, sig = (float(row[k]) for k in ("age_years", "L", "M", "S"))
        except (TypeError, ValueError):
            raise ValueError(f"{where}, line {n}: age_years, L, M, S must be numbers") from None
        code = parse_sex(row["sex"], f"{where}, line {n}, column sex")
        if not all(math.isfinite(v) for v in (age, lam, mu, sig)):
            raise ValueError(f"{where}, line {n}: values must be finite")
        if age < 0 or mu <= 0 or sig <= 0:
            raise ValueError(
                f"{where}, line {n}: need age_years >= 0, M > 0 and S > 0 "
                f"(got age {age}, M {mu}, S {sig})"
            )
        rows.setdefault(code, []).append((age, lam, mu, sig))
    if not rows:
        raise ValueError(f"{where}: no rows")
    for code, items in rows.items():
        ages = [r[0] for r in items]
        if any(b <= a for a, b in zip(ages, ages[1:], strict=False)):
            raise ValueError(f"{where}: ages for sex {code} must be strictly increasing")
    return rows


def _build_table(csv_text: str, meta: Mapping[str, object], where: str) -> ReferenceTable:
    missing = [k for k in _META_REQUIRED if not isinstance(meta.get(k), str)]
    if missing:
        raise ValueError(f"{where}: metadata is missing text key(s) {missing}")
    analyte = str(meta["analyte"])
    if analyte not in _UNIT_FACTORS:
        raise ValueError(f"{where}: analyte {analyte!r} not one of {sorted(_UNIT_FACTORS)}")
    unit_factor(analyte, str(meta["unit"]))  # raises for an unsupported unit
    rows = _parse_table_csv(csv_text, where)

    def col(k: int) -> dict[str, FloatArray]:
        return {c: np.array([r[k] for r in items], dtype=float) for c, items in rows.items()}

    return ReferenceTable(
        id=str(meta["id"]),
        analyte=analyte,
        unit=str(meta["unit"]),
        assay=str(meta["assay"]),
        population=str(meta["population"]),
        source=str(meta["source"]),
        licence=str(meta["licence"]),
        derived=str(meta["derived"]),
        metadata={k: str(v) for k, v in meta.items()},
        ages=col(0),
        L=col(1),
        M=col(2),
        S=col(3),
    )


def load_reference_table(csv_path: Path, metadata_path: Path | None = None) -> ReferenceTable:
    """Load a user's LMS table: CSV (age_years, sex, L, M, S) + TOML metadata (same keys as
    the shipped tables; defaults to the CSV path with suffix .toml)."""
    csv_path = Path(csv_path)
    meta_path = Path(metadata_path) if metadata_path else csv_path.with_suffix(".toml")
    with meta_path.open("rb") as fh:
        meta = tomllib.load(fh)
    return _build_table(csv_path.read_text(encoding="utf-8"), meta, str(csv_path))


def _references_dir() -> resources.abc.Traversable:
    return resources.files("igfcirrhosis").joinpath("data/references")


@lru_cache(maxsize=1)
def _index() -> Mapping[str, str]:
    data = tomllib.loads(_references_dir().joinpath("index.toml").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data["defaults"].items()}


def available_reference_tables() -> tuple[str, ...]:
    """Ids of the shipped reference tables."""
    names = (p.name for p in _references_dir().iterdir())
    return tuple(sorted(n[:-5] for n in names if n.endswith(".toml") and n != "index.toml"))


def default_reference_id(analyte: str) -> str | None:
    """Id of the default table for ``analyte`` (from references/index.toml), or None."""
    return _index().get(analyte)


@lru_cache(maxsize=16)
def reference_table(table_id: str) -> ReferenceTable:
    """A shipped reference table by id (cached); KeyError naming the id if unknown."""
    if table_id not in available_reference_tables():
        raise KeyError(
            f"no reference table {table_id!r}; available: {list(available_reference_tables())}"
        )
    base = _references_dir()
    meta = tomllib.loads(base.joinpath(f"{table_id}.toml").read_text(encoding="utf-8"))
    text = base.joinpath(str(meta.get("file", f"{table_id}.csv"))).read_text(encoding="utf-8")
    return _build_table(text, meta, f"references/{table_id}")


def resolve_table(analyte: str, table: ReferenceTable | str | None) -> ReferenceTable:
    if isinstance(table, ReferenceTable):
        resolved = table
    else:
        table_id = table if table is not None else default_reference_id(analyte)
        if table_id is None:
            raise ValueError(f"no reference table is shipped for analyte {analyte!r}")
        resolved = reference_table(table_id)
    if resolved.analyte != analyte:
        raise ValueError(
            f"reference table {resolved.id!r} is for {resolved.analyte!r}, not {analyte!r}"
        )
    return resolved


def _check_positive(values: FloatArray, name: str, unit: str) -> None:
    bad = ~np.isnan(values) & ~(values > 0)
    if np.any(bad) or np.any(np.isinf(values)):
        v = float(values[bad | np.isinf(values)].flat[0])
        raise ValueError(f"{name}: {v!r} is not a valid concentration; expected > 0 {unit}")


def igf_sds(
    values: npt.ArrayLike,
    age_years: npt.ArrayLike,
    sex: npt.ArrayLike,
    *,
    analyte: str = "igf1",
    table: ReferenceTable | str | None = None,
    method: SdsMethod = "lms",
) -> FloatArray:
    """Age- and sex-specific SDS of IGF values against an LMS reference table.

    ``values`` in the analyte's canonical unit (IGF-I ng/mL, IGFBP-3 mg/L, ratio mol/mol);
    ``table`` a :class:`ReferenceTable`, a shipped table id, or None for the default
    (Bidlingmaier 2014 IGF-I; Friedrich 2014 IGFBP-3 and ratio). L, M, S are interpolated
    linearly in age within sex, as childsds does. NaN where the age lies outside the table's
    range (see :func:`in_reference_age_range`), or where value, age or sex is missing.
    ``method="lms"`` is the Cole & Green formula; ``"childsds"`` reproduces childsds'
    qnorm(pBCCG(...)).
    """
    tab = resolve_table(analyte, table)
    x = np.asarray(values, dtype=float)
    _check_positive(x, analyte, INPUT_UNITS[analyte])
    age = np.asarray(age_years, dtype=float)
    if np.any(age[~np.isnan(age)] < 0):
        bad_age = float(age[age < 0].flat[0])
        raise ValueError(f"age_years: {bad_age!r} is negative; expected years >= 0")
    lam, mu, sig = tab.lms_at(age, sex)
    y = x * unit_factor(analyte, tab.unit)
    y, lam, mu, sig = np.broadcast_arrays(y, lam, mu, sig)
    ok = ~(np.isnan(y) | np.isnan(mu))
    z = np.full(y.shape, np.nan)
    if method not in ("lms", "childsds"):
        raise ValueError(f"method: {method!r} is not 'lms' or 'childsds'")
    fn = bccg_sds if method == "childsds" else lms_sds
    if np.any(ok):
        z[ok] = fn(y[ok], lam[ok], mu[ok], sig[ok])
    return z


def in_reference_age_range(
    age_years: npt.ArrayLike,
    sex: npt.ArrayLike,
    *,
    analyte: str = "igf1",
    table: ReferenceTable | str | None = None,
) -> npt.NDArray[np.bool_]:
    """True where the table covers this age and sex (False for missing age or sex)."""
    tab = resolve_table(analyte, table)
    _, mu, _ = tab.lms_at(age_years, sex)
    return np.asarray(~np.isnan(mu), dtype=np.bool_)


def igf1_igfbp3_molar_ratio(
    igf1_ng_ml: npt.ArrayLike,
    igfbp3_mg_l: npt.ArrayLike,
    *,
    igf1_mw_da: float = IGF1_MW_DA,
    igfbp3_mw_kda: float = IGFBP3_MW_KDA,
) -> FloatArray:
    """Molar IGF-I/IGFBP-3 ratio (mol/mol) from IGF-I in ng/mL and IGFBP-3 in mg/L.

    = (IGF-I [g/L] / MW_IGF-I) / (IGFBP-3 [g/L] / MW_IGFBP-3)
    = mass ratio x (igfbp3_mw_kda * 1000 / igf1_mw_da), i.e. ~3.75 x the mass ratio at
    28.7 kDa (3.99 x at 30.5 kDa). MWs: IGF-I 7649 Da (Increlex label); IGFBP-3 28.7 kDa (most
    papers) or 30.5 kDa (some).
    """
    if not (igf1_mw_da > 0 and igfbp3_mw_kda > 0):
        raise ValueError(
            f"molecular weights must be > 0 (igf1_mw_da={igf1_mw_da}, "
            f"igfbp3_mw_kda={igfbp3_mw_kda})"
        )
    igf1 = np.asarray(igf1_ng_ml, dtype=float)
    bp3 = np.asarray(igfbp3_mg_l, dtype=float)
    _check_positive(igf1, "igf1_ng_ml", "ng/mL")
    _check_positive(bp3, "igfbp3_mg_l", "mg/L")
    igf1_mol = igf1 * 1e-6 / igf1_mw_da  # ng/mL = 1e-6 g/L
    bp3_mol = bp3 * 1e-3 / (igfbp3_mw_kda * 1e3)  # mg/L = 1e-3 g/L
    return np.asarray(igf1_mol / bp3_mol, dtype=float)
