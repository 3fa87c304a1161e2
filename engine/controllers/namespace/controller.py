"""The namespace controller: delete a Terminating namespace's contents, then it.

Upstream: ``pkg/controller/namespace/namespace_controller.go``
(``enqueueNamespace`` waits ``namespaceDeletionGracePeriod`` = 5 s after an
event; ``syncNamespaceFromKey`` requeues after ``estimate/2 + 1`` seconds
while content remains).
"""

from __future__ import annotations

from typing import Any

from engine.controllers.namespace.deleter import NamespacedResourcesDeleter, ResourcesRemaining
from engine.runtime import Controller, SharedInformerFactory

Obj = dict[str, Any]

COMPONENT = "namespace-controller"
NAMESPACE_DELETION_GRACE_PERIOD = 5.0


class NamespaceController(Controller):
    """``NamespaceController``."""

    def __init__(self, client: Any, factory: SharedInformerFactory, *, workers: int = 1) -> None:
        super().__init__(client.clock, name=COMPONENT, workers=workers)
        self.deleter = NamespacedResourcesDeleter(client)
        informer = factory.informer_for("namespaces")
        self.lister = informer.lister()
        self.informers.append(informer)
        informer.add_event_handler(on_add=self._enqueue, on_update=lambda o, n: self._enqueue(n))

    def _enqueue(self, ns: Obj) -> None:
        """``enqueueNamespace``: only namespaces being deleted, after the grace period."""
        if "deletionTimestamp" in ns["metadata"]:
            self.enqueue_after(ns, NAMESPACE_DELETION_GRACE_PERIOD)

    async def reconcile(self, key: str) -> float | None:
        """``syncNamespaceFromKey``."""
        if self.lister.get(None, key) is None:
            return None
        try:
            self.deleter.delete(key)
        except ResourcesRemaining as remaining:
            return float(remaining.estimate // 2 + 1)
        return None
