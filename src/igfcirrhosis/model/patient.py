"""Patient states: healthy and Child-Pugh A/B/C presets (a calibration) or explicit values."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from igfcirrhosis.model.parameters import data_dir

PRESET_NAMES = ("healthy", "child_pugh_a", "child_pugh_b", "child_pugh_c")


@dataclass(frozen=True)
class PatientState:
    """Disease state: functional liver mass and GH-receptor density (healthy 1), injury drive."""

    label: str
    liver_mass: float
    ghr_density: float
    injury: float

    def parameters(self) -> dict[str, float]:
        """Model parameter ids for this state."""
        return {"Hmass_base": self.liver_mass, "ghr": self.ghr_density, "tgf": self.injury}


@lru_cache(maxsize=1)
def presets() -> dict[str, dict[str, Any]]:
    """The preset table (presets.toml) as loaded."""
    with (data_dir() / "presets.toml").open("rb") as fh:
        return tomllib.load(fh)


def preset(name: str) -> PatientState:
    """A named preset; KeyError lists the valid names."""
    table = presets()
    if name not in table:
        raise KeyError(f"unknown patient state {name!r}; expected one of {list(PRESET_NAMES)}")
    row = table[name]
    return PatientState(name, float(row["liver_mass"]), float(row["ghr_density"]),
                        float(row["injury"]))


def preset_cv(name: str) -> dict[str, float]:
    """Between-patient log-normal CVs of the disease parameters for a preset."""
    return {k: float(v) for k, v in presets()[name]["cv"].items()}
