"""FHIR R4 Patient and Observation resources (a Bundle in JSON, or NDJSON) → one row per patient.

* **Patient** → ``patient_id`` (``Patient.id``), ``sex`` (``gender`` female/male → F/M; other or
  unknown → missing, with a note), ``age [years]`` (below).
* **Observation** → a column chosen by its LOINC code (``code.coding`` with system
  ``http://loinc.org``; table :data:`LOINC`, from CLINICAL-NOTES.md). The value is
  ``valueQuantity.value``; the unit is ``valueQuantity.code`` with system
  ``http://unitsofmeasure.org`` (UCUM) — never ``valueQuantity.unit`` or any display text.
  Observations are *excluded*, each listed with its reason, when: the status is
  ``entered-in-error`` or ``cancelled``; no LOINC code is in the table; there is no
  ``valueQuantity.value``; the value has a ``comparator`` (``<5`` is censored, not measured);
  the unit has no UCUM code; the subject is missing.
* **Baseline.** With several observations of one analyte for one patient (both bilirubin codes
  count as one analyte, likewise creatinine), the earliest (``effectiveDateTime``, else
  ``effectivePeriod.start``, ``effectiveInstant``, ``issued``; undated ones sort last, then file
  order) is kept; the others are listed in ``excluded`` as "not baseline", and the notes count
  them. Every usable observation is also in the long table ``CohortRead.followup``.
* **Units.** When all kept values of an analyte share one UCUM code the column is
  ``name [code]`` (``bilirubin [umol/L]``); dimensionless codes (``1``, ``{INR}``) give a plain
  ``inr``. When the codes differ, every value is converted with
  :func:`igfcirrhosis.domain.units.convert` to the data dictionary's default unit
  (:data:`DEFAULT_UNIT`) and a note says so; a value that cannot be converted is excluded.
* **Age** in completed years at the patient's earliest kept observation date, from
  ``birthDate``; a partial birthDate (``1960`` or ``1960-05``) is taken as 1 July or the 15th
  (note). No birthDate or no dated observation → age missing (note).

``excluded.row`` is the Bundle entry number (1-based) or the NDJSON line number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from igfcirrhosis.cohort.read_result import CohortInputError, CohortRead

if TYPE_CHECKING:
    import pandas as pd

LOINC_SYSTEM = "http://loinc.org"
UCUM_SYSTEM = "http://unitsofmeasure.org"

#: LOINC code → data dictionary column (CLINICAL-NOTES.md, "LOINC").
LOINC: dict[str, str] = {
    "2484-4": "igf1",
    "2483-6": "igfbp3",
    "1975-2": "bilirubin",  # mass concentration
    "14631-6": "bilirubin",  # molar concentration
    "1751-7": "albumin",
    "6301-6": "inr",
    "5902-2": "prothrombin_time",
    "2160-0": "creatinine",  # mass
    "14682-9": "creatinine",  # molar
    "2951-2": "sodium",
    "1988-5": "crp",
    "1834-1": "afp",
    "777-3": "platelets",
    "1742-6": "alt",
    "1920-8": "ast",
    "2963-7": "gh",
}

#: Default units of the data dictionary (DESIGN.md), the target when an analyte's units differ.
DEFAULT_UNIT: dict[str, str] = {
    "igf1": "ng/mL",
    "igfbp3": "mg/L",
    "bilirubin": "mg/dL",
    "albumin": "g/dL",
    "inr": "1",
    "prothrombin_time": "s",
    "creatinine": "mg/dL",
    "sodium": "mmol/L",
    "crp": "mg/L",
    "afp": "ng/mL",
    "platelets": "10^9/L",
    "alt": "U/L",
    "ast": "U/L",
    "gh": "ng/mL",
}
_DIMENSIONLESS = re.compile(r"^(1|\{[^}]*\})$")
_GENDER = {"female": "F", "male": "M"}
_DROPPED_STATUS = ("entered-in-error", "cancelled")


@dataclass
class _Obs:
    row: int
    resource: str
    patient: str
    column: str
    loinc: str
    value: float
    unit: str
    when: str | None


def read_fhir(path: str | Path) -> CohortRead:
    """Read a FHIR R4 Bundle (JSON) or NDJSON file; see the module docstring."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise CohortInputError(f"{path}: FHIR file not found")
    resources = _load(path)
    excluded: list[dict[str, Any]] = []
    notes: list[str] = []
    patients: dict[str, dict[str, Any]] = {}
    refs: dict[str, str] = {}  # fullUrl / "Patient/id" → id
    observations: list[tuple[int, dict[str, Any]]] = []
    for row, full_url, res in resources:
        kind = res.get("resourceType")
        if kind == "Patient":
            pid = res.get("id")
            if not isinstance(pid, str) or not pid:
                raise CohortInputError(f"{path}: row {row}, Patient has no 'id'")
            if pid in patients:
                raise CohortInputError(f"{path}: row {row}, column 'id': Patient {pid!r} repeats")
            patients[pid] = res
            refs[f"Patient/{pid}"] = pid
            if full_url:
                refs[full_url] = pid
        elif kind == "Observation":
            observations.append((row, res))
        else:
            excluded.append(_excl(row, res, f"resource type {kind!r} is not read", refs))
    if not patients and not observations:
        raise CohortInputError(f"{path}: no Patient or Observation resources")

    kept: list[_Obs] = []
    for row, res in observations:
        obs, reason = _observation(row, res, refs)
        if obs is None:
            excluded.append(_excl(row, res, reason, refs))
        else:
            kept.append(obs)
    unknown = sorted({o.patient for o in kept} - set(patients))
    if unknown:
        notes.append(f"observations for patients without a Patient resource: {unknown}")

    long = pd.DataFrame(
        {
            "patient_id": [o.patient for o in kept],
            "column": [o.column for o in kept],
            "value": pd.Series([o.value for o in kept], dtype="float64"),
            "unit": [o.unit for o in kept],
            "effective": [o.when for o in kept],
            "loinc": [o.loinc for o in kept],
            "resource": [o.resource for o in kept],
            "row": pd.Series([o.row for o in kept], dtype="int64"),
        }
    )
    baseline = _baseline(kept, excluded, notes)
    frame = _wide(patients, unknown, baseline, excluded, notes)
    excl = pd.DataFrame(excluded, columns=["row", "reason", "resource", "patient_id", "code"])
    return CohortRead(
        frame=frame,
        source=str(path),
        format="fhir",
        excluded=excl.sort_values("row", kind="stable").reset_index(drop=True),
        notes=notes,
        followup=long,
    )


