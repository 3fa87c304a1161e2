"""Conversions between API versions of the same stored objects (upstream
``pkg/apis/<group>/<version>/conversion.go``): objects are stored once and
served in each version's shape."""

from engine.api.conversion.events import from_events_v1, to_events_v1

__all__ = ["from_events_v1", "to_events_v1"]
