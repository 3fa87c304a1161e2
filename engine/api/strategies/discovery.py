"""EndpointSlices (upstream ``pkg/registry/discovery/endpointslice/strategy.go``):
generation 1 on create, bumped when anything but metadata changes, or the
labels do (a slice has no spec or status: endpoints and ports are top level).
"""

from __future__ import annotations

from typing import Any

from engine.api.strategies.base import Strategy, _spec_of, semantic_equal

Obj = dict[str, Any]


class EndpointSliceStrategy(Strategy):
    """``endpointSliceStrategy``."""

    def spec_changed(self, new: Obj, old: Obj) -> bool:
        labels_changed = not semantic_equal(
            (new.get("metadata") or {}).get("labels"), (old.get("metadata") or {}).get("labels")
        )
        return labels_changed or not semantic_equal(_spec_of(new), _spec_of(old))


STRATEGIES = {("discovery.k8s.io", "endpointslices"): EndpointSliceStrategy}
