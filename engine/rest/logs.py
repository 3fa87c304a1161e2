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
from engine.printers.common import parse_time

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


class KubeletLogs:
    """Logs from the simulated kubelets (``cluster.kubelets.logs``), which
    answer with a text, or with ``follow`` an async iterator of chunks."""

    def __init__(self, kubelets: Any) -> None:
        self.kubelets = kubelets

    async def stream(self, pod: Obj, options: LogOptions) -> AsyncIterator[str]:
        m = pod.get("metadata", {})
        since_time = parse_time(options.since_time) if options.since_time else None
        result = self.kubelets.logs(
            m.get("namespace", ""), m.get("name", ""), options.container,
            previous=options.previous, tail_lines=options.tail_lines,
            since_seconds=options.since_seconds, since_time=since_time,
            timestamps=options.timestamps, limit_bytes=options.limit_bytes,
            follow=options.follow)
        if isinstance(result, str):
            if result:
                yield result
            return
        async for chunk in result:
            yield chunk


def source_for(cluster: Any) -> LogSource | None:
    """The cluster's log provider: ``cluster.logs`` if it offers one, else
    its kubelets, else None."""
    provided = getattr(cluster, "logs", None)
    if provided is not None:
        return provided
    kubelets = getattr(cluster, "kubelets", None)
    if kubelets is not None and hasattr(kubelets, "logs"):
        return KubeletLogs(kubelets)
    return None


class NoLogs:
    """The answer while no kubelet serves logs."""

    async def stream(self, pod: Obj, options: LogOptions) -> AsyncIterator[str]:
        name = pod.get("metadata", {}).get("name", "")
        node = pod.get("spec", {}).get("nodeName", "")
        raise errors.bad_request(
            f'container "{options.container}" in pod "{name}" has no logs: no kubelet on node '
            f'"{node}" serves container logs in this cluster yet')
        yield ""  # an async generator, like every LogSource
