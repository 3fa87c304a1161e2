"""How many pods a budget expects: the replicas of the pods' controllers.

Upstream: ``pkg/controller/disruption/disruption.go`` (``getExpectedScale``
with the finders ``getPodReplicaSet`` - a ReplicaSet owned by a Deployment
counts as the Deployment -, ``getPodReplicationController``,
``getPodStatefulSet``): every pod must have a controller, each controller
counts once, with its ``spec.replicas``.
"""

from __future__ import annotations

from typing import Any

from engine.controllers.util.owners import controller_of

Obj = dict[str, Any]
KINDS = {("apps", "ReplicaSet"): "replicasets", ("apps", "Deployment"): "deployments",
         ("apps", "StatefulSet"): "statefulsets", ("", "ReplicationController"):
         "replicationcontrollers"}


class ScaleError(Exception):
    """A pod without a controller whose scale is known."""


def _group(ref: Obj) -> str:
    api_version = ref.get("apiVersion", "")
    return api_version.split("/")[0] if "/" in api_version else ""


class ScaleFinder:
    def __init__(self, listers: dict[str, Any]) -> None:
        self.listers = listers

    def owner(self, namespace: str, ref: Obj | None) -> Obj | None:
        if ref is None:
            return None
        resource = KINDS.get((_group(ref), ref.get("kind", "")))
        if resource is None:
            return None
        found = self.listers[resource].get(namespace, ref.get("name", ""))
        if found is None or found["metadata"].get("uid") != ref.get("uid"):
            return None
        return found

    def scale_owner(self, pod: Obj) -> Obj | None:
        """The pod's top controller with a scale: a Deployment over its ReplicaSet."""
        ns = pod["metadata"].get("namespace", "")
        owner = self.owner(ns, controller_of(pod))
        if owner is not None and owner.get("kind") == "ReplicaSet":
            parent = self.owner(ns, controller_of(owner))
            if parent is not None:
                return parent
        return owner

    def expected(self, pods: list[Obj]) -> int:
        """``getExpectedScale``."""
        seen: dict[str, int] = {}
        for pod in pods:
            owner = self.scale_owner(pod)
            if owner is None:
                raise ScaleError(f'found no controllers for pod "{pod["metadata"]["name"]}"')
            replicas = (owner.get("spec") or {}).get("replicas")
            seen[owner["metadata"]["uid"]] = 1 if replicas is None else int(replicas)
        return sum(seen.values())
