"""Label and field selectors: parsing, matching, canonical strings and errors.

Upstream:

- k8s.io/apimachinery/pkg/labels/selector.go: the lexer/parser behind
  ``labels.Parse`` (``kubectl -l`` and ``?labelSelector=``), ``NewRequirement``'s
  checks, ``Requirement.Matches`` and ``String()``;
- k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go ``LabelSelectorAsSelector``
  (``metav1.LabelSelector`` in specs: nil selects nothing, ``{}`` everything);
- k8s.io/apimachinery/pkg/fields/selector.go: ``ParseSelector``, escaping, ``String()``;
- the field label conversion functions (``AddFieldLabelConversionFunc`` in
  ``pkg/apis/*/v1/conversion.go`` and ``runtime.DefaultMetaV1FieldSelectorConversion``)
  and each registry's ``GetAttrs``/``ToSelectableFields`` for ``object_fields``.

Every problem is a :class:`~engine.api.errors.StatusError` 400 BadRequest whose
message is the text upstream's error carries.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.api import errors
from engine.api.validation.names import is_qualified_name, is_valid_label_value

# selection.Operator values.
DOES_NOT_EXIST = "!"
EQUALS = "="
DOUBLE_EQUALS = "=="
IN = "in"
NOT_EQUALS = "!="
NOT_IN = "notin"
EXISTS = "exists"
GREATER_THAN = "gt"
LESS_THAN = "lt"

_BINARY_OPERATORS = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)
_VALID_OPERATORS = (
    IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN,
)


class SelectorError(ValueError):
    """A selector could not be parsed or built; ``str()`` is upstream's error text."""


def _parse_int64(text: str) -> int | None:
    """``strconv.ParseInt(text, 10, 64)``: optional sign, decimal digits, in range."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    value = int(text)
    if not -(2**63) <= value < 2**63:
        return None
    return value


def _aggregate(errs: list[errors.FieldError]) -> str:
    return errors.aggregate(errs)


# -- label requirements --------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """One ``key op values`` term (upstream ``labels.Requirement``)."""

    key: str
    operator: str
    values: tuple[str, ...] = ()
    _set: frozenset[str] = field(default=frozenset(), compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_set", frozenset(self.values))

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Upstream ``Requirement.Matches``."""
        op = self.operator
        if op in (IN, EQUALS, DOUBLE_EQUALS):
            return self.key in labels and labels[self.key] in self._set
        if op in (NOT_IN, NOT_EQUALS):
            return self.key not in labels or labels[self.key] not in self._set
        if op == EXISTS:
            return self.key in labels
        if op == DOES_NOT_EXIST:
            return self.key not in labels
        if op in (GREATER_THAN, LESS_THAN):
            if self.key not in labels or len(self.values) != 1:
                return False
            have = _parse_int64(labels[self.key])
            want = _parse_int64(self.values[0])
            if have is None or want is None:
                return False
            return have > want if op == GREATER_THAN else have < want
        return False

    def __str__(self) -> str:
        """Upstream ``Requirement.String``."""
        op = self.operator
        out = "!" + self.key if op == DOES_NOT_EXIST else self.key
        if op in (EXISTS, DOES_NOT_EXIST):
            return out
        out += {
            EQUALS: "=", DOUBLE_EQUALS: "==", NOT_EQUALS: "!=", IN: " in ", NOT_IN: " notin ",
            GREATER_THAN: ">", LESS_THAN: "<",
        }.get(op, "")
        vals = self.values[0] if len(self.values) == 1 else ",".join(sorted(self.values))
        if op in (IN, NOT_IN):
            return f"{out}({vals})"
        return out + vals


def _validate_label_key(key: str, path: str) -> errors.FieldError | None:
    """Upstream ``validateLabelKey``: one Invalid error joining the messages."""
    msgs = is_qualified_name(key)
    if msgs:
        return errors.invalid(path, key, "; ".join(msgs))
    return None


def _validate_label_value(key: str, value: str, path: str) -> errors.FieldError | None:
    """Upstream ``validateLabelValue`` (the error path ends in ``[<key>]``)."""
    msgs = is_valid_label_value(value)
    if msgs:
        return errors.invalid(f"{path}[{key}]", value, "; ".join(msgs))
    return None


