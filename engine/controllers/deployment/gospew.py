"""A stand-in for go-spew's ``%#v`` dump of a ``PodTemplateSpec``.

go-spew prints the Go struct: every field in declaration order with its Go
type, nil pointers as ``<nil>``, maps with sorted keys. Reproducing those
bytes needs the v1.32 Go type of every field of the pod template; this
module prints the JSON object instead, in the same spirit (sorted keys,
typed scalars), so equal templates hash equally and any change to the
template changes the hash, but the value differs from a real cluster's.
"""

from __future__ import annotations

from typing import Any


def _fmt(value: Any) -> str:
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "(bool)" + ("true" if value else "false")
    if isinstance(value, int):
        return f"(int64){value}"
    if isinstance(value, float):
        return f"(float64){value!r}"
    if isinstance(value, str):
        return '(string)"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + " ".join(_fmt(v) for v in value) + "]"
    return "{" + " ".join(f"{k}:{_fmt(value[k])}" for k in sorted(value)) + "}"


def dump_pod_template(template: dict[str, Any]) -> str:
    return "(v1.PodTemplateSpec)" + _fmt(template)
