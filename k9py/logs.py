"""Container logs through the client, when the cluster serves them.

Expected client method (what issue 3's kubelets are asked to provide, in
the shape of ``GET pods/<name>/log``)::

    client.logs(name, namespace, *, container, follow=True, previous=False,
                timestamps=True, tail_lines=None, callback) -> handle with stop()

``callback`` receives lists of lines (each ``<RFC 3339 timestamp> <text>``
when ``timestamps``) on the engine thread. Without it, logs are "not
available on this cluster".
"""

from __future__ import annotations

import queue
from dataclasses import dataclass
from typing import Any

from k9py.client import NotAvailable

MAX_LINES = 5000


@dataclass
class LogRequest:
    pod: str
    namespace: str
    container: str
    previous: bool = False
    tail_lines: int | None = 200


class LogStream:
    """One log stream; lines land in a queue the UI drains."""

    def __init__(self, client: Any, request: LogRequest, logs: Any = None) -> None:
        self.request = request
        self.lines: queue.SimpleQueue[list[str]] = queue.SimpleQueue()
        logs = logs or getattr(client, "logs", None)
        if logs is None:
            raise NotAvailable("logs (container logs come with the kubelets)")
        self._handle = logs(request.pod, request.namespace, container=request.container,
                            follow=True, previous=request.previous, timestamps=True,
                            tail_lines=request.tail_lines, callback=self.lines.put)

    def drain(self) -> list[str]:
        out: list[str] = []
        while True:
            try:
                out.extend(self.lines.get_nowait())
            except queue.Empty:
                return out

    def stop(self) -> None:
        stop = getattr(self._handle, "stop", None)
        if stop is not None:
            stop()


def split_timestamp(line: str) -> tuple[str, str]:
    """``2025-01-01T00:00:00.123Z text`` -> (timestamp, text); no stamp -> ("", line)."""
    head, sep, rest = line.partition(" ")
    if sep and len(head) >= 20 and head[4:5] == "-" and head[10:11] == "T":
        return head, rest
    return "", line


class EmbeddedLogs:
    """``logs(...)`` over the embedded cluster's kubelets (``cluster.kubelets.logs``,
    an async iterator of text chunks on the engine loop), split into lines."""

    def __init__(self, cluster: Any) -> None:
        self._cluster = cluster

    def __call__(self, name: str, namespace: str, *, container: str, follow: bool = True,
                 previous: bool = False, timestamps: bool = True,
                 tail_lines: int | None = None, callback: Any) -> Any:
        import asyncio

        kubelets = getattr(self._cluster, "kubelets", None)
        if kubelets is None:
            raise NotAvailable("logs (this cluster runs no kubelets)")
        stream = self._cluster.call(lambda: kubelets.logs(
            namespace, name, container, previous=previous, tail_lines=tail_lines,
            timestamps=timestamps, follow=True))

        async def pump() -> None:
            rest = ""
            async for chunk in stream:
                rest += chunk
                *lines, rest = rest.split("\n")
                if lines:
                    callback(lines)
            if rest:
                callback([rest])

        return _Cancel(asyncio.run_coroutine_threadsafe(pump(), self._cluster.loop))


class _Cancel:
    def __init__(self, future: Any) -> None:
        self._future = future

    def stop(self) -> None:
        self._future.cancel()