class _GoStrings:
    """A ``[]string`` bad value, printed as Go's ``%#v`` does."""

    def __init__(self, values: list[str] | None) -> None:
        self.values = values

    def __str__(self) -> str:
        if self.values is None:
            return "[]string(nil)"
        return "[]string{" + ", ".join(errors.format_value(v) for v in self.values) + "}"


def new_requirement(key: str, operator: str, values: list[str] | tuple[str, ...] | None = (),
                    path: str = "") -> Requirement:
    """Upstream ``labels.NewRequirement``; raises :class:`SelectorError` on bad input.

    ``path`` is the field path prefix (``field.WithPath``); empty = none. ``values``
    None is a nil slice (it prints as ``[]string(nil)`` in errors).
    """
    nil = values is None
    vals = list(values or ())

    def child(name: str) -> str:
        return f"{path}.{name}" if path else name

    errs: list[errors.FieldError] = []
    err = _validate_label_key(key, child("key"))
    if err:
        errs.append(err)
    values_path = child("values")
    if operator in (IN, NOT_IN):
        if not vals:
            errs.append(errors.invalid(values_path, _GoStrings(None if nil else vals),
                                       "for 'in', 'notin' operators, values set can't be empty"))
    elif operator in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS):
        if len(vals) != 1:
            errs.append(errors.invalid(values_path, _GoStrings(None if nil else vals),
                                       "exact-match compatibility requires one single value"))
    elif operator in (EXISTS, DOES_NOT_EXIST):
        if vals:
            errs.append(errors.invalid(values_path, _GoStrings(None if nil else vals),
                                       "values set must be empty for exists and does not exist"))
    elif operator in (GREATER_THAN, LESS_THAN):
        if len(vals) != 1:
            errs.append(errors.invalid(values_path, _GoStrings(None if nil else vals),
                                       "for 'Gt', 'Lt' operators, exactly one value is required"))
        for i, v in enumerate(vals):
            if _parse_int64(v) is None:
                errs.append(errors.invalid(f"{values_path}[{i}]", v,
                                           "for 'Gt', 'Lt' operators, the value must be an integer"))
    else:
        errs.append(errors.not_supported(child("operator"), operator, list(_VALID_OPERATORS)))
    for i, v in enumerate(vals):
        err = _validate_label_value(key, v, f"{values_path}[{i}]")
        if err:
            errs.append(err)
    if errs:
        raise SelectorError(_aggregate(errs))
    return Requirement(key, operator, tuple(vals))


# -- label selectors -----------------------------------------------------------------


@dataclass(frozen=True)
class LabelSelector:
    """An immutable label selector (upstream ``labels.Selector``).

    ``nothing`` marks ``labels.Nothing()`` (what a nil ``metav1.LabelSelector``
    converts to); with no requirements and ``nothing`` false it is
    ``labels.Everything()``.
    """

    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        """Upstream ``Selector.Matches``: every requirement holds."""
        if self.nothing:
            return False
        if not self.requirements:
            return True
        if labels is None:
            labels = {}
        return all(r.matches(labels) for r in self.requirements)

    def empty(self) -> bool:
        """Upstream ``Selector.Empty``: true only for a selector matching everything."""
        return not self.nothing and not self.requirements

    def __str__(self) -> str:
        """Upstream ``Selector.String``: requirements sorted by key, comma-joined."""
        return ",".join(str(r) for r in self.requirements)

    def requires_exact_match(self, key: str) -> str | None:
        """Upstream ``RequiresExactMatch``: the value an ``=``/``==``/one-value ``in`` needs."""
        for r in self.requirements:
            if r.key == key and r.operator in (EQUALS, DOUBLE_EQUALS, IN) and len(r.values) == 1:
                return r.values[0]
        return None

    def add(self, *requirements: Requirement) -> LabelSelector:
        """Upstream ``internalSelector.Add``: a new selector, requirements kept sorted."""
        if self.nothing:
            return self
        merged = sorted((*self.requirements, *requirements), key=lambda r: r.key)
        return LabelSelector(tuple(merged))


