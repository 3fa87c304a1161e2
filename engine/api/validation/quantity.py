"""``resource.Quantity``: parsing, comparison and the canonical string form.

Upstream: k8s.io/apimachinery/pkg/api/resource/quantity.go (``ParseQuantity``,
``parseQuantityString``, ``CanonicalizeBytes``, ``MilliValue``/``Value`` rounding up)
and suffix.go (decimal SI, binary SI and ``e<exp>`` suffixes).

Values are exact :class:`fractions.Fraction` s; as upstream, anything finer than
nano units is rounded up to ``1n``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

SPLIT_RE_STRING = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT_WRONG = f"quantities must match the regular expression '{SPLIT_RE_STRING}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

DECIMAL_SI = "DecimalSI"
BINARY_SI = "BinarySI"
DECIMAL_EXPONENT = "DecimalExponent"

_DEC_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15,
                 "E": 18}
_BIN_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DEC_BY_EXP = {v: k for k, v in _DEC_SUFFIXES.items()}
_BIN_BY_EXP = {v // 10: k for k, v in _BIN_SUFFIXES.items()}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_NANO = Fraction(1, 10**9)


class QuantityError(ValueError):
    """A string that is not a quantity; ``str()`` is upstream's error text."""


@dataclass(frozen=True)
class Quantity:
    """A parsed quantity: its exact value and the format it was written in."""

    value: Fraction
    format: str = DECIMAL_SI

    def __str__(self) -> str:
        return canonical(self)

    def cmp(self, other: Quantity) -> int:
        return (self.value > other.value) - (self.value < other.value)

    def milli_value(self) -> int:
        """Upstream ``MilliValue``: value in thousandths, rounded up."""
        return math.ceil(self.value * 1000)

    def int_value(self) -> int:
        """Upstream ``Value``: rounded up to an integer."""
        return math.ceil(self.value)


def _parse_quantity_string(text: str) -> tuple[bool, str, str, str, str]:
    """Upstream ``parseQuantityString``: (positive, value, num, denom, suffix)."""
    positive = True
    pos, end = 0, len(text)
    if pos < end and text[0] in "+-":
        positive = text[0] != "-"
        pos += 1
    while True:  # leading zeros
        if pos >= end:
            return positive, "0", "0", "", ""
        if text[pos] != "0":
            break
        pos += 1
    start = pos
    while pos < end and text[pos] in "0123456789":
        pos += 1
    if pos >= end:
        return positive, text, text[start:], "", ""
    num = text[start:pos] or "0"
    denom = ""
    if text[pos] == ".":
        pos += 1
        dstart = pos
        while pos < end and text[pos] in "0123456789":
            pos += 1
        denom = text[dstart:pos]
        if pos >= end:
            return positive, text, num, denom, ""
    value = text[:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos >= end:
        return positive, value, num, denom, text[suffix_start:]
    if text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in "0123456789":
        pos += 1
    if pos >= end:
        return positive, value, num, denom, text[suffix_start:]
    raise QuantityError(ERR_FORMAT_WRONG)


def _interpret_suffix(suffix: str) -> tuple[int, int, str] | None:
    """Upstream ``suffixHandler.interpret``: (base, exponent, format)."""
    if suffix in _DEC_SUFFIXES:
        return 10, _DEC_SUFFIXES[suffix], DECIMAL_SI
    if suffix in _BIN_SUFFIXES:
        return 2, _BIN_SUFFIXES[suffix], BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE":
        exp = suffix[1:]
        body = exp[1:] if exp[:1] in "+-" else exp
        if body.isdigit() and body.isascii():
            return 10, int(exp), DECIMAL_EXPONENT
    return None


@functools.lru_cache(maxsize=4096)
def parse_quantity(text: str) -> Quantity:
    """Upstream ``resource.ParseQuantity``; raises :class:`QuantityError`."""
    if not text:
        raise QuantityError(ERR_FORMAT_WRONG)
    if text == "0":
        return Quantity(Fraction(0), DECIMAL_SI)
    positive, value, _num, _denom, suffix = _parse_quantity_string(text)
    interpreted = _interpret_suffix(suffix)
    if interpreted is None:
        raise QuantityError(ERR_SUFFIX)
    base, exponent, fmt = interpreted
    digits = value.lstrip("+-")
    if not digits or digits == "." or digits.count(".") > 1:
        raise QuantityError(ERR_NUMERIC)
    try:
        amount = Fraction(digits)
    except (ValueError, ZeroDivisionError):
        raise QuantityError(ERR_NUMERIC) from None
    if abs(exponent) > 100_000:
        raise QuantityError(ERR_NUMERIC)
    amount *= Fraction(base) ** exponent
    # Round up anything finer than nano (upstream keeps at most 9 decimal places).
    if (amount / _NANO).denominator != 1:
        amount = Fraction(math.ceil(amount / _NANO)) * _NANO
    if not positive:
        amount = -amount
    return Quantity(amount, fmt)


def parse_quantity_value(value: object) -> Quantity:
    """A quantity from its JSON form (string or number), as ``UnmarshalJSON`` reads it."""
    if isinstance(value, bool) or value is None:
        raise QuantityError(ERR_FORMAT_WRONG)
    if isinstance(value, int):
        return parse_quantity(str(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QuantityError(ERR_FORMAT_WRONG)
        return parse_quantity(repr(value).replace("e+", "e"))
    if isinstance(value, str):
        return parse_quantity(value.strip())
    raise QuantityError(ERR_FORMAT_WRONG)


def quantity_to_millis(value: object) -> int:
    """``Quantity.MilliValue()``: e.g. ``"250m"`` -> 250, ``"2"`` -> 2000 (rounded up)."""
    return parse_quantity_value(value).milli_value()


def quantity_to_bytes(value: object) -> int:
    """``Quantity.Value()``: e.g. ``"1Gi"`` -> 1073741824 (rounded up)."""
    return parse_quantity_value(value).int_value()


def _decimal_parts(amount: Fraction) -> tuple[int, int]:
    """(mantissa, exponent) with exponent a multiple of 3, mantissa an integer."""
    n = amount * 10**9
    mantissa = int(n)  # exact: amounts are whole nano units
    exponent = -9
    while mantissa and mantissa % 10 == 0:
        mantissa //= 10
        exponent += 1
    shift = exponent % 3
    mantissa *= 10**shift
    exponent -= shift
    return mantissa, exponent


def canonical(q: Quantity) -> str:
    """Upstream ``Quantity.String()`` (``CanonicalizeBytes``)."""
    amount = q.value
    if amount == 0:
        return "0"
    fmt = q.format
    if fmt == BINARY_SI and (-1024 < amount < 1024 or amount.denominator != 1):
        fmt = DECIMAL_SI
    if fmt == BINARY_SI:
        mantissa, exp = int(amount), 0
        while exp < 6 and mantissa % 1024 == 0:
            mantissa //= 1024
            exp += 1
        return f"{mantissa}{_BIN_BY_EXP.get(exp, '')}" if exp else str(mantissa)
    mantissa, exponent = _decimal_parts(amount)
    if fmt == DECIMAL_EXPONENT:
        return f"{mantissa}e{exponent}" if exponent else str(mantissa)
    if exponent > 18:
        mantissa *= 10 ** (exponent - 18)
        exponent = 18
    return f"{mantissa}{_DEC_BY_EXP[exponent]}"
