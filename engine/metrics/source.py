"""Where resource metrics come from: the cluster's simulated kubelets.

metrics-server scrapes every kubelet's ``/metrics/resource`` each 15 s and
serves ``metrics.k8s.io/v1beta1``; here the kubelet manager
(``cluster.kubelets``, :mod:`engine.kubelet.manager`) computes the same
readings on demand. A component that needs them (the HPA controller) finds
the source for its API server with :func:`source_for`: what
:func:`register` recorded, else the :class:`~engine.cluster.Cluster` that
owns the API server (found once, then cached), whose ``kubelets`` may
appear later than the component starts.
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

_SOURCES: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


class ClusterSource:
    """Reads ``cluster.kubelets`` at each call (None until kubelets run)."""

    def __init__(self, cluster: Any) -> None:
        self._cluster = weakref.ref(cluster)

    @property
    def kubelets(self) -> Any:
        cluster = self._cluster()
        return getattr(cluster, "kubelets", None) if cluster is not None else None


class FixedSource:
    def __init__(self, kubelets: Any) -> None:
        self.kubelets = kubelets


def register(api: Any, kubelets: Any) -> None:
    """Say where ``api``'s metrics come from (a KubeletManager or a stand-in)."""
    _SOURCES[api] = FixedSource(kubelets)


def source_for(api: Any) -> Any:
    """An object whose ``kubelets`` attribute serves ``pod_metrics``/``node_metrics``."""
    found = _SOURCES.get(api)
    if found is None:
        cluster = _owning_cluster(api)
        found = ClusterSource(cluster) if cluster is not None else FixedSource(None)
        _SOURCES[api] = found
    return found


def _owning_cluster(api: Any) -> Any:
    """The object whose ``api`` attribute is ``api`` and that has ``kubelets``."""
    for ref in gc.get_referrers(api):
        if not isinstance(ref, dict):
            if getattr(ref, "api", None) is api and hasattr(ref, "kubelets"):
                return ref
            continue
        if ref.get("api") is api and "kubelets" in ref:
            for owner in gc.get_referrers(ref):
                if getattr(owner, "__dict__", None) is ref:
                    return owner
    return None
