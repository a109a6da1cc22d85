"""The plan's expression language: what it computes, how missing values flow, what it refuses."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from igfcirrhosis.analysis.errors import ExpressionError
from igfcirrhosis.analysis.expressions import evaluate, parse

NAN = np.nan


def ev(text: str, **cols: list[object]) -> np.ndarray:
    arrays = {}
    for k, v in cols.items():
        if any(isinstance(x, str) for x in v):
            arrays[k.replace("__", ".")] = np.array(v, dtype=object)
        else:
            arrays[k.replace("__", ".")] = np.array(v, dtype=float)
    n = len(next(iter(cols.values())))
    return evaluate(parse(text), arrays, n)


def test_arithmetic_and_functions() -> None:
    out = ev("log(bili) + 2 * sqrt(x) - exp(0) / 1", bili=[1.0, np.e], x=[4.0, 9.0])
    np.testing.assert_allclose(out, [0 + 4 - 1, 1 + 6 - 1])


def test_comparison_is_missing_where_the_value_is_missing() -> None:
    out = ev("bili > 2", bili=[1.0, 3.0, NAN])
    np.testing.assert_array_equal(out[:2], [0.0, 1.0])
    assert np.isnan(out[2])


def test_kleene_logic() -> None:
    # NA & False = False, NA | True = True, NA & True = NA
    a = [NAN, NAN, NAN]
    b = [0.0, 1.0, 1.0]
    out_and = ev("(a > 0) & (b > 0)", a=a, b=b)
    assert out_and[0] == 0.0 and np.isnan(out_and[1])
    out_or = ev("(a > 0) | (b > 0)", a=a, b=b)
    assert np.isnan(out_or[0]) and out_or[1] == 1.0
    np.testing.assert_array_equal(ev("~(b > 0)", b=b), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(ev("b > 0 and not b > 5", b=b), [0.0, 1.0, 1.0])


def test_postfix_notna_and_isna() -> None:
    np.testing.assert_array_equal(ev("trt notna", trt=[1.0, NAN]), [1.0, 0.0])
    np.testing.assert_array_equal(ev("isna(trt)", trt=[1.0, NAN]), [0.0, 1.0])
    np.testing.assert_array_equal(ev("notna(sex)", sex=["f", None]), [1.0, 0.0])


def test_chained_comparison_and_strings_and_dotted_names() -> None:
    np.testing.assert_array_equal(
        ev("1 <= stage <= 2", stage=[0.0, 1.0, 2.0, 3.0]), [0.0, 1.0, 1.0, 0.0]
    )
    out = ev('sex == "f"', sex=["f", "m", None])
    assert out[0] == 1.0 and out[1] == 0.0 and np.isnan(out[2])
    np.testing.assert_array_equal(ev("alk.phos > 100", alk__phos=[50.0, 150.0]), [0.0, 1.0])


def test_log_of_zero_becomes_missing() -> None:
    out = ev("log(x)", x=[0.0, -1.0, 1.0])
    assert np.isnan(out[0]) and np.isnan(out[1]) and out[2] == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "bili.__class__",
        "[x for x in bili]",
        "bili[0]",
        "lambda: 1",
        "open('f')",
        "bili if bili else 1",
        "x := 1",
        "bili @ bili",
        "None",
    ],
)
def test_refuses_anything_outside_the_language(text: str) -> None:
    with pytest.raises(ExpressionError):
        cols = {"bili": np.array([1.0]), "bili.__class__": np.array([1.0])}
        expr = parse(text)
        evaluate(expr, cols, 1)


def test_unknown_column_is_named() -> None:
    with pytest.raises(ExpressionError, match="column 'futime' not in data"):
        evaluate(parse("futime > 1"), {"time": np.array([1.0])}, 1)


def test_text_in_arithmetic_is_refused() -> None:
    with pytest.raises(ExpressionError, match="text"):
        ev("sex + 1", sex=["f"])


def test_columns_are_listed() -> None:
    assert parse("log(bili) > albumin & trt notna").columns == ("bili", "albumin", "trt")


def test_backticks_name_any_header() -> None:
    expr = parse("log(`bilirubin [umol/L]`) > 3 & `igf1 [ng/mL]` notna")
    assert expr.columns == ("bilirubin [umol/L]", "igf1 [ng/mL]")
    out = evaluate(expr, {"bilirubin [umol/L]": np.array([34.0, 10.0, np.nan]),
                          "igf1 [ng/mL]": np.array([1.0, 2.0, 3.0])}, 3)  # fmt: skip
    assert out[0] == 1.0 and out[1] == 0.0 and np.isnan(out[2])


def test_logic_binds_more_loosely_than_comparisons() -> None:
    out = ev("bili > 2 & age < 60 | trt isna", bili=[3.0, 3.0, 1.0], age=[50.0, 70.0, 70.0],
             trt=[1.0, 1.0, NAN])  # fmt: skip
    np.testing.assert_array_equal(out, [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(ev('~ sex == "f"', sex=["f", "m"]), [0.0, 1.0])
    np.testing.assert_array_equal(ev('note == "a & b"', note=["a & b", "a"]), [1.0, 0.0])


# --- properties (hypothesis) ------------------------------------------------------------------

_values = arrays(np.float64, 12, elements=st.one_of(
    st.floats(-1e3, 1e3, allow_nan=False), st.just(np.nan)))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(a=_values, b=_values, c=_values)
def test_arithmetic_matches_numpy_with_missing_propagated(
    a: np.ndarray, b: np.ndarray, c: np.ndarray
) -> None:
    out = evaluate(parse("a + b * c - a / 2"), {"a": a, "b": b, "c": c}, a.size)
    expected = a + b * c - a / 2
    np.testing.assert_array_equal(np.isnan(out), np.isnan(expected))
    np.testing.assert_allclose(out[~np.isnan(out)], expected[~np.isnan(expected)])


@settings(max_examples=60, deadline=None)
@given(a=_values, b=_values)
def test_logic_laws(a: np.ndarray, b: np.ndarray) -> None:
    cols = {"a": a, "b": b}
    n = a.size
    both = evaluate(parse("isna(a) | notna(a)"), cols, n)
    np.testing.assert_array_equal(both, np.ones(n))
    # De Morgan holds in three-valued logic
    left = evaluate(parse("~(a > 0 & b > 0)"), cols, n)
    right = evaluate(parse("~(a > 0) | ~(b > 0)"), cols, n)
    np.testing.assert_array_equal(left, right)
    # a comparison is missing exactly where an operand is
    cmp = evaluate(parse("a >= b"), cols, n)
    np.testing.assert_array_equal(np.isnan(cmp), np.isnan(a) | np.isnan(b))
