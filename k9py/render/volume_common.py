"""What the PersistentVolume and PersistentVolumeClaim renderers share:
kubectl's access-mode abbreviations and the phase → row status mapping."""

from __future__ import annotations

from k9py.render.base import ERROR, OK, PENDING

_MODES = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX",
          "ReadWriteOncePod": "RWOP"}


def access_modes(modes: list[str] | None) -> str:
    return ",".join(_MODES.get(m, m) for m in modes or [])


def phase_status(phase: str) -> str:
    """Bound/Available are fine, Pending/Released wait, anything else (Failed, Lost) is an error."""
    return {"Bound": OK, "Available": OK, "Pending": PENDING, "Released": PENDING}.get(
        phase, ERROR)
