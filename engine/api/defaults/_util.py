"""Small helpers shared by the defaulting modules: tolerant dict access (a
defaulter never raises on a malformed object) and ``SetDefaults_ResourceList``."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from engine.api.validation.quantity import Quantity, QuantityError, canonical, parse_quantity_value

Obj = dict[str, Any]


def child(obj: Obj, key: str) -> Obj | None:
    """``obj[key]`` if it is an object, else None (absent, null or malformed)."""
    value = obj.get(key)
    return value if isinstance(value, dict) else None


def ensure(obj: Obj, key: str) -> Obj | None:
    """``obj[key]``, created as ``{}`` when absent or null (Go's zero struct);
    None when it holds something that is not an object."""
    value = obj.get(key)
    if value is None:
        value = obj[key] = {}
    return value if isinstance(value, dict) else None


def items(obj: Obj, key: str) -> Iterator[Obj]:
    """The objects in the list ``obj[key]`` (non-objects skipped)."""
    value = obj.get(key)
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                yield item


def set_if_empty(obj: Obj, key: str, value: Any) -> None:
    """Go ``if obj.Field == "" { obj.Field = value }`` (also for 0 and false)."""
    if not obj.get(key):
        obj[key] = value


def set_if_none(obj: Obj, key: str, value: Any) -> None:
    """Go ``if obj.Field == nil { obj.Field = value }`` for pointer fields."""
    if obj.get(key) is None:
        obj[key] = value


@functools.lru_cache(maxsize=8192)
def _round_text(text: str) -> str | None:
    try:
        q = parse_quantity_value(text)
    except (QuantityError, ValueError, OverflowError):
        return None
    return canonical(_round_up_milli(q))


def _round_up_milli(q: Quantity) -> Quantity:
    """``Quantity.RoundUp(-3)``: away from zero to whole thousandths."""
    scaled = q.value * 1000
    if scaled.denominator == 1:
        return q
    rounded = math.ceil(abs(scaled)) * (1 if scaled > 0 else -1)
    return Quantity(Fraction(rounded, 1000), q.format)


def round_quantity(value: Any) -> Any:
    """One ResourceList value rounded up to milli units in canonical form;
    unparseable values are returned unchanged for validation to report."""
    if isinstance(value, str):
        out = _round_text(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        out = _round_text(
            repr(value).replace("e+", "e") if isinstance(value, float) else str(value)
        )
    else:
        return value
    return value if out is None else out


def resource_list(obj: Obj | None, key: str) -> None:
    """``SetDefaults_ResourceList`` on ``obj[key]``: every quantity rounded up
    to milli scale and written in its canonical form (``0.5`` -> ``500m``,
    ``1024Mi`` -> ``1Gi``)."""
    if obj is None:
        return
    rl = obj.get(key)
    if isinstance(rl, dict):
        for name, value in rl.items():
            rl[name] = round_quantity(value)


@functools.lru_cache(maxsize=4096)
def _canonical_text(text: str) -> str | None:
    try:
        return canonical(parse_quantity_value(text))
    except (QuantityError, ValueError, OverflowError):
        return None


def canonical_quantity(obj: Obj, key: str) -> None:
    """A single ``resource.Quantity`` field written back in canonical form (how
    Go serialises it; no rounding)."""
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return
    text = (
        value
        if isinstance(value, str)
        else (repr(value).replace("e+", "e") if isinstance(value, float) else str(value))
    )
    out = _canonical_text(text)
    if out is not None:
        obj[key] = out
