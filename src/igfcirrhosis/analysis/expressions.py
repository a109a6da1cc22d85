"""A small, safe expression language for plan filters and derived columns.

Expressions are parsed with :mod:`ast` and only these nodes are allowed (nothing is ``eval``-ed):

- names of data columns (a dotted name such as ``alk.phos`` is one column; any other header in
  backticks, e.g. ``log(`bilirubin [umol/L]`)``), numbers, ``True`` / ``False`` and quoted
  strings (for comparisons such as ``sex == "f"``);
- arithmetic ``+ - * / **`` and unary ``-``;
- comparisons ``== != < <= > >=`` (chains such as ``1 <= stage <= 2`` too);
- logic ``&`` (and), ``|`` (or), ``~`` (not), read as ``and`` / ``or`` / ``not`` (which are
  accepted too), so they bind more loosely than comparisons: ``bili > 2 & age < 60`` needs no
  parentheses;
- the functions ``log`` (natural), ``log10``, ``exp``, ``sqrt``, ``abs``, ``isna``, ``notna``;
  the postfix forms ``trt notna`` and ``copper isna`` are rewritten to ``notna(trt)``.

Missing values propagate: an arithmetic result or comparison is missing where an operand is
missing (``bili > 2`` is missing, not False, for a patient without bilirubin). ``&`` and ``|``
follow three-valued (Kleene) logic. ``log``/``sqrt`` of values outside their domain give a
missing value, which :func:`evaluate` counts per expression. Results are float arrays
(booleans as 1.0 / 0.0) or, for a bare text column, object arrays.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from igfcirrhosis.analysis.errors import ExpressionError

FUNCTIONS = ("log", "log10", "exp", "sqrt", "abs", "isna", "notna")
_POSTFIX = re.compile(r"([A-Za-z_][\w.]*|`[^`]+`)\s+(notna|isna)\b")
_BACKTICK = re.compile(r"`([^`]+)`")
_UNARY: dict[str, Callable[[NDArray[np.float64]], NDArray[np.float64]]] = {
    "log": np.log,
    "log10": np.log10,
    "exp": np.exp,
    "sqrt": np.sqrt,
    "abs": np.abs,
}
_CMP = {
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
}
_ARITH = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its text, syntax tree and the columns it reads."""

    text: str
    tree: ast.Expression
    columns: tuple[str, ...]
    is_logical: bool


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def parse(text: str) -> Expression:
    """Parse ``text``; raises :class:`ExpressionError` for anything outside the language."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("expected a non-empty expression string")
    src = _POSTFIX.sub(r"\2(\1)", text.strip())
    quoted: dict[str, str] = {}

    def _placeholder(m: re.Match[str]) -> str:
        key = f"bq_{len(quoted)}_igfc"
        quoted[key] = m.group(1)
        return key

    src = _BACKTICK.sub(_placeholder, src)
    try:
        tree = ast.parse(_logic_words(src).strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse {text!r}: {exc.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in quoted:
            node.id = quoted[node.id]
    cols: list[str] = []
    _check(tree.body, text, cols)
    return Expression(text, tree, tuple(dict.fromkeys(cols)), _logical(tree.body))


def _logic_words(src: str) -> str:
    """``&``, ``|``, ``~`` → ``and``, ``or``, ``not`` (outside strings), so that they bind more
    loosely than comparisons: ``bili > 2 & age < 60`` means ``(bili > 2) and (age < 60)``."""
    words = {"&": " and ", "|": " or ", "~": " not "}
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(src).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return src  # ast.parse reports the problem
    out, pos = [], 0
    lines = src.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for tok in toks:
        if tok.type == tokenize.OP and tok.string in words:
            start = offsets[tok.start[0] - 1] + tok.start[1]
            out.append(src[pos:start] + words[tok.string])
            pos = start + 1
    out.append(src[pos:])
    return "".join(out)


def _logical(node: ast.AST) -> bool:
    if isinstance(node, (ast.Compare, ast.BoolOp)):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not)):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("isna", "notna")
    )


def _check(node: ast.AST, text: str, cols: list[str]) -> None:
    name = _dotted(node)
    if name is not None:
        if any(part.startswith("__") for part in name.split(".")):
            raise ExpressionError(f"{text!r}: names starting with '__' are not allowed")
        if name in FUNCTIONS:
            raise ExpressionError(f"{text!r}: {name} is a function; call it as {name}(column)")
        if name not in ("True", "False"):
            cols.append(name)
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (bool, int, float, str)):
            return
        raise ExpressionError(f"{text!r}: constant {node.value!r} is not allowed")
    if isinstance(node, ast.BinOp) and type(node.op) in (*_ARITH, ast.BitAnd, ast.BitOr):
        _check(node.left, text, cols)
        _check(node.right, text, cols)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(
        node.op, (ast.USub, ast.UAdd, ast.Invert, ast.Not)
    ):
        _check(node.operand, text, cols)
        return
    if isinstance(node, ast.BoolOp):
        for v in node.values:
            _check(v, text, cols)
        return
    if isinstance(node, ast.Compare):
        if not all(type(op) in _CMP for op in node.ops):
            raise ExpressionError(f"{text!r}: only == != < <= > >= comparisons are allowed")
        for v in (node.left, *node.comparators):
            _check(v, text, cols)
        return
    if isinstance(node, ast.Call):
        fname = node.func.id if isinstance(node.func, ast.Name) else None
        if fname not in FUNCTIONS:
            shown = ast.unparse(node.func)
            raise ExpressionError(
                f"{text!r}: function {shown!r} is not allowed (allowed: {', '.join(FUNCTIONS)})"
            )
        if len(node.args) != 1 or node.keywords:
            raise ExpressionError(f"{text!r}: {fname}() takes exactly one argument")
        _check(node.args[0], text, cols)
        return
    raise ExpressionError(
        f"{text!r}: {type(node).__name__} ({ast.unparse(node)!r}) is not allowed; use column "
        "names, numbers, arithmetic, comparisons, & | ~ and " + ", ".join(FUNCTIONS)
    )


# --------------------------------------------------------------------------- evaluation
Value = NDArray[Any]


def _missing(v: Value) -> NDArray[np.bool_]:
    if v.dtype == object:
        return np.array([x is None or (isinstance(x, float) and np.isnan(x)) for x in v], bool)
    return np.isnan(v)


def _num(v: Value, text: str, what: str) -> NDArray[np.float64]:
    if v.dtype == object:
        raise ExpressionError(f"{text!r}: {what} is text; arithmetic needs numbers")
    return v.astype(np.float64)


def _truth(v: Value, text: str) -> NDArray[np.float64]:
    x = _num(v, text, "an operand of & | ~")
    ok = np.isnan(x) | (x == 0) | (x == 1)
    if not ok.all():
        raise ExpressionError(f"{text!r}: & | ~ need true/false values (comparisons), got numbers")
    return x


def evaluate(expr: Expression, columns: Mapping[str, Value], n: int) -> Value:
    """Evaluate ``expr`` on ``columns`` (name -> 1-d array of length ``n``: float with NaN for
    missing, or object for text)."""
    missing = [c for c in expr.columns if c not in columns]
    if missing:
        raise ExpressionError(
            f"{expr.text!r}: column {missing[0]!r} not in data (columns: {', '.join(columns)})"
        )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = _eval(expr.tree.body, expr.text, columns, n)
    if out.dtype != object:
        out = out.astype(np.float64)
        out[~np.isfinite(out)] = np.nan
    return out


def _const(value: Any, n: int) -> Value:
    if isinstance(value, str):
        return np.full(n, value, dtype=object)
    return np.full(n, float(value))


def _eval(node: ast.AST, text: str, cols: Mapping[str, Value], n: int) -> Value:
    name = _dotted(node)
    if name is not None:
        if name in ("True", "False"):
            return np.full(n, 1.0 if name == "True" else 0.0)
        return cols[name]
    if isinstance(node, ast.Constant):
        return _const(node.value, n)
    if isinstance(node, ast.BinOp):
        a = _eval(node.left, text, cols, n)
        b = _eval(node.right, text, cols, n)
        if isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            return _kleene(_truth(a, text), _truth(b, text), isinstance(node.op, ast.BitAnd))
        fa, fb = _num(a, text, "an operand"), _num(b, text, "an operand")
        return np.asarray(_ARITH[type(node.op)](fa, fb), dtype=np.float64)
    if isinstance(node, ast.BoolOp):
        vals = [_truth(_eval(v, text, cols, n), text) for v in node.values]
        out = vals[0]
        for v in vals[1:]:
            out = _kleene(out, v, isinstance(node.op, ast.And))
        return out
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, text, cols, n)
        if isinstance(node.op, (ast.Invert, ast.Not)):
            return 1.0 - _truth(v, text)
        x = _num(v, text, "the operand of unary minus")
        return -x if isinstance(node.op, ast.USub) else x
    if isinstance(node, ast.Compare):
        left = _eval(node.left, text, cols, n)
        acc: NDArray[np.float64] | None = None
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = _eval(comp, text, cols, n)
            res = _compare(type(op), left, right, text)
            acc = res if acc is None else _kleene(acc, res, True)
            left = right
        assert acc is not None
        return acc
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    v = _eval(node.args[0], text, cols, n)
    if node.func.id == "isna":
        return _missing(v).astype(np.float64)
    if node.func.id == "notna":
        return (~_missing(v)).astype(np.float64)
    x = _num(v, text, f"the argument of {node.func.id}()")
    return np.asarray(_UNARY[node.func.id](x), dtype=np.float64)


def _compare(op: type[ast.cmpop], a: Value, b: Value, text: str) -> NDArray[np.float64]:
    miss = _missing(a) | _missing(b)
    if (a.dtype == object) != (b.dtype == object):
        raise ExpressionError(f"{text!r}: compares text with a number")
    out = np.zeros(miss.size)
    ok = ~miss
    if a.dtype == object:
        out[ok] = [float(_CMP[op](x, y)) for x, y in zip(a[ok], b[ok], strict=True)]
    else:
        out[ok] = _CMP[op](a[ok], b[ok]).astype(np.float64)
    out[miss] = np.nan
    return out


def _kleene(a: NDArray[np.float64], b: NDArray[np.float64], conj: bool) -> NDArray[np.float64]:
    if conj:
        out = np.where((a == 0) | (b == 0), 0.0, np.where(np.isnan(a) | np.isnan(b), np.nan, 1.0))
    else:
        out = np.where((a == 1) | (b == 1), 1.0, np.where(np.isnan(a) | np.isnan(b), np.nan, 0.0))
    return out.astype(np.float64)
