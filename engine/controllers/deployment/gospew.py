"""go-spew's ``%#v`` dump of a ``PodTemplateSpec``, from its JSON form.

The pod-template-hash is FNV-32a over ``dump.ForHash(template)``
(``k8s.io/utils/dump``: go-spew v1.1 with ``Indent " ", SortKeys,
DisableMethods, SpewKeys, DisablePointerAddresses, DisableCapacities``,
printed with ``%#v``). That text is the Go value printed field by field in
declaration order, every field with its Go type, so reproducing it needs the
Go types: ``gotypes_v1_32.json`` lists every type reachable from
``k8s.io/api/core/v1.PodTemplateSpec`` at v0.32.0 (field names, Go types,
JSON names), extracted from the k8s.io/api and k8s.io/apimachinery sources.

go-spew's rules for ``%#v`` (``spew/format.go``):

* a value prints ``(<type>)`` first, unless it is an element of a slice or
  a key or value of a map; strings are written raw, without quotes;
* a struct prints ``{Field:value Field:value}``; a slice ``[a b]``, a map
  ``map[k:v k:v]`` with sorted keys; nil slices, maps and pointers ``<nil>``;
* a non-nil pointer prints ``(*T)`` then the value without its type; a nil
  pointer ``(*T)<nil>``; inside a slice or map ``<*>`` and ``<nil>``.

The JSON is read as the controller manager's informer would decode the
protobuf the API server sends: an empty list or map is nil, a present
object (even ``{}``) is a non-nil pointer, quantities are parsed as
``resource.ParseQuantity`` does. Not reproduced: non-zero timestamps (Go
prints the ``time.Location`` internals) and quantities outside
``ParseQuantity``'s int64 fast path (printed as ``inf.Dec`` internals);
these still hash deterministically, just not as a real cluster would.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from engine.controllers.deployment.quantity import parse_quantity

Obj = dict[str, Any]

_INTS = {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32",
         "uint64", "uintptr"}
ROOT = "core.PodTemplateSpec"


@functools.cache
def _types() -> dict[str, Obj]:
    return json.loads((Path(__file__).with_name("gotypes_v1_32.json")).read_text())


@functools.cache
def go_name(t: str) -> str:
    """reflect's ``Type.String()`` for a table type key (``core.PodSpec`` -> ``v1.PodSpec``)."""
    if t.startswith("*"):
        return "*" + go_name(t[1:])
    if t.startswith("[]"):
        return "[]" + go_name(t[2:])
    if t.startswith("map["):
        key, value = _split_map(t)
        return f"map[{go_name(key)}]{go_name(value)}"
    if "." not in t:
        return t
    pkg, name = t.split(".", 1)
    info = _types().get(t) or {}
    return f"{info.get('pkgname', pkg)}.{name}"


@functools.cache
def _split_map(t: str) -> tuple[str, str]:
    depth = 0
    for i, c in enumerate(t[3:], 3):
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return t[4:i], t[i + 1:]
    raise ValueError(t)


@functools.cache
def _underlying(t: str) -> str:
    """The kind a type key stands for: a builtin, ``[]``/``map[``/``*`` form,
    ``struct`` or a special (``time.Time``)."""
    info = _types().get(t)
    if info is None:
        return t
    if info["kind"] == "named":
        return _underlying(info["underlying"])
    if info["kind"] == "struct":
        return "struct"
    return t


