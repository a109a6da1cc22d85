"""Bad input gives clear errors that name the position (never silently dropped)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.stats.survival import kaplan_meier
from igfcirrhosis.stats.survival_data import SurvivalDataError, survival_frame


@pytest.mark.parametrize(
    ("time", "event", "message"),
    [
        ([1.0, -2.0], [1, 0], "time at position 1 is negative"),
        ([1.0, np.nan], [1, 0], "time at position 1 is nan"),
        ([1.0, np.inf], [1, 0], "time at position 1 is inf"),
        ([1.0, 2.0], [1, 2], "event at position 1 is 2.0; expected one of 0, 1"),
        ([1.0, 2.0], [1], "time has 2 values but event has 1"),
        ([], [], "no observations"),
    ],
)
def test_bad_arrays(time: list[float], event: list[int], message: str) -> None:
    with pytest.raises(SurvivalDataError, match=message.replace(".", r"\.")):
        kaplan_meier(time, event)


def test_frame_drop_is_counted() -> None:
    df = pd.DataFrame({"t": [1.0, None, 3.0], "e": [1, 0, None]}, index=["a", "b", "c"])
    with pytest.raises(SurvivalDataError, match="row 'b': column 't' is missing"):
        survival_frame(df, ["t", "e"])
    f = survival_frame(df, ["t", "e"], dropna=True)
    assert (f.n_input, f.n_dropped, f.dropped_index) == (3, 2, ["b", "c"])


def test_unknown_column() -> None:
    with pytest.raises(SurvivalDataError, match="not in the data: nope"):
        survival_frame(pd.DataFrame({"t": [1]}), ["t", "nope"])
