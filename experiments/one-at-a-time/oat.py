"""One parameter at a time to each bound of its parameters.tsv range: the validation table
and selected out-of-table checks (2026-12-05). Not part of the package; run from the repo root:

    .venv/bin/python experiments/one-at-a-time/oat.py > experiments/one-at-a-time/oat.tsv
"""

from __future__ import annotations

import sys

from igfcirrhosis.model.checks import checks_table
from igfcirrhosis.model.engine import IgfModel
from igfcirrhosis.model.parameters import default_parameters
from igfcirrhosis.model.sbml import _sbml_for, antimony_source
from igfcirrhosis.model.validation import validation_table

PARAMS = ["f_tern0", "A0", "Jtot0", "kon1", "kon2", "kon3", "Kd3", "k_free", "kcl_b", "kcl_t",
          "kcl_B", "kcl_A", "kcl_O", "kcl_io", "f_GH_liver", "f_extra_I", "f_basal_B",
          "f_basal_A", "f_extra_J", "fb_rel", "n_fb", "ka", "V_kg"]
CHECKS = ["frystyk_free_cl", "frystyk_high_free_x", "guler_infusion_igf1_x",
          "guler_infusion_igf2_change", "guler_infusion_igf1_200kd_share",
          "healthy_qd_trough_rise", "ghrd_q12h_peak_d7", "ghrd_q12h_igfbp3_change"]


def model(overrides: dict[str, float]) -> IgfModel:
    return IgfModel(sbml=_sbml_for(antimony_source(overrides, fast=True)),
                    rules_sbml=_sbml_for(antimony_source(overrides)))


def row(label: str, value: str, overrides: dict[str, float]) -> str:
    m = model(overrides)
    rows = validation_table(m)
    checks = {c["id"]: c["simulated"] for c in checks_table(m)}
    failing = ",".join(str(r["id"]) for r in rows if not r["within"])
    n = sum(bool(r["within"]) for r in rows)
    return "\t".join([label, value, str(n), failing, *(f"{checks[c]:.4g}" for c in CHECKS)])


def main() -> None:
    table = default_parameters()
    print("\t".join(["parameter", "value", "n_within", "failing", *CHECKS]))
    print(row("(shipped)", "", {}), flush=True)
    for name in PARAMS:
        p = table[name]
        for bound in (p.lower, p.upper):
            if bound != p.value:
                print(row(name, f"{bound:g} (shipped {p.value:g})", {name: bound}), flush=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
