"""ReplicationControllers: a ReplicaSet's columns, with a map selector."""

from __future__ import annotations

from k9py.render import base
from k9py.render.replicaset import ReplicaSetRenderer
from k9py.render.workload_common import spec_of


class ReplicationControllerRenderer(ReplicaSetRenderer):
    kind = "ReplicationController"

    def selector(self, obj: base.Obj) -> str:
        """spec.selector of a ReplicationController is a bare label map."""
        return base.map_selector_text(spec_of(obj).get("selector"))
