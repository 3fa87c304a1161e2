"""Shared helpers: field paths, type-tolerant accessors, Go value formatting and the
small generic validators of apimachinery/pkg/api/validation/generic.go and
pkg/apis/core/validation (``ValidateNonnegativeField``, ``ValidateImmutableField``...).

Validators run after decoding and defaulting, so values normally have their schema
types; the accessors still treat a value of the wrong type as absent, so a
validator never raises on a malformed object.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson

from engine.api import errors
from engine.api.errors import FieldError
from engine.api.memo import LRU

Obj = dict[str, Any]
Errs = list[FieldError]

IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0"
IS_INVALID_QUOTA_RESOURCE = "must be a standard resource for quota"
FIELD_IMMUTABLE_ERROR_MSG = "field is immutable"
IS_NOT_INTEGER_ERROR_MSG = "must be an integer"
MAX_INT32 = 2**31 - 1


# -- paths -----------------------------------------------------------------------------


def child(path: str, *names: str) -> str:
    """``field.Path.Child``."""
    for name in names:
        path = f"{path}.{name}" if path else name
    return path


def index(path: str, i: int) -> str:
    """``field.Path.Index``."""
    return f"{path}[{i}]"


def key(path: str, k: str) -> str:
    """``field.Path.Key``."""
    return f"{path}[{k}]"


# -- memoised validators ---------------------------------------------------------------

CheckFn = Callable[[Any, str, Errs], None]


def memo_clean(size: int = 1024) -> Callable[[CheckFn], CheckFn]:
    """Remember which values a ``check(value, path, errs)`` validator passed.

    For validators whose findings depend on the value alone (the path only
    labels them) and that report by appending to ``errs``: a value whose JSON
    bytes passed before passes again without being walked. Values with errors
    are always walked, so the errors carry the caller's path. Unserialisable
    values are always walked too. Identical subtrees are common: every pod of
    a template, the service-account token volume, admission's tolerations.
    """

    def wrap(check: CheckFn) -> CheckFn:
        passed = LRU(size)

        @functools.wraps(check)
        def memoised(value: Any, path: str, errs: Errs) -> None:
            try:
                key = orjson.dumps(value)
            except (TypeError, orjson.JSONEncodeError):
                check(value, path, errs)
                return
            if passed.get(key) is not None:
                return
            before = len(errs)
            check(value, path, errs)
            if len(errs) == before:
                passed.put(key, True)

        memoised.uncached = check  # type: ignore[attr-defined]
        return memoised

    return wrap


# -- accessors -------------------------------------------------------------------------


def as_map(value: Any) -> Obj:
    """A mapping, or {} for null/absent/another type."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def as_int(value: Any, default: int = 0) -> int:
    return value if is_int(value) else default


def opt_int(value: Any) -> int | None:
    """A pointer-to-int field: None when unset (or of another type)."""
    return value if is_int(value) else None


def str_map(value: Any) -> dict[str, str]:
    """A ``map[string]string`` (non-string values dropped)."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, str)}


def dicts(value: Any) -> Iterable[tuple[int, Obj]]:
    """(index, item) for a list of objects; non-object items read as {}."""
    for i, item in enumerate(as_list(value)):
        yield i, as_map(item)


def strings(value: Any) -> list[str]:
    return [v if isinstance(v, str) else "" for v in as_list(value)]


# -- Go formatting of bad values -------------------------------------------------------


class GoValue:
    """A bad value pre-formatted as Go's ``%#v`` would print it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"GoValue({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoValue) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def go_quote(value: str) -> str:
    return errors.format_value(value)


def go_string_map(value: Any) -> GoValue:
    """``%#v`` of a ``map[string]string``: keys sorted, ``{"a":"b", "c":"d"}``."""
    if value is None:
        return GoValue("map[string]string(nil)")
    m = str_map(value)
    body = ", ".join(f"{go_quote(k)}:{go_quote(m[k])}" for k in sorted(m))
    return GoValue("map[string]string{" + body + "}")


def go_string_slice(value: Any, type_name: str = "[]string") -> GoValue:
    """``%#v`` of a ``[]string``."""
    if value is None:
        return GoValue(f"{type_name}(nil)")
    return GoValue(type_name + "{" + ", ".join(go_quote(s) for s in strings(value)) + "}")


def go_label_selector(value: Any) -> GoValue:
    """``%#v`` of a ``v1.LabelSelector`` (no Stringer on the value type)."""
    sel = as_map(value)
    labels = sel.get("matchLabels")
    exprs = sel.get("matchExpressions")
    if exprs is None:
        exprs_text = "[]v1.LabelSelectorRequirement(nil)"
    else:
        items = []
        for _, e in dicts(exprs):
            items.append(
                "v1.LabelSelectorRequirement{Key:" + go_quote(as_str(e.get("key")))
                + ", Operator:" + go_quote(as_str(e.get("operator")))
                + ", Values:" + str(go_string_slice(e.get("values"))) + "}")
        exprs_text = "[]v1.LabelSelectorRequirement{" + ", ".join(items) + "}"
    return GoValue(f"v1.LabelSelector{{MatchLabels:{go_string_map(labels)}, "
                   f"MatchExpressions:{exprs_text}}}")


