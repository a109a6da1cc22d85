"""Molecular weights and unit conversions used by the model outputs (pure, no imports)."""

from __future__ import annotations

#: IGF-I 7649 Da (Increlex label): 1 nmol/L = 7.649 ng/mL.
IGF1_KDA = 7.649
#: IGF-II 7471 Da: 1 nmol/L = 7.471 ng/mL.
IGF2_KDA = 7.471
#: IGFBP-3 as reported by immunoassays calibrated with glycosylated protein, 40 kDa
#: (40-45 kDa, Lee 1995 Endocrinology); 29 kDa core would give 27 % lower mg/L.
IGFBP3_KDA = 40.0
#: ALS 85 kDa (84-86 kDa, Baxter 1989 JBC).
ALS_KDA = 85.0
#: GH 22 kDa (1 ng/mL = 0.0455 nmol/L); GH is carried in ng/mL inside the model.
GH_KDA = 22.0


def nmol_per_l_to_ng_per_ml(x: float, kda: float) -> float:
    """nmol/L x kDa = ug/L = ng/mL."""
    return x * kda


def nmol_per_l_to_mg_per_l(x: float, kda: float) -> float:
    """nmol/L x kDa / 1000 = mg/L."""
    return x * kda / 1000.0


def dose_to_depot_nmol_per_l(dose_ug_per_kg: float, v_l_per_kg: float) -> float:
    """SC dose of IGF-I (ug/kg) as nM-equivalent in the distribution volume; body weight cancels."""
    return dose_ug_per_kg / (IGF1_KDA * v_l_per_kg)
