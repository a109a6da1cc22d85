"""The validation figure: every row drawn on its own tolerance scale, outside rows in the
outside colour, clipped values as triangles; checks on a log2 scale; files by extension."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.colors import to_hex

from igfcirrhosis.model.validation_plot import (
    CLIP,
    INSIDE,
    OUTSIDE,
    save_validation_figure,
    tolerance_position,
    validation_figure,
)


def _row(id_: str, value: float | None, lower: float, upper: float) -> dict[str, Any]:
    within = value is not None and lower <= value <= upper
    return {"id": id_, "unit": "ng/mL", "simulated": value, "within": within,
            "expected": {"lower": lower, "upper": upper, "text": ""}}


def _points(ax: Any) -> list[tuple[float, float, str, str]]:
    """(x, y, colour, marker) of every single-point line drawn on ``ax``."""
    out = []
    for line in ax.get_lines():
        x, y = line.get_xdata(), line.get_ydata()
        if len(x) == 1:
            out.append((float(x[0]), float(y[0]), to_hex(line.get_color()),
                        str(line.get_marker())))
    return out


def test_tolerance_position_maps_the_bounds_to_0_and_1() -> None:
    assert tolerance_position(10.0, 10.0, 12.0) == 0.0
    assert tolerance_position(12.0, 10.0, 12.0) == 1.0
    assert tolerance_position(4.69, 10.0, 12.0) == pytest.approx(-2.655)


def test_rows_are_placed_coloured_and_clipped() -> None:
    rows = [_row("inside", 200.0, 150.0, 250.0), _row("below", 40.0, 50.0, 60.0),
            _row("far_above", 1000.0, 0.0, 10.0), _row("missing", None, 0.0, 1.0)]
    fig = validation_figure(rows)
    pts = _points(fig.axes[0])
    assert len(pts) == 3  # the missing value is written, not drawn
    inside, below, far = pts
    assert inside[:2] == (0.5, 3.0) and inside[2] == INSIDE and inside[3] == "o"
    assert below[:2] == (-1.0, 2.0) and below[2] == OUTSIDE
    assert far[0] == CLIP[1] and far[3] == ">" and far[2] == OUTSIDE
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "not computed" in texts and "inside  [150-250 ng/mL]" in texts
    assert "1 of 4 within tolerance" in fig.axes[0].get_title()


def test_checks_panel_is_log2_of_the_ratio_and_says_when_there_is_none() -> None:
    checks = [{"id": "half", "unit": "h", "simulated": 1.0, "ratio": 0.5,
               "published_text": "2 h"},
              {"id": "none", "unit": "%", "simulated": 35.0, "ratio": None,
               "published_text": "unchanged"}]
    fig = validation_figure([_row("r", 1.0, 0.0, 2.0)], checks)
    assert len(fig.axes) == 2
    (x, y, _, _), = _points(fig.axes[1])
    assert (x, y) == (-1.0, 1.0)
    assert "model 35 vs unchanged" in [t.get_text() for t in fig.axes[1].texts]


def test_the_shipped_table_draws_one_point_per_computed_row() -> None:
    from igfcirrhosis.model.validation import validation_table

    rows = validation_table()
    pts = _points(validation_figure(rows).axes[0])
    assert len(pts) == sum(r["simulated"] is not None for r in rows)
    colours = [p[2] for p in pts]
    assert colours.count(OUTSIDE) == sum(not r["within"] for r in rows)
    assert np.all([CLIP[0] <= p[0] <= CLIP[1] for p in pts])


def test_files_by_extension(tmp_path: Path) -> None:
    fig = validation_figure([_row("r", 1.0, 0.0, 2.0)])
    svg = save_validation_figure(fig, tmp_path / "v.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<dc:date>" not in svg
    assert save_validation_figure(fig, tmp_path / "v.PNG").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match=r"expected a \.png or \.svg file"):
        save_validation_figure(fig, tmp_path / "v.pdf")
