"""A straightforward per-row implementation of every score, in exact decimal arithmetic.

It exists to check the vectorised functions of :mod:`igfcirrhosis.domain.scores` (an
independent second implementation: if/else on :class:`decimal.Decimal`, no numpy) and as the
per-row peer of ``benchmarks/bench_scores.py``. Same sources and conventions as
:data:`igfcirrhosis.domain.scores.SOURCES`; inputs are read exactly as their shortest decimal
representation (``Decimal(repr(x))``), so 2.0 mg/dL *is* on the edge and a half *is* a half.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

_ONE = Decimal(1)


def _dec(x: Any) -> Decimal | None:
    """Exact decimal of a number; None for None or NaN."""
    if x is None:
        return None
    if isinstance(x, bool):
        return Decimal(int(x))
    f = float(x)
    if math.isnan(f):
        return None
    return Decimal(repr(f))


def _up(x: Decimal | None, low: str, high: str) -> int | None:
    """1 below low, 2 on [low, high], 3 above high."""
    if x is None:
        return None
    if x < Decimal(low):
        return 1
    if x <= Decimal(high):
        return 2
    return 3


def _down(x: Decimal | None, high: str, low: str) -> int | None:
    """1 above high, 2 on [low, high], 3 below low."""
    if x is None:
        return None
    if x > Decimal(high):
        return 1
    if x >= Decimal(low):
        return 2
    return 3


def _sum(*parts: int | None) -> int | None:
    return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


def _half_up(x: Decimal, exp: str = "1") -> Decimal:
    return x.quantize(Decimal(exp), rounding=ROUND_HALF_UP)


def _bili_points(b: Decimal | None, chol: Decimal | None) -> int | None:
    if chol is None:
        return None
    return _up(b, "4", "10") if chol == 1 else _up(b, "2", "3")


def _child_pugh(r: Mapping[str, Any]) -> tuple[int | None, str | None]:
    inr, pt = _dec(r.get("inr")), _dec(r.get("pt_prolongation_s"))
    coag = _up(inr, "1.7", "2.3") if inr is not None else _up(pt, "4", "6")
    asc, enc = _dec(r.get("ascites_points")), _dec(r.get("encephalopathy_points"))
    total = _sum(
        _bili_points(_dec(r.get("bilirubin_mg_dl")), _dec(r.get("cholestatic", False))),
        _down(_dec(r.get("albumin_g_dl")), "3.5", "2.8"),
        coag,
        None if asc is None else int(asc),
        None if enc is None else int(enc),
    )
    if total is None:
        return None, None
    return total, "A" if total <= 6 else "B" if total <= 9 else "C"


def _labs(r: Mapping[str, Any], cr_max: int) -> tuple[Decimal, Decimal, Decimal] | None:
    b, i, c = _dec(r.get("bilirubin_mg_dl")), _dec(r.get("inr")), _dec(r.get("creatinine_mg_dl"))
    dial = _dec(r.get("dialysis", False))
    if b is None or i is None or c is None or dial is None:
        return None
    c = Decimal(cr_max) if dial == 1 else min(max(c, _ONE), Decimal(cr_max))
    return max(b, _ONE), max(i, _ONE), c


def _meld_i(r: Mapping[str, Any]) -> Decimal | None:
    labs = _labs(r, 4)
    if labs is None:
        return None
    b, i, c = labs
    raw = (Decimal("0.957") * c.ln() + Decimal("0.378") * b.ln() + Decimal("1.120") * i.ln()
           + Decimal("0.643"))
    return _half_up(raw, "0.1") * 10


def _meld_na(r: Mapping[str, Any], meld_i: Decimal | None) -> Decimal | None:
    na = _dec(r.get("sodium_mmol_l"))
    if meld_i is None or na is None:
        return None
    if meld_i <= 11:
        return min(meld_i, Decimal(40))
    d = 137 - min(max(na, Decimal(125)), Decimal(137))
    return min(_half_up(meld_i + Decimal("1.32") * d - Decimal("0.033") * meld_i * d), Decimal(40))


def _meld_3(r: Mapping[str, Any]) -> Decimal | None:
    labs = _labs(r, 3)
    na, alb, fem = _dec(r.get("sodium_mmol_l")), _dec(r.get("albumin_g_dl")), _dec(r.get("female"))
    optn = bool(r.get("optn_rules", True))
    young = _dec(r.get("registered_before_18", False))
    if labs is None or na is None or alb is None or fem is None or young is None:
        return None
    b, i, c = labs
    d_na = 137 - min(max(na, Decimal(125)), Decimal(137))
    d_alb = Decimal("3.5") - min(max(alb, Decimal("1.5")), Decimal("3.5"))
    # OPTN: registered before 18 -> the 1.33 points whatever the sex (constant 7.33 = 1.33 + 6)
    sex = Decimal("1.33") if (optn and young == 1) else Decimal("1.33") * fem
    lb, lc = b.ln(), c.ln()
    raw = (sex + Decimal("4.56") * lb + Decimal("0.82") * d_na - Decimal("0.24") * d_na * lb
           + Decimal("9.09") * i.ln() + Decimal("11.14") * lc + Decimal("1.85") * d_alb
           - Decimal("1.83") * d_alb * lc + 6)
    value = _half_up(raw)
    return min(max(value, Decimal(6)), Decimal(40)) if optn else value


def _albi(r: Mapping[str, Any]) -> tuple[Decimal | None, int | None]:
    b_si = _dec(r.get("bilirubin_umol_l"))
    if b_si is None:
        b = _dec(r.get("bilirubin_mg_dl"))
        b_si = None if b is None else b * Decimal("17.1")
    a_si = _dec(r.get("albumin_g_l"))
    if a_si is None:
        a = _dec(r.get("albumin_g_dl"))
        a_si = None if a is None else a * 10
    if b_si is None or a_si is None:
        return None, None
    coef = Decimal(repr(float(r.get("albumin_coefficient", -0.085))))
    value = Decimal("0.66") * b_si.log10() + coef * a_si
    grade = 1 if value <= Decimal("-2.60") else 2 if value <= Decimal("-1.39") else 3
    return value, grade


def _igf_ctp(r: Mapping[str, Any]) -> tuple[int | None, str | None]:
    total = _sum(
        _down(_dec(r.get("igf1_ng_ml")), "50", "26"),
        _bili_points(_dec(r.get("bilirubin_mg_dl")), _dec(r.get("cholestatic", False))),
        _down(_dec(r.get("albumin_g_dl")), "3.5", "2.8"),
        _up(_dec(r.get("pt_prolongation_s")), "4", "6"),
    )
    if total is None:
        return None, None
    return total, "A" if total <= 5 else "B" if total <= 7 else "C"


def _mayo(r: Mapping[str, Any]) -> Decimal | None:
    b, a = _dec(r.get("bilirubin_mg_dl")), _dec(r.get("albumin_g_dl"))
    age, pt, ed = _dec(r.get("age_years")), _dec(r.get("prothrombin_time_s")), _dec(r.get("edema"))
    if b is None or a is None or age is None or pt is None or ed is None:
        return None
    return (Decimal("0.871") * b.ln() - Decimal("2.53") * a.ln() + Decimal("0.039") * age
            + Decimal("2.38") * pt.ln() + Decimal("0.859") * ed)


def _f(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


def reference_row_scores(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every score for one patient, computed per row in exact decimal arithmetic.

    ``row`` uses the keyword names of the vectorised functions (``bilirubin_mg_dl``,
    ``albumin_g_dl``, ``inr``, ``pt_prolongation_s``, ``creatinine_mg_dl``, ``sodium_mmol_l``,
    ``ascites_points``, ``encephalopathy_points``, ``cholestatic``, ``dialysis``, ``female``,
    ``igf1_ng_ml``, ``age_years``, ``prothrombin_time_s``, ``edema``; optional
    ``bilirubin_umol_l``/``albumin_g_l`` for ALBI (else converted with 17.1 and 10),
    ``albumin_coefficient``, ``optn_rules``, ``registered_before_18``). Missing or NaN -> None.

    Returns floats (None if missing) under ``child_pugh_points``, ``child_pugh_grade``,
    ``meld``, ``meld_na``, ``meld_3``, ``albi``, ``albi_grade``, ``igf_ctp_points``,
    ``igf_ctp_grade``, ``mayo_pbc``.
    """
    with localcontext() as ctx:
        ctx.prec = 40
        cp_points, cp_grade = _child_pugh(row)
        meld_i = _meld_i(row)
        albi_value, albi_grade = _albi(row)
        igf_points, igf_grade = _igf_ctp(row)
        return {
            "child_pugh_points": _f(None if cp_points is None else Decimal(cp_points)),
            "child_pugh_grade": cp_grade,
            "meld": _f(None if meld_i is None else min(meld_i, Decimal(40))),
            "meld_na": _f(_meld_na(row, meld_i)),
            "meld_3": _f(_meld_3(row)),
            "albi": _f(albi_value),
            "albi_grade": None if albi_grade is None else float(albi_grade),
            "igf_ctp_points": _f(None if igf_points is None else Decimal(igf_points)),
            "igf_ctp_grade": igf_grade,
            "mayo_pbc": _f(_mayo(row)),
        }