class _Printer:
    """go-spew's ``formatState`` for ``%#v``."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.ignore = False  # ignoreNextType

    def value(self, t: str, v: Any) -> None:
        if t.startswith("*"):
            self.pointer(t, v)
            return
        if not self.ignore:
            self.out.append(f"({go_name(t)})")
        self.ignore = False
        self.body(t, v)

    def pointer(self, t: str, v: Any) -> None:
        """``formatPtr``."""
        if v is None:
            if not self.ignore:
                self.out.append(f"({go_name(t)})")
            self.out.append("<nil>")
            return
        self.out.append("<*>" if self.ignore else f"({go_name(t)})")
        self.ignore = True
        self.value(t[1:], v)

    def body(self, t: str, v: Any) -> None:
        special = _SPECIAL.get(t)
        if special is not None:
            special(self, v)
            return
        kind = _underlying(t)
        if kind == "string":
            self.out.append(v if isinstance(v, str) else "")
        elif kind == "bool":
            self.out.append("true" if v else "false")
        elif kind in _INTS:
            self.out.append(str(int(v or 0)))
        elif kind in ("float32", "float64"):
            self.out.append(_go_float(float(v or 0)))
        elif kind.startswith("[]"):
            self.slice(kind[2:], v)
        elif kind.startswith("map["):
            self.map(kind, v)
        elif kind == "struct":
            self.struct(t, v)
        else:
            self.out.append("<nil>")

    def slice(self, elem: str, v: Any) -> None:
        if not v:
            self.out.append("<nil>")
            return
        self.out.append("[")
        for i, item in enumerate(v):
            if i:
                self.out.append(" ")
            self.ignore = True
            self.value(elem, item)
        self.out.append("]")

    def map(self, kind: str, v: Any) -> None:
        if not v:
            self.out.append("<nil>")
            return
        key_t, value_t = _split_map(kind)
        self.out.append("map[")
        for i, key in enumerate(sorted(v, key=lambda k: k.encode())):
            if i:
                self.out.append(" ")
            self.ignore = True
            self.value(key_t, key)
            self.out.append(":")
            self.ignore = True
            self.value(value_t, v[key])
        self.out.append("]")

    def struct(self, t: str, v: Any) -> None:
        obj = v if isinstance(v, dict) else {}
        self.out.append("{")
        for i, field in enumerate(_types()[t]["fields"]):
            if i:
                self.out.append(" ")
            self.out.append(field["name"] + ":")
            value = obj if field["inline"] else obj.get(field["json"] or "")
            self.value(field["type"], value)
        self.out.append("}")


def _go_float(x: float) -> str:
    """``strconv.FormatFloat(x, 'g', -1, 64)``."""
    text = repr(x)
    if "e" in text:
        mantissa, exp = text.split("e")
        sign = "-" if exp.startswith("-") else "+"
        return f"{mantissa.removesuffix('.0')}e{sign}{abs(int(exp)):02d}"
    return text.removesuffix(".0")


def _time(p: _Printer, v: Any) -> None:
    """``metav1.Time``: only the zero time is reproduced exactly."""
    p.out.append("{Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}}")
    if v:
        p.out.append(str(v))  # a deviation: Go would print the instant's internals


def _quantity(p: _Printer, v: Any) -> None:
    q = parse_quantity(str(v) if v is not None else "")
    dec = "(*inf.Dec)<nil>" if q.dec is None else f"(*inf.Dec){q.dec}"
    p.out.append(f"{{i:(resource.int64Amount){{value:(int64){q.value} scale:(resource.Scale)"
                 f"{q.scale}}} d:(resource.infDecAmount){{Dec:{dec}}} s:(string){q.cached} "
                 f"Format:(resource.Format){q.format}}}")


def _int_or_string(p: _Printer, v: Any) -> None:
    if isinstance(v, str):
        p.out.append(f"{{Type:(intstr.Type)1 IntVal:(int32)0 StrVal:(string){v}}}")
    else:
        p.out.append(f"{{Type:(intstr.Type)0 IntVal:(int32){int(v or 0)} StrVal:(string)}}")


_SPECIAL = {"meta.Time": _time, "resource.Quantity": _quantity,
            "intstr.IntOrString": _int_or_string}


def dump_pod_template(template: Obj) -> str:
    """``dump.ForHash(template)`` for a PodTemplateSpec in JSON form."""
    printer = _Printer()
    printer.value(ROOT, template)
    return "".join(printer.out)
