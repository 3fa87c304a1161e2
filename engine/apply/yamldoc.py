"""One YAML document to JSON, as sigs.k8s.io/yaml (over go-yaml v2) does it, safely.

The document is built from libyaml's event stream (PyYAML's C parser, whose
messages are libyaml's, the same words go-yaml's port of it prints), not with
PyYAML's constructors, so that:

* aliases are counted while building: an alias bomb (billion laughs) fails with
  go-yaml's ``document contains excessive aliasing`` after a few thousand
  events, never expanding anything (go-yaml v2 ``decode.go``, ``allowedAliasRatio``);
* scalars resolve as go-yaml v2 resolves them into ``interface{}``: YAML 1.1
  booleans (``yes``/``on``), timestamps kept as strings, ``.inf``/``.nan``
  rejected as JSON cannot hold them (``json: unsupported value: +Inf``);
* keys become strings as sigs.k8s.io/yaml's ``YAMLToJSON`` makes them;
* duplicate keys are an error with go-yaml v3's wording
  (``mapping key "x" already defined at line N``), where kubectl's go-yaml v2
  silently keeps the last one (a deliberate k9py deviation: issue 6);
* line numbers in messages are go-yaml's: 1-based document lines for scanner
  errors, the 0-based problem line for parser errors (go-yaml's ``parser.fail``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from engine.apply.errors import ManifestError, yaml_error

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()

TAG = "tag:yaml.org,2002:"
INT64 = 2**63

# go-yaml v2 decode.go: alias expansion allowed, scaled by document size.
ALIAS_RATIO_LOW = 400_000
ALIAS_RATIO_HIGH = 4_000_000


def allowed_alias_ratio(decodes: int) -> float:
    """go-yaml v2 ``allowedAliasRatio``."""
    if decodes <= ALIAS_RATIO_LOW:
        return 0.99
    if decodes >= ALIAS_RATIO_HIGH:
        return 0.10
    span = ALIAS_RATIO_HIGH - ALIAS_RATIO_LOW
    return 0.99 - 0.89 * ((decodes - ALIAS_RATIO_LOW) / span)


@dataclass
class _Where:
    """Where the document is: for messages and for file positions."""

    source: str
    doc: int
    first_line: int  # 1-based file line of the document's first line


@dataclass
class _Frame:
    """A collection being built."""

    value: Any
    anchor: str | None
    size: int = 1
    key: Any = None
    key_line: int = 0
    have_key: bool = False
    merge: bool = False
    lines: dict[str, int] = field(default_factory=dict)
    merged: set[str] = field(default_factory=set)


class _Builder:
    """Builds JSON-compatible values from parser events, counting decodes."""

    def __init__(self, where: _Where) -> None:
        self.where = where
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open: set[str] = set()
        self.stack: list[_Frame] = []
        self.decodes = 0
        self.alias_decodes = 0
        self.result: Any = None
        self.done = False

    # -- errors ------------------------------------------------------------
    def fail(self, detail: str, line: int = 0, column: int = 0) -> ManifestError:
        w = self.where
        return yaml_error(w.source, f"yaml: {detail}", line=w.first_line + line - 1 if line else 0,
                          column=column, doc=w.doc)

    # -- events ------------------------------------------------------------
    def event(self, ev: yaml.Event) -> None:
        if isinstance(ev, yaml.ScalarEvent):
            self.add(self.scalar(ev), 1, ev.anchor, ev, decodes=1)
        elif isinstance(ev, yaml.AliasEvent):
            self.alias(ev)
        elif isinstance(ev, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self.open_collection(ev)
        elif isinstance(ev, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            self.close_collection(ev)

    def open_collection(self, ev: yaml.Event) -> None:
        value: Any = [] if isinstance(ev, yaml.SequenceStartEvent) else {}
        if ev.anchor:
            self.open.add(ev.anchor)
        self.stack.append(_Frame(value, ev.anchor))

    def close_collection(self, ev: yaml.Event) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.open.discard(frame.anchor)
        self.add(frame.value, frame.size, frame.anchor, ev, decodes=1)

    def alias(self, ev: yaml.AliasEvent) -> None:
        name = ev.anchor
        if name in self.open:
            raise self.fail(f"anchor '{name}' value contains itself")
        if name not in self.anchors:
            raise self.fail(f"unknown anchor '{name}' referenced")
        value, size = self.anchors[name]
        self.alias_decodes += size
        self.add(value, size, None, ev, decodes=size)

    def scalar(self, ev: yaml.ScalarEvent) -> Any:
        tag = ev.tag
        if tag in (None, "!"):
            tag = _RESOLVER.resolve(yaml.ScalarNode, ev.value, ev.implicit)
        return self.construct(tag, ev)

    def construct(self, tag: str, ev: yaml.ScalarEvent) -> Any:
        node = yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark)
        if tag == TAG + "null":
            return None
        if tag == TAG + "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag == TAG + "int":
            number = _CONSTRUCTOR.construct_yaml_int(node)
            return float(number) if abs(number) >= INT64 else number
        if tag == TAG + "float":
            number = _CONSTRUCTOR.construct_yaml_float(node)
            if math.isinf(number) or math.isnan(number):
                word = "NaN" if math.isnan(number) else ("+Inf" if number > 0 else "-Inf")
                raise _json_unsupported(self.where, word)
            return number
        if tag == TAG + "merge":
            return _MERGE
        return ev.value  # str, timestamp (kept as written), binary and unknown tags

    # -- placing values ------------------------------------------------------
    def add(self, value: Any, size: int, anchor: str | None, ev: yaml.Event, *,
            decodes: int) -> None:
        """Place a finished value (``size`` nodes) in its parent."""
        self.decodes += decodes
        if anchor:
            self.anchors[anchor] = (value, size)
        self.check_aliasing()
        if not self.stack:
            self.result, self.done = value, True
            return
        top = self.stack[-1]
        top.size += size
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            self.add_to_mapping(top, value, ev)

    def add_to_mapping(self, top: _Frame, value: Any, ev: yaml.Event) -> None:
        if not top.have_key:
            top.merge = value is _MERGE
            top.key = None if top.merge else self.key_string(value, ev)
            top.key_line = ev.start_mark.line + 1
            top.have_key = True
            return
        top.have_key = False
        if top.merge:
            self.merge(top, value, ev)
            return
        key = top.key
        if key in top.lines:
            raise self.fail(f'unmarshal errors:\n  line {top.key_line}: mapping key "{key}" '
                            f"already defined at line {top.lines[key]}", top.key_line)
        top.lines[key] = top.key_line
        top.value[key] = value

    def merge(self, top: _Frame, value: Any, ev: yaml.Event) -> None:
        """``<<: *base`` or ``<<: [*a, *b]``: keys not set explicitly come from the maps."""
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if not isinstance(source, dict):
                raise self.fail("map merge requires map or sequence of maps as the value",
                                ev.start_mark.line + 1)
            for key, item in source.items():
                if key not in top.lines and key not in top.merged:
                    top.value[key] = item
                    top.merged.add(key)

    def key_string(self, key: Any, ev: yaml.Event) -> str:
        """sigs.k8s.io/yaml ``YAMLToJSON``: scalar keys become their JSON text."""
        if isinstance(key, str):
            return key
        if isinstance(key, bool):
            return "true" if key else "false"
        if key is None:
            return "null"
        if isinstance(key, int | float):
            return _go_number(key)
        raise self.fail(f"invalid map key: {key!r}", ev.start_mark.line + 1)

    def check_aliasing(self) -> None:
        """go-yaml v2: fail once aliases make up too much of what was decoded."""
        d, a = self.decodes, self.alias_decodes
        if a > 100 and d > 1000 and a / d > allowed_alias_ratio(d):
            raise self.fail("document contains excessive aliasing")


class _Merge:
    """The ``<<`` merge key."""


_MERGE = _Merge()


def _go_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_unsupported(where: _Where, word: str) -> ManifestError:
    return yaml_error(where.source, f"json: unsupported value: {word}", doc=where.doc)


_ALIAS_NAME = re.compile(r"\*([^\s,\[\]{}]+)")


def load_documents(chunk: bytes, source: str, doc: int, first_line: int) -> list[Any]:
    """Every document in ``chunk`` (normally one), as JSON-compatible values."""
    docs: list[Any] = []
    builder = _Builder(_Where(source, doc, first_line))
    try:
        for ev in yaml.parse(chunk, Loader=_LOADER):
            if isinstance(ev, yaml.DocumentStartEvent):
                builder = _Builder(_Where(source, doc + len(docs), first_line))
            elif isinstance(ev, yaml.DocumentEndEvent):
                docs.append(builder.result)
            else:
                builder.event(ev)
    except yaml.MarkedYAMLError as err:
        raise _marked(err, builder.where, chunk) from None
    except yaml.reader.ReaderError as err:
        raise builder.fail(_reader_problem(err)) from None
    except yaml.YAMLError as err:  # pragma: no cover - any other libyaml failure
        raise builder.fail(str(err).splitlines()[0]) from None
    return docs


def _marked(err: yaml.MarkedYAMLError, where: _Where, chunk: bytes) -> ManifestError:
    """A scanner/parser error with go-yaml's ``line N:`` rule."""
    problem = err.problem or err.context or "syntax error"
    mark, context = err.problem_mark, err.context_mark
    file_line = where.first_line + mark.line if mark else where.first_line
    column = mark.column + 1 if mark else 0
    if problem == "found undefined alias":
        name = _alias_at(chunk, mark)
        return yaml_error(where.source, f"yaml: unknown anchor '{name}' referenced",
                          line=file_line, column=column, doc=where.doc)
    if isinstance(err, yaml.scanner.ScannerError):
        line = mark.line + 1 if mark else 0
    else:
        line = (mark.line if mark and mark.line else (context.line if context else 0))
    prefix = f"line {line}: " if line else ""
    return yaml_error(where.source, f"yaml: {prefix}{problem}", line=file_line, column=column,
                      doc=where.doc)


def _alias_at(chunk: bytes, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = chunk.decode("utf-8", "replace").splitlines()
    text = lines[mark.line][mark.column:] if mark.line < len(lines) else ""
    found = _ALIAS_NAME.match(text)
    return found.group(1) if found else ""


def _reader_problem(err: yaml.reader.ReaderError) -> str:
    """libyaml's reader message without PyYAML's position suffix."""
    text = str(err).splitlines()[0]
    return text.split(": ", 1)[1] if ": " in text else text
