"""The assessment JSON validates against its schema, complete or not, and the schema bites."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

from igfcirrhosis.domain.assessment import assess

from .test_assessment_contract import EXAMPLE


def _schema() -> dict[str, Any]:
    text = resources.files("igfcirrhosis").joinpath("schemas", "assessment.schema.json").read_text()
    return json.loads(text)


@pytest.mark.parametrize("inputs", [
    EXAMPLE,
    {"bilirubin": "2.1"},
    {**EXAMPLE, "albumin": "35 g/dL", "prothrombin_time_prolongation": "5 s",
     "prothrombin_time": "14", "edema": "0", "etiology": "PBC", "dialysis": "no"},
])
def test_assessment_validates(inputs: dict[str, str]) -> None:
    jsonschema.validate(assess(inputs).to_dict(), _schema())


def test_schema_rejects_a_broken_object() -> None:
    d = assess(EXAMPLE).to_dict()
    broken = copy.deepcopy(d)
    del broken["scores"]["meld_3"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, _schema())
    broken = copy.deepcopy(d)
    broken["scores"]["child_pugh"]["class"] = "D"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, _schema())
