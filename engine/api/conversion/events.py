"""core/v1 Event <-> events.k8s.io/v1 Event.

Upstream: ``pkg/apis/events/v1/conversion.go`` (both kinds convert through
the internal ``core.Event``): ``involvedObject`` <-> ``regarding``, ``message``
<-> ``note``, ``source`` <-> ``deprecatedSource``, ``firstTimestamp`` /
``lastTimestamp`` / ``count`` <-> ``deprecatedFirstTimestamp`` /
``deprecatedLastTimestamp`` / ``deprecatedCount``, and core's
``reportingComponent`` is events.k8s.io's ``reportingController``; ``eventTime``,
``series``, ``action``, ``related``, ``reason``, ``type`` and
``reportingInstance`` carry over as they are.

The results are shaped as Go serialises the v1 types: struct fields tagged
``omitempty`` are still written (``source: {}``, timestamps as ``null``), and
core's ``reportingComponent``/``reportingInstance`` are always present.
"""

from __future__ import annotations

from typing import Any

from engine.api import meta

Obj = dict[str, Any]

CORE_API_VERSION = "v1"
EVENTS_API_VERSION = "events.k8s.io/v1"
# Fields with the same name and meaning in both versions.
_SHARED = ("action", "reason", "type", "related", "reportingInstance")


def _series(series: Any, *, events_v1: bool) -> Obj | None:
    """EventSeries: ``count`` is omitempty in core only; ``lastObservedTime``
    is a struct, so it is written (as null when unset) in both."""
    if not isinstance(series, dict):
        return None
    out: Obj = {}
    count = series.get("count") or 0
    if count or events_v1:
        out["count"] = count
    out["lastObservedTime"] = series.get("lastObservedTime")
    return out


def _copy_shared(source: Obj, target: Obj) -> None:
    for key in _SHARED:
        if source.get(key) not in (None, ""):
            target[key] = source[key]


def to_events_v1(core_event: Obj) -> Obj:
    """A core/v1 Event in its events.k8s.io/v1 form."""
    src = meta.deep_copy(core_event)
    out: Obj = {
        "apiVersion": EVENTS_API_VERSION,
        "kind": "Event",
        "metadata": src.get("metadata") or {},
        "eventTime": src.get("eventTime"),
    }
    series = _series(src.get("series"), events_v1=True)
    if series is not None:
        out["series"] = series
    if src.get("reportingComponent"):
        out["reportingController"] = src["reportingComponent"]
    _copy_shared(src, out)
    out["regarding"] = src.get("involvedObject") or {}
    if src.get("message"):
        out["note"] = src["message"]
    out["deprecatedSource"] = src.get("source") or {}
    out["deprecatedFirstTimestamp"] = src.get("firstTimestamp")
    out["deprecatedLastTimestamp"] = src.get("lastTimestamp")
    if src.get("count"):
        out["deprecatedCount"] = src["count"]
    return out


def from_events_v1(ev: Obj) -> Obj:
    """An events.k8s.io/v1 Event in its core/v1 form."""
    src = meta.deep_copy(ev)
    out: Obj = {
        "apiVersion": CORE_API_VERSION,
        "kind": "Event",
        "metadata": src.get("metadata") or {},
        "involvedObject": src.get("regarding") or {},
    }
    if src.get("note"):
        out["message"] = src["note"]
    out["source"] = src.get("deprecatedSource") or {}
    out["firstTimestamp"] = src.get("deprecatedFirstTimestamp")
    out["lastTimestamp"] = src.get("deprecatedLastTimestamp")
    if src.get("deprecatedCount"):
        out["count"] = src["deprecatedCount"]
    out["eventTime"] = src.get("eventTime")
    series = _series(src.get("series"), events_v1=False)
    if series is not None:
        out["series"] = series
    _copy_shared(src, out)
    out["reportingComponent"] = src.get("reportingController") or ""
    out["reportingInstance"] = src.get("reportingInstance") or ""
    return out
