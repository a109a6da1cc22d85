"""Hypoglycaemia-risk proxy: free IGF-I above an anchored threshold (not a glucose model).

Anchor: in healthy adults 100 ug/kg rhIGF-I SC raised free IGF-I to 43.5 ng/mL at 2 h with a
glucose nadir of 69 mg/dL (Growth Regul 1991 1:23). By default the threshold is the model's own
free IGF-I in that experiment -- "as much free IGF-I as the dose that brought healthy adults to
the hypoglycaemic border" -- rather than the measured 43.5 ng/mL, so that the proxy stays
consistent with the model if parameters change (today ~42 ng/mL, validation row
``meca_free_2h_100``; before the 2026-12 recalibration the model gave ~8 ng/mL). A scenario may
set an explicit value instead (``target.free_igf1_hypoglycaemia_ng_per_ml``).
"""

from __future__ import annotations

import numpy as np

from igfcirrhosis.model.engine import Dosing, IgfModel
from igfcirrhosis.model.units import IGF1_KDA

ANCHOR_DOSE_UG_PER_KG = 100.0
ANCHOR_TIME_H = 2.0
ANCHOR_SOURCE = ("model free IGF-I 2 h after 100 ug/kg SC in a healthy adult (the experiment "
                 "with a 69 mg/dL glucose nadir, Growth Regul 1991 1:23)")


def anchored_threshold(model: IgfModel) -> float:
    """Free IGF-I (ng/mL) the model gives 2 h after 100 ug/kg SC in the healthy state."""
    model.equilibrate({"Hmass_base": 1.0, "ghr": 1.0, "tgf": 0.05})
    res = model.simulate([Dosing("mecasermin", ANCHOR_DOSE_UG_PER_KG, 1e6, 0.0, 1.0)],
                         np.array([0.0, ANCHOR_TIME_H]), ["I"])
    return float(res[-1, 1]) * IGF1_KDA
