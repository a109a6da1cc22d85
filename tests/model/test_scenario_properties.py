"""Property: any scenario mapping either parses or raises ScenarioError naming a key."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from igfcirrhosis.model.scenario import ScenarioError, parse_scenario

values = st.one_of(st.none(), st.booleans(), st.integers(-10, 10_000),
                   st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
                   st.lists(st.integers(), max_size=2))
regimen = st.fixed_dictionaries({}, optional={
    "product": st.one_of(st.sampled_from(["mecasermin", "rinfabate"]), values),
    "dose_ug_per_kg": values, "interval_hours": values, "start_day": values,
    "duration_days": values})
scenario = st.fixed_dictionaries({}, optional={
    "patient": st.one_of(values, st.fixed_dictionaries({}, optional={
        "state": st.one_of(st.sampled_from(["healthy", "child_pugh_c", "custom"]), values),
        "liver_mass": values, "ghr_density": values, "injury": values})),
    "simulation": st.one_of(values, st.fixed_dictionaries({}, optional={
        "days": values, "output_step_hours": values})),
    "regimen": st.one_of(values, st.lists(regimen, max_size=3)),
    "population": st.one_of(values, st.fixed_dictionaries({}, optional={
        "n": values, "seed": values})),
})


@settings(max_examples=300, deadline=None)
@given(scenario)
def test_parse_or_clear_error(data: dict[str, object]) -> None:
    try:
        sc = parse_scenario(data)
    except ScenarioError as exc:
        msg = str(exc)
        assert " = " in msg and "expected" in msg
    else:
        assert sc.days > 0
        assert all(p.dose_ug_per_kg > 0 for p in sc.regimen)
