"""JSON value helpers shared by every patch type.

Patches work on decoded JSON (dicts, lists, str, int, float, bool, None). Go
compares such values by type as well as value (``true`` is not ``1``), prints
them with ``%v`` in error messages and escapes ``<>&`` when it marshals; the
helpers here give Python the same behaviour so messages and comparisons match
upstream (k8s.io/apimachinery ``mergepatch`` errors, ``reflect.DeepEqual``).
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

import orjson

from engine.api import errors

# A marker for "no value at all", distinct from JSON null (Go's nil interface
# versus a null value in structured-merge-diff's walkers).
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()


def json_copy(value: Any) -> Any:
    """A deep copy of a JSON value; orjson round-trips are ~10x faster than deepcopy."""
    try:
        return orjson.loads(orjson.dumps(value))
    except (TypeError, orjson.JSONEncodeError):
        return _slow_copy(value)


def _slow_copy(value: Any) -> Any:
    """Fallback for values orjson refuses (huge ints, NaN): a plain recursive copy."""
    if isinstance(value, dict):
        return {k: _slow_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_slow_copy(v) for v in value]
    return value


def json_type(value: Any) -> str:
    """The JSON type name Go's ``encoding/json`` uses in unmarshal errors."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def json_equal(a: Any, b: Any) -> bool:
    """``reflect.DeepEqual`` on decoded JSON: booleans never equal numbers.

    Containers are compared by Python's C-level ``==`` first; only when that says
    equal is the stricter check needed, done by comparing their serializations
    (identical bytes tell ``true`` from ``1`` everywhere), with a recursive walk
    as the last resort (``1`` and ``1.0`` serialize differently yet are equal,
    and equal maps may list their keys in different orders).
    """
    if a is b:
        return True
    ta, tb = type(a), type(b)
    if ta is dict or ta is list:
        if ta is not tb or a != b:
            return False
        # Equal member by member by identity: nothing to tell apart.
        return equal_containers(a, b)
    return _scalar_equal(a, b, ta, tb)


def equal_containers(a: Any, b: Any) -> bool:
    """``json_equal`` of two dicts (or two lists) already known to be ``==``."""
    if _same_members(a, b, type(a)):
        return True
    try:
        if orjson.dumps(a) == orjson.dumps(b):
            return True
    except (TypeError, orjson.JSONEncodeError):
        pass
    return _deep_equal(a, b)


def _same_members(a: Any, b: Any, kind: type) -> bool:
    """Whether two equal containers hold the very same objects (one level deep):
    an in-process update keeps the parts it leaves alone, so two versions of an
    object often differ only above them. (Loops, not ``all()`` over a generator:
    twice as fast on the few members a condition or a list item has.)"""
    if kind is dict:
        get = b.get
        for k, v in a.items():  # noqa: SIM110
            if get(k, MISSING) is not v:
                return False
        return True
    for x, y in zip(a, b, strict=True):  # noqa: SIM110
        if x is not y:
            return False
    return True


def _scalar_equal(a: Any, b: Any, ta: type, tb: type) -> bool:
    if ta is bool or tb is bool:
        return ta is tb and a == b
    if ta in (int, float) and tb in (int, float):
        return a == b
    return ta is tb and a == b


def _deep_equal(a: Any, b: Any) -> bool:
    ta, tb = type(a), type(b)
    if ta is dict:
        return tb is dict and len(a) == len(b) and all(
            k in b and _deep_equal(v, b[k]) for k, v in a.items())
    if ta is list:
        return tb is list and len(a) == len(b) and all(
            _deep_equal(x, y) for x, y in zip(a, b, strict=True))
    return _scalar_equal(a, b, ta, tb)


def scalar_key(value: Any) -> Any:
    """A hashable identity for a scalar that keeps ``true`` apart from ``1`` (Go ``==``)."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", value)
    if isinstance(value, dict | list):
        return ("j", canonical_json(value))
    return ("s", value) if isinstance(value, str) else ("z", None)


def go_float(value: float) -> str:
    """Go's ``%v`` of a float64: shortest digits, ``%e`` form below 1e-4 or from 1e+06."""
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    sign, digits, exp = Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    point = len(digits) + int(exp)  # position of the decimal point in the digit string
    minus = "-" if sign else ""
    if point - 1 < -4 or point - 1 >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        e = point - 1
        return f"{minus}{mantissa}e{'-' if e < 0 else '+'}{abs(e):02d}"
    if point <= 0:
        return f"{minus}0.{'0' * -point}{text}"
    if point >= len(text):
        return minus + text + "0" * (point - len(text))
    return f"{minus}{text[:point]}.{text[point:]}"


def go_v(value: Any) -> str:
    """Go's ``%v`` of a decoded JSON value, as upstream error messages print it."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, list):
        return "[" + " ".join(go_v(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_v(value[k])}" for k in sorted(value)) + "]"
    return str(value)


_GO_ESCAPED = re.compile("[<>&\u2028\u2029]")


def go_escape(text: str) -> str:
    """Go's ``json.Marshal`` escapes HTML characters and line separators."""
    if _GO_ESCAPED.search(text) is None:
        return text
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


def _normalise(value: Any) -> Any:
    """Integral floats print as integers in Go (``float64(80)`` marshals as ``80``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


# Scalars that need no normalising (bool is a subclass of int, listed for clarity).
_PLAIN_SCALARS = frozenset({str, int, bool, type(None)})


def canonical_json(value: Any) -> str:
    """Compact JSON with sorted keys, as Go marshals maps (integral floats as integers)."""
    if type(value) is dict and all(type(v) in _PLAIN_SCALARS for v in value.values()):
        pass  # the usual list-item key ({"name": ...}): no float to normalise
    elif _has_float(value):
        value = _normalise(value)
    try:
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        text = json.dumps(_normalise(value), separators=(",", ":"), sort_keys=True,
                          ensure_ascii=False)
    return go_escape(text)


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    return False


def go_json(value: Any) -> str:
    """``json.Marshal`` output: compact, map keys sorted, HTML characters escaped."""
    return canonical_json(value)


def sort_keys_deep(value: Any) -> Any:
    """Recursively sort map keys, as a marshalled Go map would be ordered."""
    if isinstance(value, dict):
        return {k: sort_keys_deep(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sort_keys_deep(v) for v in value]
    return value


def cannot_unmarshal(value: Any, go_type: str) -> errors.StatusError:
    """The 400 upstream returns when a patch body has the wrong JSON shape."""
    return errors.bad_request(f"json: cannot unmarshal {json_type(value)} into Go value of type "
                              f"{go_type}")
