"""How ``resource.ParseQuantity`` stores a quantity (for the template hash).

Upstream: ``k8s.io/apimachinery/pkg/api/resource/quantity.go``
(``parseQuantityString``, ``ParseQuantity``) and ``suffix.go``. Only the
internal form matters here: ``i`` (value, scale), ``s`` (the string, kept
when it is already canonical) and ``Format``. Quantities that do not fit
the int64 fast path are marked with ``dec`` (upstream then holds an
``inf.Dec``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MAX_INT64_FACTORS = 18
_NANO = -9
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_NUMBER = re.compile(r"^([+-]?)(0*)([0-9]*)(?:\.([0-9]*))?(.*)$")


@dataclass(frozen=True)
class ParsedQuantity:
    value: int = 0
    scale: int = 0
    cached: str = ""
    format: str = "DecimalSI"
    dec: str | None = None


def _suffix(suffix: str) -> tuple[int, int, str] | None:
    """``quantitySuffixer.interpret``: (base, exponent, format)."""
    if suffix in _DECIMAL:
        return 10, _DECIMAL[suffix], "DecimalSI"
    if suffix in _BINARY:
        return 2, _BINARY[suffix], "BinarySI"
    if len(suffix) > 1 and suffix[0] in "eE":
        try:
            return 10, int(suffix[1:]), "DecimalExponent"
        except ValueError:
            return None
    return None


def parse_quantity(text: str) -> ParsedQuantity:
    if text == "0":
        return ParsedQuantity(cached="0")
    m = _NUMBER.match(text)
    if not text or m is None:
        return ParsedQuantity(dec=text)
    sign, _, num, denom, suffix = m.groups()
    num, denom = num or "0", denom or ""
    interpreted = _suffix(suffix)
    if interpreted is None:
        return ParsedQuantity(dec=text)
    _, exponent, fmt = interpreted
    mantissa, scale = 1, 0
    if fmt == "BinarySI":
        if exponent >= 0 and not denom:
            mantissa = 1 << exponent
            precision = 15 - len(num) - int(exponent * 3 / 10) - 1
        else:
            precision = -1
    else:
        scale = exponent
        precision = _MAX_INT64_FACTORS - (len(num) + len(denom))
    if precision >= 0:
        scale -= len(denom)
        if scale >= _NANO:
            shifted = num + denom
            value = int(shifted)
            result = value * mantissa
            if result < 2**63:
                result = -result if sign == "-" else result
                canonical = (exponent % 10 == 0 and value & 0x07 != 0) if fmt == "BinarySI" \
                    else (scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0")
                return ParsedQuantity(result, scale, text if canonical else "", fmt)
    return ParsedQuantity(format=fmt, dec=text)
