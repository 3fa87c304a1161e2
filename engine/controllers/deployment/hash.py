"""The ``pod-template-hash``: ``controller.ComputeHash``.

Upstream (``pkg/controller/controller_utils.go``): FNV-32a over
``hashutil.DeepHashObject(template)`` (``dump.ForHash``: a go-spew ``%#v``
dump of the Go ``PodTemplateSpec``), then the collision count as 8 bytes (a
little-endian uint32 in an 8-byte buffer), and ``rand.SafeEncodeString`` of
the decimal sum, each digit mapped into ``bcdfghjklmnpqrstvwxz2456789``.

The dump is reproduced byte for byte (:mod:`.gospew`), so names match a
real v1.32 cluster: the seed's nginx:1.14.2 template gives
``nginx-deployment-647677fc66`` and nginx:1.16.1 ``nginx-deployment-8d94c585f``.
"""

from __future__ import annotations

from typing import Any

from engine.controllers.deployment.gospew import dump_pod_template

Obj = dict[str, Any]

ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
FNV32_OFFSET = 2166136261
FNV32_PRIME = 16777619


def fnv32a(data: bytes, h: int = FNV32_OFFSET) -> int:
    for byte in data:
        h = ((h ^ byte) * FNV32_PRIME) & 0xFFFFFFFF
    return h


def safe_encode_string(s: str) -> str:
    """``rand.SafeEncodeString``."""
    return "".join(ALPHANUMS[ord(c) % len(ALPHANUMS)] for c in s)


def compute_hash(template: Obj, collision_count: int | None) -> str:
    """``ComputeHash``."""
    h = fnv32a(dump_pod_template(template).encode())
    if collision_count is not None:
        h = fnv32a((collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4), h)
    return safe_encode_string(str(h))
