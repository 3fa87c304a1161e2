"""The shared informer factory: one informer per watched slice, for everyone.

Upstream: k8s.io/client-go ``informers/factory.go``
(``sharedInformerFactory.InformerFor``, ``Start``, ``WaitForCacheSync``).
kube-controller-manager builds one factory and hands it to every controller,
so the deployment and replicaset controllers share one pod cache and one
watch. Here an informer is shared per (resource, namespace, label selector,
field selector); the resource may be named any way the API accepts
(``"po"``, ``"pods"``, a :class:`~engine.api.resources.ResourceInfo`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from engine.api.resources import ResourceInfo, resolve
from engine.runtime.indexer import IndexFunc
from engine.runtime.informer import SharedInformer
from engine.runtime.lister import Lister

InformerKey = tuple[str, str, str, str, str]


class SharedInformerFactory:
    """Hands out shared informers; ``start`` runs those not yet running."""

    def __init__(
        self,
        client: Any,
        *,
        default_resync: float = 0.0,
        namespace: str | None = None,
        watch_timeout: float | None = None,
    ) -> None:
        self.client = client
        self.default_resync = default_resync
        self.namespace = namespace or None
        self.watch_timeout = watch_timeout
        self._informers: dict[InformerKey, SharedInformer] = {}
        self._stopped = False

    def informer_for(
        self,
        resource: str | ResourceInfo,
        *,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
        resync_period: float | None = None,
        indexers: dict[str, IndexFunc] | None = None,
    ) -> SharedInformer:
        """The shared informer for this slice, created on first request.

        ``resync_period`` and ``indexers`` only apply when the informer is
        created; later requests add their indexers to the shared one."""
        info = resource if isinstance(resource, ResourceInfo) else resolve(resource)
        ns = namespace or self.namespace or ""
        key = (info.group, info.plural, ns, label_selector or "", field_selector or "")
        informer = self._informers.get(key)
        if informer is None:
            period = self.default_resync if resync_period is None else resync_period
            informer = SharedInformer(
                self.client,
                info,
                namespace=ns or None,
                label_selector=label_selector,
                field_selector=field_selector,
                resync_period=period,
                indexers=indexers,
                watch_timeout=self.watch_timeout,
            )
            self._informers[key] = informer
        elif indexers:
            informer.add_indexers(indexers)
        return informer

    def lister_for(self, resource: str | ResourceInfo, **opts: Any) -> Lister:
        return self.informer_for(resource, **opts).lister()

    def informers(self) -> list[SharedInformer]:
        return list(self._informers.values())

    def start(self) -> None:
        """Start every informer not started yet (call again after asking for more)."""
        if self._stopped:
            raise RuntimeError("informer factory has been stopped")
        for informer in self._informers.values():
            if not informer.started and not informer.stopped:
                informer.start()

    def stop(self) -> None:
        """Stop every informer (``ShutDown``)."""
        self._stopped = True
        for informer in self._informers.values():
            informer.stop()

    async def wait_for_cache_sync(self) -> dict[InformerKey, bool]:
        """Wait for every started informer; whether each one synced."""
        started = [(k, i) for k, i in self._informers.items() if i.started]
        results = await asyncio.gather(*(i.wait_for_cache_sync() for _, i in started))
        return {k: ok for (k, _), ok in zip(started, results, strict=True)}
