"""Event expiry: kube-apiserver keeps events for ``--event-ttl`` (1 hour by
default) after they were last written (upstream stores them with an etcd
lease; here a periodic sweep on the engine clock does the same)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from engine.api import meta

if TYPE_CHECKING:
    from engine.api.server import APIServer

EVENT_TTL = 3600.0
SWEEP_INTERVAL = 60.0


def _stamp(value: Any) -> float:
    if not isinstance(value, str) or not value:
        return 0.0
    text = value.rstrip("Z").split(".")[0]
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return 0.0


def last_written(event: dict[str, Any]) -> float:
    """When an event was last touched: the latest of its timestamps."""
    series = event.get("series") or {}
    return max(_stamp(event.get("lastTimestamp")), _stamp(event.get("eventTime")),
               _stamp(series.get("lastObservedTime")),
               _stamp(event.get("metadata", {}).get("creationTimestamp")))


def expire_events(api: APIServer, ttl: float = EVENT_TTL) -> int:
    """Delete every event older than ``ttl``; returns how many went."""
    cutoff = api.clock.now() - ttl
    expired = 0
    for event in api.list("events")["items"]:
        if last_written(event) < cutoff:
            api.delete("events", meta.name_of(event), namespace=meta.namespace_of(event))
            expired += 1
    return expired
