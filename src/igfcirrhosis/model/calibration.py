"""Calibration of the Child-Pugh presets (liver mass, GH-receptor density) to total IGF-I.

This is a calibration, not a published table. Liver mass and GH-receptor density act on
hepatic synthesis almost only through their product, so the two cannot be identified from
IGF-I and IGFBP-3 together (a two-target fit drove GHR density *up* with severity). Instead one
severity s per class sets liver_mass = ghr_density = s (assumption: hepatic GHR falls in
proportion to functional mass, Wang 2003 WJG 9:765 qualitatively), and s is solved so that the
untreated steady-state total IGF-I equals the class target (Assy et al. 1998 group means).
IGFBP-3, ALS and GH by class are then predictions. The result is written by hand into
``data/model/presets.toml`` (re-run :func:`calibrate_presets` after changing parameters; a test
checks that the stored presets still hit their targets).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from igfcirrhosis.model.engine import IgfModel
from igfcirrhosis.model.patient import PRESET_NAMES, presets
from igfcirrhosis.model.units import IGF1_KDA, IGFBP3_KDA


def steady_igf(model: IgfModel, liver_mass: float, ghr: float, injury: float = 1.0
               ) -> tuple[float, float]:
    """Untreated steady-state total IGF-I (ng/mL) and IGFBP-3 (mg/L)."""
    model.equilibrate({"Hmass_base": liver_mass, "ghr": ghr, "tgf": injury}, fibrosis=False)
    return (float(model.rr["IGF1_total"]) * IGF1_KDA,
            float(model.rr["IGFBP3_total"]) * IGFBP3_KDA / 1000.0)


def calibrate_state(model: IgfModel, igf1_ng_per_ml: float) -> dict[str, float]:
    """Severity s (= liver mass = GHR density) whose steady-state IGF-I equals the target."""
    from scipy.optimize import brentq

    def resid(log_s: float) -> float:
        s = float(np.exp(log_s))
        return float(np.log(steady_igf(model, s, s)[0] / igf1_ng_per_ml))

    s = float(np.exp(brentq(resid, np.log(0.05), 0.0, xtol=1e-12)))
    return {"liver_mass": s, "ghr_density": s,
            "igfbp3_mg_per_l": steady_igf(model, s, s)[1]}


def calibrate_presets(model: IgfModel | None = None) -> dict[str, dict[str, Any]]:
    """Re-derive every Child-Pugh preset from its calibration_target in presets.toml."""
    m = model or IgfModel()
    out: dict[str, dict[str, Any]] = {}
    for name in PRESET_NAMES:
        tgt = presets()[name].get("calibration_target")
        if tgt:
            out[name] = calibrate_state(m, tgt["igf1_ng_per_ml"])
    return out