EVERYTHING = LabelSelector()
NOTHING = LabelSelector(nothing=True)


def everything() -> LabelSelector:
    """Upstream ``labels.Everything()``."""
    return EVERYTHING


def nothing() -> LabelSelector:
    """Upstream ``labels.Nothing()``."""
    return NOTHING


def selector_from_set(labels: Mapping[str, str] | None) -> LabelSelector:
    """Upstream ``labels.SelectorFromSet``: ``k=v`` for each entry (no validation)."""
    if not labels:
        return EVERYTHING
    reqs = sorted((Requirement(k, EQUALS, (v,)) for k, v in labels.items()), key=lambda r: r.key)
    return LabelSelector(tuple(reqs))


# The lexer (labels/selector.go Lexer).
_ERROR, _EOS, _CLOSE, _COMMA, _NOT, _DEQ, _EQ, _GT, _ID, _IN, _LT, _NEQ, _NOTIN, _OPEN = range(14)
_STRING_TO_TOKEN = {
    ")": _CLOSE, ",": _COMMA, "!": _NOT, "==": _DEQ, "=": _EQ, ">": _GT, "in": _IN, "<": _LT,
    "!=": _NEQ, "notin": _NOTIN, "(": _OPEN,
}
_SPECIAL = frozenset("=!(),><")
_WHITESPACE = frozenset(" \t\r\n")


def _lex(text: str) -> list[tuple[int, str]]:
    """Upstream ``Lexer.Lex`` until end of string (the parser's ``scan``)."""
    data = text.encode()
    out: list[tuple[int, str]] = []
    pos, n = 0, len(data)
    while True:
        while pos < n and chr(data[pos]) in _WHITESPACE:
            pos += 1
        if pos >= n or data[pos] == 0:
            out.append((_EOS, ""))
            return out
        if chr(data[pos]) in _SPECIAL:
            buf = ""
            last: tuple[int, str] | None = None
            while pos < n and data[pos] != 0 and chr(data[pos]) in _SPECIAL:
                buf += chr(data[pos])
                pos += 1
                tok = _STRING_TO_TOKEN.get(buf)
                if tok is not None:
                    last = (tok, buf)
                elif last is not None:
                    pos -= 1  # unread the symbol that did not extend the operator
                    break
            out.append(last if last is not None else
                       (_ERROR, f"error expected: keyword found '{buf}'"))
            continue
        start = pos
        while pos < n and data[pos] != 0:
            ch = chr(data[pos])
            if ch in _SPECIAL or ch in _WHITESPACE:
                break
            pos += 1
        word = data[start:pos].decode(errors="replace")
        out.append((_STRING_TO_TOKEN.get(word, _ID), word))