def _load(path: Path) -> list[tuple[int, str | None, dict[str, Any]]]:
    """``(row, fullUrl, resource)`` for each resource: Bundle entries or NDJSON lines."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CohortInputError(f"{path}: not UTF-8 text ({exc.reason})") from None
    if not text.strip():
        raise CohortInputError(f"{path}: file is empty (expected a FHIR Bundle or NDJSON)")
    ndjson = path.suffix.lower() in (".ndjson", ".jsonl")
    if not ndjson:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg != "Extra data":
                raise CohortInputError(
                    f"{path}: line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})"
                ) from None
            ndjson = True  # several JSON documents: NDJSON with a .json name
    if ndjson:
        out: list[tuple[int, str | None, dict[str, Any]]] = []
        for i, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                res = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CohortInputError(
                    f"{path}: line {i}, column {exc.colno}: invalid JSON ({exc.msg})"
                ) from None
            out.append((i, None, _resource(res, path, f"line {i}")))
        return out
    if not isinstance(doc, dict) or "resourceType" not in doc:
        raise CohortInputError(f"{path}: not a FHIR resource (no 'resourceType')")
    if doc["resourceType"] != "Bundle":
        return [(1, None, _resource(doc, path, "row 1"))]
    entries = doc.get("entry") or []
    if not entries:
        raise CohortInputError(f"{path}: the Bundle has no entries")
    out = []
    for i, entry in enumerate(entries, start=1):
        res = entry.get("resource") if isinstance(entry, dict) else None
        out.append((i, entry.get("fullUrl"), _resource(res, path, f"row {i} (entry {i})")))
    return out


def _resource(res: object, path: Path, where: str) -> dict[str, Any]:
    if not isinstance(res, dict) or not isinstance(res.get("resourceType"), str):
        raise CohortInputError(f"{path}: {where}: not a FHIR resource (no 'resourceType')")
    return res


def _excl(row: int, res: dict[str, Any], reason: str, refs: dict[str, str]) -> dict[str, Any]:
    reference = (res.get("subject") or {}).get("reference")
    subject = refs.get(reference) or reference.removeprefix("Patient/") if reference else None
    codes = [c.get("code") for c in (res.get("code") or {}).get("coding", []) if c.get("code")]
    return {
        "row": row,
        "reason": reason,
        "resource": f"{res.get('resourceType')}/{res.get('id', '?')}",
        "patient_id": subject,
        "code": ",".join(codes) or None,
    }


def _observation(row: int, res: dict[str, Any], refs: dict[str, str]) -> tuple[_Obs | None, str]:
    status = res.get("status")
    if status in _DROPPED_STATUS:
        return None, f"status {status!r}"
    reference = (res.get("subject") or {}).get("reference")
    if not reference:
        return None, "no subject (patient) reference"
    patient = refs.get(reference) or reference.removeprefix("Patient/")
    codings = (res.get("code") or {}).get("coding") or []
    loinc = [c.get("code") for c in codings if c.get("system") == LOINC_SYSTEM]
    known = [c for c in loinc if c in LOINC]
    if not known:
        shown = ", ".join(map(str, loinc)) if loinc else "none"
        return None, f"unknown code: no LOINC code in the table (LOINC codes given: {shown})"
    quantity = res.get("valueQuantity")
    if not isinstance(quantity, dict) or quantity.get("value") is None:
        other = [k for k in res if k.startswith("value")]
        given = f" (has {other[0]})" if other else ""
        return None, f"no value: valueQuantity.value missing{given}"
    if quantity.get("comparator"):
        return None, f"censored value {quantity['comparator']}{quantity['value']} (comparator)"
    if quantity.get("system") != UCUM_SYSTEM or not quantity.get("code"):
        text = quantity.get("unit")
        shown = f"; unit text {text!r} is not used" if text else ""
        return None, f"no UCUM code (valueQuantity.system/code){shown}"
    try:
        value = float(quantity["value"])
    except (TypeError, ValueError):
        return None, f"valueQuantity.value {quantity['value']!r} is not a number"
    when = (
        res.get("effectiveDateTime")
        or (res.get("effectivePeriod") or {}).get("start")
        or res.get("effectiveInstant")
        or res.get("issued")
    )
    obs = _Obs(
        row=row,
        resource=f"Observation/{res.get('id', '?')}",
        patient=patient,
        column=LOINC[known[0]],
        loinc=known[0],
        value=value,
        unit=str(quantity["code"]),
        when=when,
    )
    return obs, ""


def _baseline(kept: list[_Obs], excluded: list[dict[str, Any]], notes: list[str]) -> list[_Obs]:
    """The earliest observation per patient and column; the others listed as excluded."""
    order = sorted(kept, key=lambda o: (o.when is None, _sort_key(o.when), o.row))
    chosen: dict[tuple[str, str], _Obs] = {}
    later = 0
    for o in order:
        key = (o.patient, o.column)
        if key in chosen:
            first = chosen[key]
            later += 1
            excluded.append(
                {
                    "row": o.row,
                    "reason": f"not baseline: a later {o.column} of patient {o.patient} "
                    f"({first.resource}, {first.when or 'undated'}, is kept)",
                    "resource": o.resource,
                    "patient_id": o.patient,
                    "code": o.loinc,
                }
            )
        else:
            chosen[key] = o
    if later:
        notes.append(
            f"{later} observation(s) are not baseline: for several observations of one analyte "
            "per patient the earliest is kept (all are in followup)"
        )
    return sorted(chosen.values(), key=lambda o: o.row)


def _sort_key(when: str | None) -> str:
    """An ISO timestamp in UTC (naive), so that dates with different offsets compare."""
    if when is None:
        return ""
    import pandas as pd

    try:
        ts = pd.Timestamp(when)
    except ValueError:
        return when
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return str(ts.isoformat())


def _wide(
    patients: dict[str, dict[str, Any]],
    unknown: list[str],
    baseline: list[_Obs],
    excluded: list[dict[str, Any]],
    notes: list[str],
) -> pd.DataFrame:
    import pandas as pd

    ids = [*patients, *unknown]
    columns: dict[str, Any] = {"patient_id": pd.Series(ids, dtype="string")}
    sexes = []
    for pid in ids:
        gender = (patients.get(pid) or {}).get("gender")
        sexes.append(_GENDER.get(gender) if isinstance(gender, str) else None)
        if gender is not None and gender not in _GENDER:
            notes.append(
                f"patient {pid}: gender {gender!r} is neither female nor male; sex missing"
            )
    columns["sex"] = pd.Series(sexes, dtype="string")
    columns["age [years]"] = pd.Series(
        [_age(pid, patients.get(pid), baseline, notes) for pid in ids], dtype="Float64"
    )
    for column in dict.fromkeys(LOINC.values()):
        obs = [o for o in baseline if o.column == column]
        if not obs:
            continue
        header, values = _column_values(column, obs, excluded, notes)
        columns[header] = pd.Series([values.get(pid) for pid in ids], dtype="float64")
    return pd.DataFrame(columns)


def _column_values(
    column: str, obs: list[_Obs], excluded: list[dict[str, Any]], notes: list[str]
) -> tuple[str, dict[str, float]]:
    units = sorted({o.unit for o in obs})
    if len(units) == 1:
        unit = units[0]
        header = column if _DIMENSIONLESS.match(unit) else f"{column} [{unit}]"
        return header, {o.patient: o.value for o in obs}
    from igfcirrhosis.domain.units import convert

    target = DEFAULT_UNIT[column]
    values: dict[str, float] = {}
    for o in obs:
        try:
            values[o.patient] = float(convert([o.value], o.unit, target, column)[0])
        except ValueError as exc:  # UnitError
            excluded.append(
                {
                    "row": o.row,
                    "reason": f"unit {o.unit!r} cannot be converted to {target}: {exc}",
                    "resource": o.resource,
                    "patient_id": o.patient,
                    "code": o.loinc,
                }
            )
    counts = ", ".join(f"{u} x{sum(o.unit == u for o in obs)}" for u in units)
    notes.append(f"{column}: mixed UCUM units ({counts}) converted to {target}")
    header = column if target == "1" else f"{column} [{target}]"
    return header, values


def _age(
    pid: str, patient: dict[str, Any] | None, baseline: list[_Obs], notes: list[str]
) -> float | None:
    birth = (patient or {}).get("birthDate")
    if not birth:
        if patient is not None:
            notes.append(f"patient {pid}: no birthDate; age missing")
        return None
    dates = sorted(_sort_key(o.when)[:10] for o in baseline if o.patient == pid and o.when)
    if not dates:
        notes.append(f"patient {pid}: no dated observation to compute age at; age missing")
        return None
    try:
        parts = [int(p) for p in str(birth).split("-")]
        if len(parts) == 1:
            born = date(parts[0], 7, 1)
        elif len(parts) == 2:
            born = date(parts[0], parts[1], 15)
        else:
            born = date(parts[0], parts[1], parts[2])
    except (ValueError, TypeError):
        notes.append(f"patient {pid}: birthDate {birth!r} is not a FHIR date; age missing")
        return None
    if len(parts) < 3:
        notes.append(f"patient {pid}: partial birthDate {birth!r}; taken as mid-period")
    at = date.fromisoformat(dates[0])
    return float(at.year - born.year - ((at.month, at.day) < (born.month, born.day)))
