"""Result objects of the clinical scores: frozen dataclasses of numpy arrays.

Every field is an array of the broadcast shape of the inputs (0-d for scalar input); NaN
(or None in the object arrays of grade labels) marks a missing result. Point scores are
float64 so that NaN can mark a missing component.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from igfcirrhosis.domain.scores_common import FloatArray, ObjectArray, labels_from_codes

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes


def _to_python(arr: NDArray[Any]) -> Any:
    """An array as JSON-friendly Python values: NaN -> None, numpy scalars -> Python."""
    if arr.ndim == 0:
        item = arr.item()
        return None if isinstance(item, float) and item != item else item
    if arr.dtype == object:
        out = arr.tolist()
    else:
        obj = arr.astype(object)
        if arr.dtype.kind == "f":
            obj[np.isnan(arr)] = None
        out = obj.tolist()
    return out


class _ScoreResult:
    """Shared behaviour: ``to_dict()`` (JSON-friendly), ``summary`` (a DataFrame), ``plot``."""

    label: ClassVar[str] = "score"
    derived: ClassVar[tuple[str, ...]] = ()
    """Fields computed from the others on first read (cached), listed after them."""

    def _names(self) -> list[str]:
        return [f.name for f in dataclasses.fields(self)] + list(self.derived)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        # numpy ufuncs return numpy scalars for 0-d input: store every field as an ndarray.
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is not None and not isinstance(value, np.ndarray):
                object.__setattr__(self, f.name, np.asarray(value))

    def to_dict(self) -> dict[str, Any]:
        """Field name -> value (0-d) or list of values, with None for missing (never NaN)."""
        return {
            name: _to_python(getattr(self, name))
            for name in self._names()
            if getattr(self, name) is not None
        }

    @property
    def summary(self) -> pd.DataFrame:
        """One row per patient, one column per field (pandas is imported here, lazily)."""
        import pandas as pd

        cols = {
            name: np.atleast_1d(getattr(self, name))
            for name in self._names()
            if getattr(self, name) is not None
        }
        return pd.DataFrame(cols)

    def plot(self, ax: Axes | None = None) -> Axes:
        """Distribution over patients (matplotlib imported here, lazily): bars of the count per
        class/grade, with missing results as a last bar, for graded scores; a histogram of
        ``value`` otherwise. Returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        name = self.label
        grade = getattr(self, "grade", None)
        if grade is not None:
            flat = np.atleast_1d(grade).ravel()
            if flat.dtype == object:
                labels = ["A", "B", "C"]
                counts = [int(np.sum(flat == lab)) for lab in labels]
                missing = int(sum(g is None for g in flat))
            else:
                labels = ["1", "2", "3"]
                counts = [int(np.sum(flat == k)) for k in (1.0, 2.0, 3.0)]
                missing = int(np.isnan(flat).sum())
            ax.bar([*labels, "missing"], [*counts, missing])
            ax.set_xlabel(f"{name} class" if flat.dtype == object else f"{name} grade")
        else:
            values = np.atleast_1d(self.value).ravel()  # type: ignore[attr-defined]
            ax.hist(values[~np.isnan(values)], bins="auto")
            ax.set_xlabel(f"{name} score")
        ax.set_ylabel("patients")
        return ax


class _ClassLabels:
    """``grade``: the class labels "A" / "B" / "C" (None where missing) from the int8
    ``grade_code``, made on first read: the object array costs more than the whole score."""

    grade_code: NDArray[np.int8]
    derived: ClassVar[tuple[str, ...]] = ("grade",)

    @cached_property
    def grade(self) -> ObjectArray:
        """The class as "A" / "B" / "C", None where missing (from ``grade_code``)."""
        return labels_from_codes(self.grade_code, ("A", "B", "C"))


@dataclass(frozen=True, kw_only=True)
class ChildPughResult(_ClassLabels, _ScoreResult):
    """Child-Pugh points per component (1-3, NaN if missing; None with ``detail=False``),
    total (5-15) and class.

    ``grade_code`` holds the class as int8 0 (missing) / 1 / 2 / 3; ``grade`` the same as
    "A" (5-6), "B" (7-9), "C" (10-15) or None (an object array made on first read).
    """

    label: ClassVar[str] = "Child-Pugh"

    points_bilirubin: FloatArray | None = None
    points_albumin: FloatArray | None = None
    points_coagulation: FloatArray | None = None
    points_ascites: FloatArray | None = None
    points_encephalopathy: FloatArray | None = None
    points: FloatArray
    grade_code: NDArray[np.int8]


@dataclass(frozen=True, kw_only=True)
class MeldResult(_ScoreResult):
    """A MELD-family score.

    ``value``: the score as allocated (integer-valued float, NaN if missing).
    ``unrounded``: the formula's value before its final rounding and cap (see each function).
    ``meld_i``: MELD(i), the rounded MELD used inside MELD-Na (None for MELD 3.0).
    ``*_used``: the inputs after the score's bounds and dialysis rule (None if not used).
    With ``detail=False`` only ``value`` is filled in.
    """

    label: ClassVar[str] = "MELD"

    value: FloatArray
    unrounded: FloatArray | None = None
    bilirubin_used: FloatArray | None = None
    inr_used: FloatArray | None = None
    creatinine_used: FloatArray | None = None
    meld_i: FloatArray | None = None
    sodium_used: FloatArray | None = None
    albumin_used: FloatArray | None = None


@dataclass(frozen=True)
class AlbiResult(_ScoreResult):
    """ALBI score (unitless, unrounded) and ALBI grade 1/2/3 (float, NaN if missing)."""

    label: ClassVar[str] = "ALBI"

    value: FloatArray
    grade: FloatArray


@dataclass(frozen=True, kw_only=True)
class IgfCtpResult(_ClassLabels, _ScoreResult):
    """IGF-CTP (Kaseb-Morris) points per component (1-3; None with ``detail=False``), total
    (4-12) and class.

    ``grade_code`` holds the class as int8 0/1/2/3; ``grade`` the same as "A" (4-5),
    "B" (6-7), "C" (8-12) or None (an object array made on first read).
    """

    label: ClassVar[str] = "IGF-CTP"

    points_igf1: FloatArray | None = None
    points_bilirubin: FloatArray | None = None
    points_albumin: FloatArray | None = None
    points_pt: FloatArray | None = None
    points: FloatArray
    grade_code: NDArray[np.int8]


@dataclass(frozen=True)
class MayoPbcResult(_ScoreResult):
    """Mayo PBC risk score R (unitless linear predictor, NaN if missing)."""

    label: ClassVar[str] = "Mayo PBC risk"

    value: FloatArray