class _Parser:
    """Upstream ``labels.Parser``: recursive descent over the scanned tokens."""

    def __init__(self, text: str, path: str = "") -> None:
        self.items = _lex(text)
        self.position = 0
        self.path = path

    @staticmethod
    def _as_values(tok: int) -> int:
        return _ID if tok in (_IN, _NOTIN) else tok

    def lookahead(self, values: bool) -> tuple[int, str]:
        tok, lit = self.items[self.position]
        return (self._as_values(tok) if values else tok), lit

    def consume(self, values: bool) -> tuple[int, str]:
        tok, lit = self.items[self.position]
        self.position += 1
        return (self._as_values(tok) if values else tok), lit

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            tok, lit = self.lookahead(True)
            if tok in (_ID, _NOT):
                try:
                    requirements.append(self.parse_requirement())
                except SelectorError as err:
                    raise SelectorError(f"unable to parse requirement: {err}") from None
                t, lit2 = self.consume(True)
                if t == _EOS:
                    return requirements
                if t == _COMMA:
                    t2, lit3 = self.lookahead(True)
                    if t2 not in (_ID, _NOT):
                        raise SelectorError(f"found '{lit3}', expected: identifier after ','")
                else:
                    raise SelectorError(f"found '{lit2}', expected: ',' or 'end of string'")
            elif tok == _EOS:
                return requirements
            else:
                raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def parse_requirement(self) -> Requirement:
        key, operator = self.parse_key_and_infer_operator()
        if operator in (EXISTS, DOES_NOT_EXIST):
            return new_requirement(key, operator, (), self.path)
        operator = self.parse_operator()
        values = self.parse_values() if operator in (IN, NOT_IN) else self.parse_exact_value()
        return new_requirement(key, operator, sorted(values), self.path)

    def parse_key_and_infer_operator(self) -> tuple[str, str]:
        operator = ""
        tok, literal = self.consume(True)
        if tok == _NOT:
            operator = DOES_NOT_EXIST
            tok, literal = self.consume(True)
        if tok != _ID:
            raise SelectorError(f"found '{literal}', expected: identifier")
        err = _validate_label_key(literal, self.path or "<nil>")
        if err:
            raise SelectorError(str(err))
        t, _ = self.lookahead(True)
        if t in (_EOS, _COMMA) and operator != DOES_NOT_EXIST:
            operator = EXISTS
        return literal, operator

    def parse_operator(self) -> str:
        tok, lit = self.consume(False)
        op = {_IN: IN, _EQ: EQUALS, _DEQ: DOUBLE_EQUALS, _GT: GREATER_THAN, _LT: LESS_THAN,
              _NOTIN: NOT_IN, _NEQ: NOT_EQUALS}.get(tok)
        if op is None:
            raise SelectorError(f"found '{lit}', expected: {', '.join(_BINARY_OPERATORS)}")
        return op

    def parse_values(self) -> set[str]:
        tok, lit = self.consume(True)
        if tok != _OPEN:
            raise SelectorError(f"found '{lit}' expected: '('")
        tok, lit = self.lookahead(True)
        if tok in (_ID, _COMMA):
            values = self.parse_identifiers_list()
            if self.consume(True)[0] != _CLOSE:
                raise SelectorError(f"found '{lit}', expected: ')'")
            return values
        if tok == _CLOSE:
            self.consume(True)
            return {""}
        raise SelectorError(f"found '{lit}', expected: ',', ')' or identifier")

    def parse_identifiers_list(self) -> set[str]:
        values: set[str] = set()
        while True:
            tok, lit = self.consume(True)
            if tok == _ID:
                values.add(lit)
                tok2, lit2 = self.lookahead(True)
                if tok2 == _COMMA:
                    continue
                if tok2 == _CLOSE:
                    return values
                raise SelectorError(f"found '{lit2}', expected: ',' or ')'")
            if tok == _COMMA:
                if not values:
                    values.add("")
                tok2, _ = self.lookahead(True)
                if tok2 == _CLOSE:
                    values.add("")
                    return values
                if tok2 == _COMMA:
                    self.consume(True)
                    values.add("")
                continue
            raise SelectorError(f"found '{lit}', expected: ',', or identifier")

    def parse_exact_value(self) -> set[str]:
        tok, _ = self.lookahead(True)
        if tok in (_EOS, _COMMA):
            return {""}
        tok, lit = self.consume(True)
        if tok == _ID:
            return {lit}
        raise SelectorError(f"found '{lit}', expected: identifier")


def try_parse_label_selector(text: str) -> LabelSelector:
    """Upstream ``labels.Parse``; raises :class:`SelectorError` with upstream's text."""
    requirements = _Parser(text).parse()
    requirements.sort(key=lambda r: r.key)
    return LabelSelector(tuple(requirements))


def parse_label_selector(text: str) -> LabelSelector:
    """``labels.Parse`` for ``?labelSelector=`` / ``kubectl -l``: errors are 400 BadRequest."""
    try:
        return try_parse_label_selector(text)
    except SelectorError as err:
        raise errors.bad_request(str(err)) from None


_OPERATOR_FROM_API = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


