"""Derived quantities in reporting units, computed from model columns (nM, ng/mL GH, h)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from igfcirrhosis.domain.igf_references import IGFBP3_MW_KDA
from igfcirrhosis.model.units import ALS_KDA, IGF1_KDA, IGF2_KDA, IGFBP3_KDA

Columns = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Output:
    """One reported quantity: column name, unit, description and how to compute it."""

    name: str
    unit: str
    description: str
    compute: Callable[[Columns], np.ndarray]


def _c(key: str, factor: float = 1.0) -> Callable[[Columns], np.ndarray]:
    return lambda c: np.asarray(c[key], dtype=float) * factor


OUTPUTS: tuple[Output, ...] = (
    Output("time_h", "h", "time since the start of the regimen", _c("time")),
    Output("igf1_total", "ng/mL", "total IGF-I (free + binary + ternary + other IGFBPs)",
           _c("IGF1_total", IGF1_KDA)),
    Output("igf1_free", "ng/mL", "free IGF-I", _c("I", IGF1_KDA)),
    Output("igf1_binary_igfbp3", "ng/mL", "IGF-I in binary IGF-I.IGFBP-3", _c("IB", IGF1_KDA)),
    Output("igf1_other_igfbp", "ng/mL", "IGF-I on other IGFBPs (lumped)", _c("IO", IGF1_KDA)),
    Output("igf1_binary", "ng/mL", "IGF-I in all binary complexes (50 kDa fraction)",
           lambda c: (np.asarray(c["IB"]) + np.asarray(c["IO"])) * IGF1_KDA),
    Output("igf1_ternary", "ng/mL", "IGF-I in ternary IGF-I.IGFBP-3.ALS", _c("IBA", IGF1_KDA)),
    Output("igf1_total_nmol", "nmol/L", "total IGF-I", _c("IGF1_total")),
    Output("igf1_free_nmol", "nmol/L", "free IGF-I", _c("I")),
    Output("igf2_total", "ng/mL", "total IGF-II (lumped competitor)", _c("IGF2_total", IGF2_KDA)),
    Output("igfbp3_total", "mg/L", "total IGFBP-3 (40 kDa)", _c("IGFBP3_total", IGFBP3_KDA / 1000)),
    Output("igfbp3_free", "nmol/L", "free IGFBP-3", _c("B")),
    Output("als_total", "mg/L", "total ALS (85 kDa)", _c("ALS_total", ALS_KDA / 1000)),
    Output("als_free", "nmol/L", "free ALS", _c("A")),
    Output("igf1_igfbp3_molar_ratio", "1", "IGF-I/IGFBP-3 molar ratio as labs and igfc assess "
           f"report it (IGFBP-3 mg/L read at {IGFBP3_MW_KDA:g} kDa; the model's molecule ratio "
           f"is {IGFBP3_MW_KDA:g}/{IGFBP3_KDA:g} of it)",
           lambda c: np.asarray(c["IGF1_total"]) / (np.asarray(c["IGFBP3_total"])
                                                    * IGFBP3_KDA / IGFBP3_MW_KDA)),
    Output("gh", "ng/mL", "plasma GH (mean, no pulsatility)", _c("GH")),
    Output("depot_mecasermin", "nmol/L", "SC rhIGF-I depot (nM-equivalent)", _c("Dep")),
    Output("depot_rinfabate", "nmol/L", "SC rinfabate depot (nM-equivalent)", _c("DepR")),
    Output("hsc_quiescent", "1", "quiescent HSC fraction", _c("Hq")),
    Output("hsc_activated", "1", "activated HSC fraction", _c("Ha")),
    Output("hsc_senescent", "1", "senescent HSC fraction", _c("Hs")),
    Output("ecm", "1", "ECM / scar index (healthy ~1)", _c("ECM")),
    Output("liver_mass", "1", "functional hepatocyte mass (healthy 1)", _c("Hmass")),
)
UNITS: dict[str, str] = {o.name: o.unit for o in OUTPUTS}


def derive(columns: Columns) -> dict[str, np.ndarray]:
    """All OUTPUTS from model columns (ids as in engine.STATE_IDS / RULE_IDS and ``time``)."""
    return {o.name: o.compute(columns) for o in OUTPUTS}


def columns_of(result: np.ndarray, names: list[str]) -> dict[str, np.ndarray]:
    """Split a simulate() array into named columns."""
    return {n: result[:, i] for i, n in enumerate(names)}


def current(model_rr: object) -> dict[str, float]:
    """OUTPUTS at the RoadRunner's current state (scalars)."""
    keys = ("I", "IB", "IBA", "IO", "GH", "Dep", "DepR", "Ha", "Hs", "Hq", "ECM", "Hmass",
            "IGF1_total", "IGF2_total", "IGFBP3_total", "ALS_total", "B", "A")
    cols = {k: np.array([model_rr[k]]) for k in keys}  # type: ignore[index]
    cols["time"] = np.array([0.0])
    return {k: float(v[0]) for k, v in derive(cols).items()}
