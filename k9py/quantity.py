"""Kubernetes resource quantities (``100m``, ``70Mi``, ``16364292Ki``) as numbers."""

from __future__ import annotations

_SUFFIX = {
    "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1.0, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
    "P": 1e15, "E": 1e18, "Ki": 2.0**10, "Mi": 2.0**20, "Gi": 2.0**30, "Ti": 2.0**40,
    "Pi": 2.0**50, "Ei": 2.0**60,
}


def parse_quantity(text: object) -> float:
    """A quantity as a float in base units (cores, bytes); raises ValueError."""
    s = str(text).strip()
    if not s:
        raise ValueError("empty quantity")
    for suffix in ("Ki", "Mi", "Gi", "Ti", "Pi", "Ei"):
        if s.endswith(suffix):
            return float(s[:-2]) * _SUFFIX[suffix]
    if s[-1] in "numkMGTPE":
        return float(s[:-1]) * _SUFFIX[s[-1]]
    return float(s)


def requests_of(pod: dict) -> dict[str, float]:
    """Effective requests: max(sum of containers, any init container), as the scheduler."""
    spec = pod.get("spec") or {}
    total: dict[str, float] = {}
    for c in spec.get("containers") or []:
        for k, v in ((c.get("resources") or {}).get("requests") or {}).items():
            total[k] = total.get(k, 0.0) + _safe(v)
    for c in spec.get("initContainers") or []:
        for k, v in ((c.get("resources") or {}).get("requests") or {}).items():
            total[k] = max(total.get(k, 0.0), _safe(v))
    return total


def _safe(value: object) -> float:
    try:
        return parse_quantity(value)
    except ValueError:
        return 0.0