def try_label_selector_from_dict(sel: Mapping[str, Any] | None) -> LabelSelector:
    """Upstream ``metav1.LabelSelectorAsSelector``; raises :class:`SelectorError`."""
    if sel is None:
        return NOTHING
    match_labels = sel.get("matchLabels") or {}
    match_expressions = sel.get("matchExpressions") or []
    if not match_labels and not match_expressions:
        return EVERYTHING
    reqs: list[Requirement] = []
    for key, value in match_labels.items():
        reqs.append(new_requirement(str(key), EQUALS, [value if isinstance(value, str) else ""]))
    for expr in match_expressions:
        expr = expr if isinstance(expr, Mapping) else {}
        op_name = expr.get("operator", "")
        op = _OPERATOR_FROM_API.get(op_name) if isinstance(op_name, str) else None
        if op is None:
            raise SelectorError(f"{errors.format_value(op_name)} is not a valid label selector "
                                "operator")
        raw = expr.get("values")
        values = [v for v in raw if isinstance(v, str)] if isinstance(raw, list) and raw else None
        reqs.append(new_requirement(str(expr.get("key", "")), op, values))
    reqs.sort(key=lambda r: r.key)
    return LabelSelector(tuple(reqs))


def label_selector_from_dict(sel: Mapping[str, Any] | None) -> LabelSelector:
    """``metav1.LabelSelectorAsSelector``: None selects nothing, ``{}`` everything.

    Errors (an invalid selector that validation would have rejected) are 400 BadRequest.
    """
    try:
        return try_label_selector_from_dict(sel)
    except SelectorError as err:
        raise errors.bad_request(str(err)) from None


def label_selector_as_map(sel: Mapping[str, Any] | None) -> dict[str, str] | None:
    """Upstream ``LabelSelectorAsMap``: only for matchLabels / single-value ``In``."""
    if sel is None:
        return None
    out = dict(sel.get("matchLabels") or {})
    for expr in sel.get("matchExpressions") or []:
        if expr.get("operator") == "In" and len(expr.get("values") or []) == 1:
            out[expr["key"]] = expr["values"][0]
        else:
            raise SelectorError(f"{errors.format_value(expr.get('operator'))} is not a valid "
                                "selector operator")
    return out


# -- field selectors -----------------------------------------------------------------


