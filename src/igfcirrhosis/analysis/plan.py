"""The analysis plan: TOML → validated :class:`Plan`, every error naming its key.

A plan has ``title``, optional ``language`` ("en"), ``[data]``, ``[outcome]`` and one or more
``[[analysis]]`` tables, each with a ``type`` (and optionally ``id``, ``title`` and a
``filter`` expression that restricts that analysis, e.g. ``filter = "trt notna"``). The keys each type accepts, their kinds, defaults
and allowed values are declared once in :data:`ANALYSIS_FIELDS`; :func:`load_plan` checks the
plan against that table (unknown keys, missing keys, wrong types, bad choices, expressions that
do not parse); :mod:`.checks` then checks, once the data are prepared and before anything
runs, that every column a plan names exists and holds suitable values. ``analysis[k]`` counts from 1.

Example::

    title = "Mayo PBC"
    [data]
    path = "package:pbc/pbc.csv"        # or a path relative to the plan, or "demo:n=400,seed=1"
    id = "id"
    filter = "trt notna"
    [data.derive]
    dead = "status == 2"
    log_bili = "log(bili)"
    [outcome]
    time = "time"
    event = "dead"
    time_unit = "days"
    [[analysis]]
    type = "km"
    cut = { column = "bili", at = 2 }
    horizons = [365, 1825]
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from igfcirrhosis.analysis.errors import ExpressionError, PlanError
from igfcirrhosis.analysis.expressions import Expression, parse
from igfcirrhosis.analysis.messages import LANGUAGES, normalize_language


@dataclass(frozen=True)
class Field:
    """One key of an analysis table: its kind, whether required, default and allowed values."""

    kind: str  # column, columns, str, bool, float, floats, choice, choices, outcome, rules,
    # pairs, cut, nested, markers, labels, values
    required: bool = False
    default: Any = None
    choices: tuple[Any, ...] = ()
    help: str = ""


_SURV = {
    "time": Field("column", help="follow-up time column (default: [outcome].time)"),
    "event": Field("column", help="0/1 event column (default: [outcome].event)"),
}
_DIRECTIONS = ("<", ">")
_POSITIVE = (">=", ">", "<=", "<")

#: type -> key -> Field. ``type``, ``id`` and ``title`` are accepted by every type.
ANALYSIS_FIELDS: dict[str, dict[str, Field]] = {
    "table1": {
        "by": Field("column", required=True),
        "levels": Field("values", default=[]),
        "ordered": Field("bool", default=False),
        "continuous": Field("columns", default=[]),
        "categorical": Field("columns", default=[]),
        "summary": Field("choice", default="auto", choices=("auto", "mean", "median")),
    },
    "correlation": {"pairs": Field("pairs", required=True)},
    "km": {
        **_SURV,
        "by": Field("column"),
        "levels": Field("values", default=[]),
        "cut": Field("cut"),
        "horizons": Field("floats", default=[]),
        "trend": Field("bool", default=False),
        "conf_type": Field("choice", default="log", choices=("log", "log-log", "plain")),
    },
    "cox": {
        **_SURV,
        "covariates": Field("columns", required=True),
        "ties": Field("choice", default="efron", choices=("efron", "breslow")),
        "ph_test": Field("bool", default=True),
    },
    "compare_models": {
        **_SURV,
        "scores": Field("columns", default=[]),
        "nested": Field("nested"),
        "ties": Field("choice", default="efron", choices=("efron", "breslow")),
    },
    "cutpoint": {
        **_SURV,
        "marker": Field("column", required=True),
        "pmethod": Field("choice", default="Lau94", choices=("Lau92", "Lau94")),
        "minprop": Field("float", default=0.1),
        "maxprop": Field("float", default=0.9),
        "youden_within": Field("float"),
        "direction": Field("choice", default="<", choices=_DIRECTIONS),
    },
    "roc": {
        "markers": Field("markers", required=True),
        "outcome": Field("outcome", required=True),
        "paired": Field("bool", default=True),
    },
    "diagnostic": {
        "rules": Field("rules", required=True),
        "outcome": Field("outcome", required=True),
    },
    "combined": {
        "rules": Field("rules", required=True),
        "outcome": Field("outcome", required=True),
        "combine": Field("choices", default=["either", "both"], choices=("either", "both")),
        "logistic": Field("bool", default=True),
    },
    "competing": {
        "time": Field("column"),
        "status": Field("column", required=True),
        "event_code": Field("float", required=True),
        "censor_code": Field("float", default=0.0),
        "by": Field("column"),
        "covariates": Field("columns", default=[]),
        "horizons": Field("floats", default=[]),
        "cause_labels": Field("labels", default={}),
    },
    "logistic": {
        "outcome": Field("outcome", required=True),
        "covariates": Field("columns", required=True),
    },
    "paired": {
        "before": Field("column", required=True),
        "after": Field("column", required=True),
    },
}
TYPES = tuple(ANALYSIS_FIELDS)
_COMMON = ("type", "id", "title", "filter")
_DATA_KEYS = ("path", "format", "data_dictionary", "sheet", "id", "filter", "derive", "score",
              "units", "synthetic")  # fmt: skip
_TOP_KEYS = ("title", "language", "synthetic", "data", "outcome", "analysis")


@dataclass(frozen=True)
class DataSpec:
    path: str
    format: str | None = None
    data_dictionary: str | None = None
    sheet: str | int | None = None
    id: str | None = None
    filter: Expression | None = None
    derive: dict[str, Expression] = field(default_factory=dict)
    score: bool = False
    units: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OutcomeSpec:
    time: str | None = None
    event: str | None = None
    time_unit: str = "days"


@dataclass(frozen=True)
class AnalysisSpec:
    index: int  # 1-based position among [[analysis]]
    id: str
    type: str
    title: str
    params: dict[str, Any]
    filter: Expression | None = None

    @property
    def key(self) -> str:
        return f"analysis[{self.index}]"


@dataclass(frozen=True)
class Plan:
    title: str
    data: DataSpec
    outcome: OutcomeSpec
    analyses: list[AnalysisSpec]
    base_dir: Path
    source: str  # the plan file name as given
    text: str  # the plan file as read (hashed for provenance)
    language: str = "en"
    synthetic: bool | None = None


def _unknown(key: str, got: str, allowed: Sequence[str]) -> PlanError:
    near = difflib.get_close_matches(got, allowed, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return PlanError(key, f"unknown key {got!r}{hint}; allowed: {', '.join(allowed)}")


def _expect_table(key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PlanError(key, f"expected a table, got {type(value).__name__} {value!r}")
    return value


def _str(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PlanError(key, f"expected a non-empty string, got {value!r}")
    return value


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PlanError(key, f"expected a number, got {value!r}")
    return float(value)


def _expr(key: str, value: Any) -> Expression:
    try:
        return parse(_str(key, value))
    except ExpressionError as exc:
        raise PlanError(key, str(exc)) from None


def load_plan(path: str | Path) -> Plan:
    """Read and validate the plan at ``path``; raises :class:`PlanError`."""
    p = Path(path)
    if not p.is_file():
        raise PlanError("", f"{p}: plan file not found")
    text = p.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError("", f"{p}: not valid TOML ({exc})") from None
    return parse_plan(raw, base_dir=p.resolve().parent, source=p.name, text=text)


def parse_plan(
    raw: Mapping[str, Any], *, base_dir: Path, source: str = "<plan>", text: str = ""
) -> Plan:
    """Validate a plan given as a mapping (the parsed TOML)."""
    for k in raw:
        if k not in _TOP_KEYS:
            raise _unknown(k, k, _TOP_KEYS)
    title = _str("title", raw.get("title", "Cohort analysis"))
    try:  # "zh-CN" and "zh_CN" mean "zh"
        language = normalize_language(_str("language", raw.get("language", "en")))
    except ValueError:
        raise PlanError("language", f"expected one of {LANGUAGES}, got "
                        f"{raw.get('language')!r}") from None  # fmt: skip
    synthetic = raw.get("synthetic")
    if synthetic is not None and not isinstance(synthetic, bool):
        raise PlanError("synthetic", f"expected true or false, got {synthetic!r}")
    if "data" not in raw:
        raise PlanError("data", "missing: the plan needs a [data] table with path = ...")
    raw_data = raw["data"]
    if isinstance(raw_data, str):  # shorthand: data = "package:pbc/pbc.csv"
        raw_data = {"path": raw_data}
    data = _data(_expect_table("data", raw_data))
    outcome = _outcome(_expect_table("outcome", raw.get("outcome", {})))
    items = raw.get("analysis")
    if items is None:
        raise PlanError("analysis", "missing: add at least one [[analysis]] table")
    if not isinstance(items, list) or not items:
        raise PlanError("analysis", "expected a non-empty array of tables ([[analysis]])")
    analyses: list[AnalysisSpec] = []
    seen: set[str] = set()
    for i, item in enumerate(items, start=1):
        spec = _analysis(i, _expect_table(f"analysis[{i}]", item), outcome)
        if spec.id in seen:
            raise PlanError(f"analysis[{i}].id", f"duplicate id {spec.id!r}")
        seen.add(spec.id)
        analyses.append(spec)
    return Plan(title, data, outcome, analyses, base_dir, source, text, language, synthetic)


def _data(t: Mapping[str, Any]) -> DataSpec:
    for k in t:
        if k not in _DATA_KEYS:
            raise _unknown(f"data.{k}", k, _DATA_KEYS)
    if "path" not in t:
        raise PlanError("data.path", "missing (a file, 'package:pbc/pbc.csv' or 'demo:n=400')")
    derive_t = _expect_table("data.derive", t.get("derive", {}))
    derive = {}
    for name, expr in derive_t.items():
        if not name.replace("_", "a").replace(".", "a").isalnum() or name[0].isdigit():
            raise PlanError(f"data.derive.{name}", "a derived column name must be an identifier")
        derive[name] = _expr(f"data.derive.{name}", expr)
    units_t = _expect_table("data.units", t.get("units", {}))
    units = {k: _str(f"data.units.{k}", v) for k, v in units_t.items()}
    score = t.get("score", False)
    if not isinstance(score, bool):
        raise PlanError("data.score", f"expected true or false, got {score!r}")
    sheet = t.get("sheet")
    if sheet is not None and not isinstance(sheet, (str, int)):
        raise PlanError("data.sheet", f"expected a sheet name or number, got {sheet!r}")
    return DataSpec(
        path=_str("data.path", t["path"]),
        format=_str("data.format", t["format"]) if "format" in t else None,
        data_dictionary=_str("data.data_dictionary", t["data_dictionary"])
        if "data_dictionary" in t
        else None,
        sheet=sheet,
        id=_str("data.id", t["id"]) if "id" in t else None,
        filter=_expr("data.filter", t["filter"]) if "filter" in t else None,
        derive=derive,
        score=score,
        units=units,
    )


def _outcome(t: Mapping[str, Any]) -> OutcomeSpec:
    allowed = ("time", "event", "time_unit")
    for k in t:
        if k not in allowed:
            raise _unknown(f"outcome.{k}", k, allowed)
    return OutcomeSpec(
        time=_str("outcome.time", t["time"]) if "time" in t else None,
        event=_str("outcome.event", t["event"]) if "event" in t else None,
        time_unit=_str("outcome.time_unit", t.get("time_unit", "days")),
    )


def _analysis(i: int, t: Mapping[str, Any], outcome: OutcomeSpec) -> AnalysisSpec:
    key = f"analysis[{i}]"
    if "type" not in t:
        raise PlanError(f"{key}.type", f"missing; one of {', '.join(TYPES)}")
    typ = t["type"]
    if typ not in ANALYSIS_FIELDS:
        near = difflib.get_close_matches(str(typ), TYPES, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise PlanError(f"{key}.type", f"unknown type {typ!r}{hint}; one of {', '.join(TYPES)}")
    fields = ANALYSIS_FIELDS[typ]
    allowed = (*_COMMON, *fields)
    for k in t:
        if k not in allowed:
            raise _unknown(f"{key}.{k}", k, allowed)
    aid = _str(f"{key}.id", t.get("id", f"{typ}_{i}"))
    if not aid.replace("_", "a").replace("-", "a").isalnum():
        raise PlanError(f"{key}.id", f"use letters, digits, '_' or '-' only, got {aid!r}")
    params: dict[str, Any] = {}
    for name, f in fields.items():
        k = f"{key}.{name}"
        if name not in t:
            if f.required:
                raise PlanError(k, f"missing (required for type {typ!r})")
            params[name] = f.default
            continue
        params[name] = _value(k, f, t[name])
    for name in ("time", "event"):
        if name in fields and params.get(name) is None:
            params[name] = getattr(outcome, name)
            if params[name] is None and typ != "competing":
                raise PlanError(f"{key}.{name}", f"missing: set it here or in [outcome].{name}")
    if typ == "competing" and params["time"] is None:
        raise PlanError(f"{key}.time", "missing: set it here or in [outcome].time")
    _cross_checks(key, typ, params, outcome)
    flt = _expr(f"{key}.filter", t["filter"]) if "filter" in t else None
    title = _str(f"{key}.title", t["title"]) if "title" in t else ""
    return AnalysisSpec(i, aid, typ, title, params, flt)


def _cross_checks(key: str, typ: str, p: dict[str, Any], outcome: OutcomeSpec) -> None:
    if typ == "km" and p["by"] is not None and p["cut"] is not None:
        raise PlanError(f"{key}.cut", "give either 'by' or 'cut', not both")
    if p.get("levels") and p.get("by") is None:
        raise PlanError(f"{key}.levels", "levels order the groups of 'by': set 'by'")
    if typ == "km" and p["trend"] and p["by"] is None:
        raise PlanError(f"{key}.trend", "a trend test needs ordered groups: set 'by'")
    if typ == "compare_models" and not p["scores"] and p["nested"] is None:
        raise PlanError(key, "compare_models needs 'scores' (C-index) and/or 'nested' (LR test)")
    if typ == "combined" and len(p["rules"]) < 2:
        raise PlanError(f"{key}.rules", "a combined rule needs at least two marker rules")
    if typ == "cutpoint" and not 0 <= p["minprop"] < p["maxprop"] <= 1:
        raise PlanError(f"{key}.minprop", "expected 0 <= minprop < maxprop <= 1")
    for name in ("outcome",):
        o = p.get(name)
        if isinstance(o, dict) and (o["time"] or outcome.time) is None:
            raise PlanError(f"{key}.{name}.time", "missing: set it here or in [outcome].time")
        if isinstance(o, dict) and (o["event"] or outcome.event) is None:
            raise PlanError(f"{key}.{name}.event", "missing: set it here or in [outcome].event")
    if isinstance(p.get("outcome"), dict):
        o = p["outcome"]
        p["outcome"] = {
            "within": o["within"],
            "time": o["time"] or outcome.time,
            "event": o["event"] or outcome.event,
        }


def _value(k: str, f: Field, v: Any) -> Any:
    kind = f.kind
    if kind in ("column", "str"):
        return _str(k, v)
    if kind == "bool":
        if not isinstance(v, bool):
            raise PlanError(k, f"expected true or false, got {v!r}")
        return v
    if kind == "float":
        return _number(k, v)
    if kind == "choice":
        if v not in f.choices:
            raise PlanError(k, f"expected one of {', '.join(map(str, f.choices))}, got {v!r}")
        return v
    if kind in ("columns", "floats", "choices", "pairs", "rules", "markers", "values"):
        if isinstance(v, (str, Mapping)) or not isinstance(v, list):
            raise PlanError(k, f"expected an array, got {v!r}")
        if not v and kind not in ("columns", "floats", "values"):
            raise PlanError(k, "expected a non-empty array")
    if kind == "columns":
        return [_str(f"{k}[{j}]", x) for j, x in enumerate(v, 1)]
    if kind == "values":
        for j, x in enumerate(v, 1):
            if isinstance(x, bool) or not isinstance(x, (str, int, float)):
                raise PlanError(f"{k}[{j}]", f"expected a group value (text or number), got {x!r}")
        if len(set(map(str, v))) != len(v):
            raise PlanError(k, f"values repeat: {v!r}")
        return list(v)
    if kind == "floats":
        return [_number(f"{k}[{j}]", x) for j, x in enumerate(v, 1)]
    if kind == "choices":
        for j, x in enumerate(v, 1):
            if x not in f.choices:
                raise PlanError(f"{k}[{j}]", f"expected one of {', '.join(f.choices)}, got {x!r}")
        return list(v)
    if kind == "pairs":
        pairs = []
        for j, x in enumerate(v, 1):
            if not isinstance(x, list) or len(x) != 2:
                raise PlanError(f"{k}[{j}]", f"expected a pair of column names, got {x!r}")
            pairs.append([_str(f"{k}[{j}]", c) for c in x])
        return pairs
    if kind == "markers":
        return [_marker(f"{k}[{j}]", x) for j, x in enumerate(v, 1)]
    if kind == "rules":
        return [_rule(f"{k}[{j}]", x) for j, x in enumerate(v, 1)]
    if kind == "outcome":
        if isinstance(v, str):
            return _str(k, v)
        t = _expect_table(k, v)
        _keys(k, t, ("within", "time", "event"), ("within",))
        return {
            "within": _number(f"{k}.within", t["within"]),
            "time": _str(f"{k}.time", t["time"]) if "time" in t else None,
            "event": _str(f"{k}.event", t["event"]) if "event" in t else None,
        }
    if kind == "labels":
        t = _expect_table(k, v)
        labels: dict[str, str] = {}
        for code, label in t.items():
            try:
                key = f"{float(code):g}"
            except ValueError:
                raise PlanError(f"{k}.{code}", "expected a numeric status code as key") from None
            labels[key] = _str(f"{k}.{code}", label)
        return labels
    if kind == "cut":
        t = _expect_table(k, v)
        _keys(k, t, ("column", "at", "positive_if"), ("column", "at"))
        rule = t.get("positive_if", ">")
        if rule not in _POSITIVE:
            raise PlanError(f"{k}.positive_if", f"expected one of {_POSITIVE}, got {rule!r}")
        return {"column": _str(f"{k}.column", t["column"]), "at": _number(f"{k}.at", t["at"]),
                "positive_if": rule}  # fmt: skip
    if kind == "nested":
        t = _expect_table(k, v)
        _keys(k, t, ("base", "added"), ("base", "added"))
        base = _value(f"{k}.base", Field("columns"), t["base"])
        added = _value(f"{k}.added", Field("columns"), t["added"])
        if not base or not added:
            raise PlanError(k, "base and added must each name at least one covariate")
        return {"base": base, "added": added}
    raise AssertionError(kind)  # pragma: no cover


def _keys(k: str, t: Mapping[str, Any], allowed: Sequence[str], required: Sequence[str]) -> None:
    for name in t:
        if name not in allowed:
            raise _unknown(f"{k}.{name}", name, allowed)
    for name in required:
        if name not in t:
            raise PlanError(f"{k}.{name}", "missing")


def _marker(k: str, v: Any) -> dict[str, Any]:
    if isinstance(v, str):
        return {"column": _str(k, v), "direction": "<"}
    t = _expect_table(k, v)
    _keys(k, t, ("column", "direction"), ("column",))
    d = t.get("direction", "<")
    if d not in _DIRECTIONS:
        raise PlanError(f"{k}.direction", f"expected '<' (higher = case) or '>', got {d!r}")
    return {"column": _str(f"{k}.column", t["column"]), "direction": d}


def _rule(k: str, v: Any) -> dict[str, Any]:
    t = _expect_table(k, v)
    _keys(k, t, ("column", "cutoff", "positive_if", "unit"), ("column", "cutoff", "positive_if"))
    if t["positive_if"] not in _POSITIVE:
        raise PlanError(
            f"{k}.positive_if", f"expected one of {_POSITIVE}, got {t['positive_if']!r}"
        )
    return {
        "column": _str(f"{k}.column", t["column"]),
        "cutoff": _number(f"{k}.cutoff", t["cutoff"]),
        "positive_if": t["positive_if"],
        "unit": _str(f"{k}.unit", t["unit"]) if "unit" in t else None,
    }


_KIND_TEXT = {
    "column": "column name",
    "columns": "array of column names",
    "str": "text",
    "bool": "true/false",
    "float": "number",
    "floats": "array of numbers",
    "choice": "one of",
    "choices": "array of",
    "outcome": "binary column name, or { within = days } (event within a horizon)",
    "rules": '[{ column, cutoff, positive_if = ">=" | ">" | "<=" | "<", unit }]',
    "markers": '["column", or { column, direction = "<" (higher = case) | ">" }]',
    "pairs": '[["x", "y"], ...]',
    "cut": '{ column, at, positive_if = ">" }',
    "nested": "{ base = [columns], added = [columns] }",
    "labels": '{ 1 = "transplant", 2 = "death" }',
    "values": "array of group values, in order",
}


def _default_text(name: str, value: Any) -> str:
    if value is None:
        return "default from [outcome]" if name in ("time", "event") else "optional"
    if isinstance(value, bool):
        return f"default {str(value).lower()}"
    if isinstance(value, str):
        return f'default "{value}"'
    return f"default {value!r}".replace("'", '"')


def plan_reference() -> str:
    """Every analysis type with its keys (kind, required or default): the plan's reference."""
    lines = [
        "Top level: title, language (en, zh), synthetic (true/false), [data], [outcome], "
        "[[analysis]]",
        "[data]: path (file | package:... | demo:n=..,seed=..), format, data_dictionary, sheet, "
        "id, filter (expression), score (true/false), [data.derive] name = expression, "
        "[data.units] column = unit",
        "[outcome]: time, event (0/1), time_unit (days)",
        "Every [[analysis]]: type, id, title, filter (expression, this analysis only)",
    ]
    for typ, fields in ANALYSIS_FIELDS.items():
        lines.append(f"type = {typ!r}:")
        for name, f in fields.items():
            kind = _KIND_TEXT[f.kind]
            if f.choices:
                kind += " " + " | ".join(map(str, f.choices))
            need = "required" if f.required else _default_text(name, f.default)
            lines.append(f"  {name}: {kind} ({need})")
    return "\n".join(lines)
