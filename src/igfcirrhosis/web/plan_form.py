"""The analysis-plan form: a plan (TOML) built from a few choices for a stored cohort, then
edited on the page or replaced by an uploaded plan file. ``[data] path`` is set by the server."""

from __future__ import annotations

from typing import Any

HEADER = '''# Analysis plan for {name}. [data] path is set by the server to this cohort.
title = "Cohort analysis: {name}"
# The report follows your page language (English or 简体中文) unless you set it here:
# language = "zh"

[data]
score = true            # append Child-Pugh, MELD, MELD-Na, MELD 3.0, ALBI, IGF-CTP

[data.derive]
log_igf1 = "log(igf1)"

[outcome]
time = "time"
event = "event"
time_unit = "days"
'''

BLOCKS: dict[str, str] = {
    "table1": '''
[[analysis]]
id = "table1_child_pugh"
type = "table1"
title = "IGF-I, IGF-II and IGFBP-3 by Child-Pugh class"
by = "child_pugh_class"
ordered = true
continuous = ["igf1", "igf2", "igfbp3", "meld_na"]
''',
    "km_igf1": '''
[[analysis]]
id = "km_igf1_cut"
type = "km"
title = "Survival by IGF-I {cut:g} ng/mL"
cut = {{ column = "igf1", at = {cut:g}, positive_if = "<" }}
horizons = [90, 365]
''',
    "km_child_pugh": '''
[[analysis]]
id = "km_child_pugh"
type = "km"
title = "Survival by Child-Pugh class"
by = "child_pugh_class"
trend = true
horizons = [90, 365]
''',
    "cox": '''
[[analysis]]
id = "cox_meld_igf1"
type = "cox"
title = "IGF-I added to MELD-Na"
covariates = ["meld_na", "log_igf1"]
''',
    "cutpoint": '''
[[analysis]]
id = "cut_igf1"
type = "cutpoint"
title = "Data-derived IGF-I cut-point"
marker = "igf1"
pmethod = "Lau94"
youden_within = 90
direction = ">"
''',
}
CHOICES = tuple(BLOCKS)


def build_plan(name: str, analyses: tuple[str, ...] = CHOICES[:4], igf1_cut: float = 13.0
               ) -> str:
    """The TOML plan for cohort ``name`` with the chosen analyses (keys of BLOCKS)."""
    safe = name.replace('"', "'").replace("\\", "/")
    text = HEADER.format(name=safe)
    for key in CHOICES:
        if key in analyses:
            text += BLOCKS[key].format(cut=igf1_cut)
    return text


def default_plan(cohort: dict[str, Any]) -> str:
    return build_plan(str(cohort.get("name", "cohort")))