def escape_field_value(value: str) -> str:
    """Upstream ``fields.EscapeValue``: backslash-escape ``\\``, ``,`` and ``=``."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def _unescape_field_value(value: str) -> str:
    """Upstream ``fields.UnescapeValue``."""
    if not any(c in value for c in "\\,="):
        return value
    out: list[str] = []
    in_slash = False
    for c in value:
        if in_slash:
            if c in "\\,=":
                out.append(c)
            else:
                raise SelectorError(
                    f"invalid field selector: invalid escape sequence: \\{c}")
            in_slash = False
            continue
        if c == "\\":
            in_slash = True
        elif c in ",=":
            # Upstream prints the rune with %v: its code point.
            raise SelectorError(
                f"invalid field selector: unescaped character in value: {ord(c)}")
        else:
            out.append(c)
    if in_slash:
        raise SelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


def _split_terms(text: str) -> list[str]:
    """Upstream ``splitTerms``: split on unescaped commas."""
    if not text:
        return []
    terms: list[str] = []
    start = 0
    in_slash = False
    for i, c in enumerate(text):
        if in_slash:
            in_slash = False
        elif c == "\\":
            in_slash = True
        elif c == ",":
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return terms


_TERM_OPERATORS = ("!=", "==", "=")


def _split_term(term: str) -> tuple[str, str, str] | None:
    """Upstream ``splitTerm``: the first operator found, scanning left to right."""
    for i in range(len(term)):
        for op in _TERM_OPERATORS:
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op):]
    return None


@dataclass(frozen=True)
class FieldSelector:
    """An immutable field selector: an AND of ``field=value`` / ``field!=value`` terms.

    ``requirements`` hold ``(field, op, value)`` with op ``=`` or ``!=`` (upstream
    parses ``==`` to the same ``hasTerm`` as ``=``).
    """

    requirements: tuple[tuple[str, str, str], ...] = ()

    def matches(self, fields: Mapping[str, str]) -> bool:
        """Upstream ``Selector.Matches`` (a missing field reads as "")."""
        for name, op, value in self.requirements:
            have = fields.get(name, "")
            if (have == value) != (op != NOT_EQUALS):
                return False
        return True

    def empty(self) -> bool:
        return not self.requirements

    def __str__(self) -> str:
        """Upstream ``String()``: ``f=v`` / ``f!=v`` with values escaped, comma-joined."""
        return ",".join(f"{f}{'!=' if op == NOT_EQUALS else '='}{escape_field_value(v)}"
                        for f, op, v in self.requirements)

    def requires_exact_match(self, name: str) -> str | None:
        """Upstream ``RequiresExactMatch``: the value ``name=`` demands, if any."""
        for f, op, v in self.requirements:
            if f == name and op != NOT_EQUALS:
                return v
        return None

    def transform(self, fn) -> FieldSelector:
        """Upstream ``Transform``: map each ``(field, value)`` through ``fn``."""
        out = []
        for f, op, v in self.requirements:
            nf, nv = fn(f, v)
            out.append((nf, op, nv))
        return FieldSelector(tuple(out))


def try_parse_field_selector(text: str) -> FieldSelector:
    """Upstream ``fields.ParseSelector``; raises :class:`SelectorError`."""
    reqs: list[tuple[str, str, str]] = []
    for part in sorted(_split_terms(text)):
        if part == "":
            continue
        split = _split_term(part)
        if split is None:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        lhs, op, rhs = split
        value = _unescape_field_value(rhs)
        reqs.append((lhs, NOT_EQUALS if op == "!=" else EQUALS, value))
    return FieldSelector(tuple(reqs))


def parse_field_selector(text: str) -> FieldSelector:
    """``fields.ParseSelector`` for ``?fieldSelector=``: errors are 400 BadRequest."""
    try:
        return try_parse_field_selector(text)
    except SelectorError as err:
        raise errors.bad_request(str(err)) from None


# Field labels each kind's conversion function accepts (``AddFieldLabelConversionFunc``),
# keyed by (group, kind). Kinds without one use DefaultMetaV1FieldSelectorConversion.
_META = ("metadata.name", "metadata.namespace")
_FIELD_LABELS: dict[tuple[str, str], tuple[str, ...]] = {
    ("", "Pod"): (*_META, "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                  "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP",
                  "status.podIPs", "status.nominatedNodeName"),
    ("", "Node"): ("metadata.name", "spec.unschedulable"),
    ("", "ReplicationController"): (*_META, "status.replicas"),
    ("", "Event"): ("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                    "involvedObject.uid", "involvedObject.apiVersion",
                    "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
                    "reportingComponent", "source", "type", *_META),
    ("", "Namespace"): ("status.phase", "metadata.name"),
    ("", "Secret"): ("type", *_META),
    ("", "Service"): (*_META, "spec.clusterIP", "spec.type"),
    ("batch", "Job"): (*_META, "status.successful"),
}
# Labels a conversion function renames (pods' legacy spec.host; events.k8s.io's names).
_RENAMES: dict[tuple[str, str], dict[str, str]] = {
    ("", "Pod"): {"spec.host": "spec.nodeName"},
    ("events.k8s.io", "Event"): {
        "reason": "reason",
        "regarding.kind": "involvedObject.kind",
        "regarding.namespace": "involvedObject.namespace",
        "regarding.name": "involvedObject.name",
        "regarding.uid": "involvedObject.uid",
        "regarding.apiVersion": "involvedObject.apiVersion",
        "regarding.resourceVersion": "involvedObject.resourceVersion",
        "regarding.fieldPath": "involvedObject.fieldPath",
        "reportingController": "reportingComponent",
        "type": "type",
        "metadata.namespace": "metadata.namespace",
        "metadata.name": "metadata.name",
    },
}
_UNSUPPORTED_FMT: dict[tuple[str, str], str] = {
    ("batch", "Job"): 'field label "{label}" not supported for batchv1.Job',
}


def _resource_key(resource: Any) -> tuple[str, str, str]:
    """(group, kind, plural) for a ResourceInfo, ``plural`` or ``plural.group``."""
    from engine.api import resources as res  # local: resources imports nothing of ours

    if isinstance(resource, res.ResourceInfo):
        return resource.group, resource.kind, resource.plural
    plural, _, group = str(resource).partition(".")
    try:
        info = res.by_group_plural(group, plural)
    except errors.StatusError:
        return group, "", plural
    return info.group, info.kind, info.plural


def convert_field_label(resource: Any, label: str, value: str) -> tuple[str, str]:
    """Upstream ``Scheme.ConvertFieldLabel`` for one label; unsupported => SelectorError."""
    group, kind, _ = _resource_key(resource)
    key = (group, kind)
    renames = _RENAMES.get(key)
    if key == ("events.k8s.io", "Event"):
        assert renames is not None
        if label not in renames:
            raise SelectorError(f"field label not supported: {label}")
        return renames[label], value
    if renames and label in renames:
        return renames[label], value
    allowed = _FIELD_LABELS.get(key)
    if allowed is None:
        if label in _META:
            return label, value
        raise SelectorError(f'"{label}" is not a known field selector: only '
                            '"metadata.name", "metadata.namespace"')
    if label not in allowed:
        fmt = _UNSUPPORTED_FMT.get(key, "field label not supported: {label}")
        raise SelectorError(fmt.format(label=label))
    return label, value


def convert_field_selector(resource: Any, sel: FieldSelector) -> FieldSelector:
    """The selector with labels converted as the API server does before listing.

    Raises 400 BadRequest with upstream's wording for an unsupported field.
    """
    try:
        return sel.transform(lambda f, v: convert_field_label(resource, f, v))
    except SelectorError as err:
        raise errors.bad_request(str(err)) from None


def check_field_selector(resource: Any, sel: FieldSelector) -> None:
    """400 BadRequest if ``sel`` names a field the resource cannot be selected by.

    ``resource`` is a ResourceInfo, a plural (``pods``) or ``plural.group``.
    """
    convert_field_selector(resource, sel)


# -- selectable fields (GetAttrs / ToSelectableFields) --------------------------------


def _get(obj: Mapping[str, Any], *path: str) -> Any:
    cur: Any = obj
    for part in path:
        if not isinstance(cur, Mapping):
            return None
        cur = cur.get(part)
    return cur


def _s(value: Any) -> str:
    """A field value as the string a Go struct field would format to."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _int_s(value: Any) -> str:
    """``strconv.Itoa`` of an int field (absent = 0)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "0"
    return str(value)


def _meta_fields(obj: Mapping[str, Any], namespaced: bool) -> dict[str, str]:
    """Upstream ``generic.ObjectMetaFieldsSet``."""
    meta = obj.get("metadata")
    meta = meta if isinstance(meta, Mapping) else {}
    out = {"metadata.name": _s(meta.get("name"))}
    if namespaced:
        out["metadata.namespace"] = _s(meta.get("namespace"))
    return out


def _pod_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    spec = obj.get("spec") if isinstance(obj.get("spec"), Mapping) else {}
    status = obj.get("status") if isinstance(obj.get("status"), Mapping) else {}
    pod_ip = ""
    ips = status.get("podIPs")
    if isinstance(ips, list) and ips and isinstance(ips[0], Mapping):
        pod_ip = _s(ips[0].get("ip"))
    elif status.get("podIP"):
        pod_ip = _s(status.get("podIP"))
    return {
        "spec.nodeName": _s(spec.get("nodeName")),
        "spec.restartPolicy": _s(spec.get("restartPolicy")),
        "spec.schedulerName": _s(spec.get("schedulerName")),
        "spec.serviceAccountName": _s(spec.get("serviceAccountName")),
        "spec.hostNetwork": "true" if spec.get("hostNetwork") is True else "false",
        "status.phase": _s(status.get("phase")),
        "status.podIP": pod_ip,
        "status.nominatedNodeName": _s(status.get("nominatedNodeName")),
    }


def _core_event_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    inv = obj.get("involvedObject") if isinstance(obj.get("involvedObject"), Mapping) else {}
    source = _s(_get(obj, "source", "component")) or _s(obj.get("reportingComponent"))
    return {
        "involvedObject.kind": _s(inv.get("kind")),
        "involvedObject.namespace": _s(inv.get("namespace")),
        "involvedObject.name": _s(inv.get("name")),
        "involvedObject.uid": _s(inv.get("uid")),
        "involvedObject.apiVersion": _s(inv.get("apiVersion")),
        "involvedObject.resourceVersion": _s(inv.get("resourceVersion")),
        "involvedObject.fieldPath": _s(inv.get("fieldPath")),
        "reason": _s(obj.get("reason")),
        "reportingComponent": _s(obj.get("reportingComponent")),
        "source": source,
        "type": _s(obj.get("type")),
    }


def _events_v1_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    """The same set, read from an events.k8s.io/v1 shaped object."""
    reg = obj.get("regarding") if isinstance(obj.get("regarding"), Mapping) else {}
    source = _s(_get(obj, "deprecatedSource", "component")) or _s(obj.get("reportingController"))
    return {
        "involvedObject.kind": _s(reg.get("kind")),
        "involvedObject.namespace": _s(reg.get("namespace")),
        "involvedObject.name": _s(reg.get("name")),
        "involvedObject.uid": _s(reg.get("uid")),
        "involvedObject.apiVersion": _s(reg.get("apiVersion")),
        "involvedObject.resourceVersion": _s(reg.get("resourceVersion")),
        "involvedObject.fieldPath": _s(reg.get("fieldPath")),
        "reason": _s(obj.get("reason")),
        "reportingComponent": _s(obj.get("reportingController")),
        "source": source,
        "type": _s(obj.get("type")),
    }


def _event_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    if "regarding" in obj or str(obj.get("apiVersion", "")).startswith("events.k8s.io/"):
        return _events_v1_fields(obj)
    return _core_event_fields(obj)


_SPECIFIC = {
    ("", "Pod"): _pod_fields,
    ("", "Node"): lambda o: {"spec.unschedulable": _s(bool(_get(o, "spec", "unschedulable")))},
    ("", "Namespace"): lambda o: {"status.phase": _s(_get(o, "status", "phase")),
                                  "name": _s(_get(o, "metadata", "name"))},
    ("", "Secret"): lambda o: {"type": _s(o.get("type"))},
    ("", "Service"): lambda o: {"spec.clusterIP": _s(_get(o, "spec", "clusterIP")),
                                "spec.type": _s(_get(o, "spec", "type"))},
    ("", "Event"): _event_fields,
    ("events.k8s.io", "Event"): _event_fields,
    ("", "ReplicationController"): lambda o: {"status.replicas": _int_s(_get(o, "status",
                                                                            "replicas"))},
    ("apps", "ReplicaSet"): lambda o: {"status.replicas": _int_s(_get(o, "status", "replicas"))},
    ("batch", "Job"): lambda o: {"status.successful": _int_s(_get(o, "status", "succeeded"))},
    ("", "PersistentVolume"): lambda o: {"name": _s(_get(o, "metadata", "name"))},
    ("", "PersistentVolumeClaim"): lambda o: {"name": _s(_get(o, "metadata", "name"))},
}


def object_fields(resource: Any, obj: Mapping[str, Any]) -> dict[str, str]:
    """The selectable field set of an object (upstream ``GetAttrs``/``ToSelectableFields``).

    ``resource`` is a ResourceInfo, a plural (``pods``) or ``plural.group``. Events of
    both groups yield the core field names (``involvedObject.*``), as the shared
    registry does; convert events.k8s.io labels with :func:`convert_field_selector`.
    """
    from engine.api import resources as res

    group, kind, plural = _resource_key(resource)
    namespaced = True
    if isinstance(resource, res.ResourceInfo):
        namespaced = resource.namespaced
    else:
        with contextlib.suppress(errors.StatusError):
            namespaced = res.by_group_plural(group, plural).namespaced
    out = _meta_fields(obj, namespaced)
    specific = _SPECIFIC.get((group, kind))
    if specific is not None:
        out.update(specific(obj))
    return out
