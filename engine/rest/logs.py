"""Where pod logs come from: the kubelets, through one interface.

kube-apiserver proxies ``pods/log`` to the pod's kubelet (upstream
``pkg/registry/core/pod/rest/log.go``, kubelet ``/containerLogs``). Here the
cluster may carry a ``logs`` provider (the kubelets of the runtime issue);
until one exists :class:`NoLogs` answers with a clear error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from engine.api import errors

Obj = dict[str, Any]


@dataclass(frozen=True)
class LogOptions:
    """``PodLogOptions`` (core/v1)."""

    container: str
    follow: bool = False
    previous: bool = False
    timestamps: bool = False
    tail_lines: int | None = None
    since_seconds: int | None = None
    since_time: str | None = None
    limit_bytes: int | None = None


class LogSource(Protocol):
    """A kubelet's view of container logs."""

    def stream(self, pod: Obj, options: LogOptions) -> AsyncIterator[str]:
        """Lines (each ending in a newline), following new ones when ``follow``."""
        ...


class NoLogs:
    """The answer while no kubelet serves logs."""

    def stream(self, pod: Obj, options: LogOptions) -> AsyncIterator[str]:
        name = pod.get("metadata", {}).get("name", "")
        node = pod.get("spec", {}).get("nodeName", "")
        raise errors.bad_request(
            f'container "{options.container}" in pod "{name}" has no logs: no kubelet on node '
            f'"{node}" serves container logs in this cluster yet')