def go_value(value: Any) -> Any:
    """A JSON value formatted for ``%v``/``%#v`` when upstream prints a Go struct or map."""
    if isinstance(value, dict):
        if all(isinstance(v, str) for v in value.values()):
            return go_string_map(value)
        return GoValue(_go_any(value))
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return go_string_slice(value)
        return GoValue(_go_any(value))
    return value


def _go_any(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}:{_go_any(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + " ".join(_go_any(v) for v in value) + "]"
    return errors.format_value(value)


# -- generic validators ----------------------------------------------------------------


def validate_nonnegative_field(value: Any, path: str) -> Errs:
    """Upstream ``ValidateNonnegativeField``."""
    if is_int(value) and value < 0:
        return [errors.invalid(path, value, IS_NEGATIVE_ERROR_MSG)]
    return []


def validate_positive_field(value: Any, path: str) -> Errs:
    """``value <= 0`` => ``must be greater than 0`` (as several validators word it)."""
    if is_int(value) and value <= 0:
        return [errors.invalid(path, value, "must be greater than 0")]
    return []


def validate_immutable_field(new: Any, old: Any, path: str) -> Errs:
    """Upstream ``ValidateImmutableField``: ``field is immutable``."""
    if semantic_equal(new, old):
        return []
    return [errors.invalid(path, go_value(new), FIELD_IMMUTABLE_ERROR_MSG)]


_PLAIN = frozenset({dict, list, str, int, float, bool, type(None)})


def _semantic_equal(a: Any, b: Any) -> bool:
    """``apiequality.Semantic.DeepEqual`` on JSON: nil, empty and absent agree."""
    ta, tb = type(a), type(b)
    if ta in _PLAIN and tb in _PLAIN:
        # The rules below, for plain JSON values without the general machinery:
        # "empty" is None or an empty dict, list or string; otherwise values of
        # different types differ; maps compare key by key (absent = None).
        if (a is None or ((ta is dict or ta is list or ta is str) and not a)) and (
                b is None or ((tb is dict or tb is list or tb is str) and not b)):
            return True
        if ta is not tb:
            return False
        if ta is dict:
            for k, v in a.items():
                if not _semantic_equal(v, b.get(k)):
                    return False
            return all(k in a or _semantic_equal(None, v) for k, v in b.items())
        if ta is list:
            return len(a) == len(b) and all(map(_semantic_equal, a, b))
        return a == b
    if a in (None, {}, [], "") and b in (None, {}, [], ""):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        keys = set(a) | set(b)
        return all(_semantic_equal(a.get(k), b.get(k)) for k in keys)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_semantic_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b and type(a) is type(b)


def semantic_equal(a: Any, b: Any) -> bool:
    """:func:`_semantic_equal`, at once when two containers encode to the same bytes.

    Identical JSON bytes mean the same keys in the same order, the same types
    (``1``, ``1.0`` and ``true`` encode differently) and the same values, so
    the walk would agree; bytes holding ``null`` are walked anyway (NaN encodes
    as null too). Different bytes (say, keys in another order) are walked.
    Updates compare an unchanged spec with its stored self all the time."""
    ta = type(a)
    if (ta is dict or ta is list) and type(b) is ta:
        try:
            left = orjson.dumps(a)
            if left == orjson.dumps(b) and b"null" not in left:
                return True
        except (TypeError, orjson.JSONEncodeError):
            pass
    return _semantic_equal(a, b)


def validate_dns1123_label(value: str, path: str) -> Errs:
    """Upstream ``ValidateDNS1123Label``."""
    from engine.api.validation.names import is_dns1123_label

    return [errors.invalid(path, value, msg) for msg in is_dns1123_label(value)]


def validate_dns1123_subdomain(value: str, path: str) -> Errs:
    """Upstream ``ValidateDNS1123Subdomain``."""
    from engine.api.validation.names import is_dns1123_subdomain

    return [errors.invalid(path, value, msg) for msg in is_dns1123_subdomain(value)]


def validate_qualified_name(value: str, path: str) -> Errs:
    """Upstream ``ValidateQualifiedName``."""
    from engine.api.validation.names import is_qualified_name

    return [errors.invalid(path, value, msg) for msg in is_qualified_name(value)]


def name_errors(fn: Callable[[str, bool], list[str]], value: str, path: str) -> Errs:
    """``for _, msg := range fn(value, false) { field.Invalid(path, value, msg) }``."""
    return [errors.invalid(path, value, msg) for msg in fn(value, False)]


def not_supported(path: str, value: Any, supported: Iterable[str]) -> FieldError:
    return errors.not_supported(path, value, list(supported))


def get(obj: Mapping[str, Any] | None, *path: str) -> Any:
    cur: Any = obj
    for part in path:
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur
