"""``serve()``: the embedded cluster behind a real Kubernetes API endpoint.

Boots a :class:`~engine.cluster.Cluster`, starts the HTTPS API server on the
cluster's own loop, writes a kubeconfig, prints one ``ready`` line with the
URL once a request has been answered, and runs until SIGINT or SIGTERM;
then it stops serving, stops the cluster and closes (flushes) the store.
"""

from __future__ import annotations

import asyncio
import signal
import ssl
import sys
import threading
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.cluster import Cluster, ClusterConfig
from engine.rest import kubeconfig
from engine.rest.server import RestServer

DEFAULT_KUBECONFIG = "~/.kube/k9py.kubeconfig"


@dataclass
class Serving:
    """A cluster and its API server, started together and stopped together."""

    cluster: Cluster
    server: RestServer
    kubeconfig: Path | None

    @property
    def url(self) -> str:
        return self.server.url

    def stop(self, timeout: float = 10.0) -> None:
        future = asyncio.run_coroutine_threadsafe(self.server.stop(), self.cluster.loop)
        try:
            future.result(timeout)
        finally:
            self.cluster.stop(timeout)


def start(cluster: Cluster, *, address: str = "127.0.0.1", port: int = 0,
          kubeconfig_path: str | None = None, timeout: float = 30.0) -> Serving:
    """Serve an already started cluster (the TUI's ``--serve`` uses this)."""
    server = RestServer(cluster, address=address, port=port)
    asyncio.run_coroutine_threadsafe(server.start(), cluster.loop).result(timeout)
    path = None
    if kubeconfig_path is not None:
        text = kubeconfig.render(server.url, server.tokens, server.cert.cert_pem,
                                 cluster.config.name)
        path = kubeconfig.write(kubeconfig_path, text)
    _check_answers(server)
    return Serving(cluster, server, path)


def _check_answers(server: RestServer) -> None:
    """One real request, so 'ready' is only printed once requests are answered."""
    context = ssl.create_default_context(cadata=server.cert.cert_pem.decode())
    with urllib.request.urlopen(f"{server.url}/readyz", context=context, timeout=10) as reply:
        if reply.status != 200:
            raise RuntimeError(f"the API server answered /readyz with {reply.status}")


def serve(config: ClusterConfig, *, address: str = "127.0.0.1", port: int = 0,
          kubeconfig_path: str | None = None, out: Callable[[str], Any] | None = None) -> int:
    """Run until SIGINT/SIGTERM; returns the process exit code."""
    say = out or (lambda line: print(line, flush=True))
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (signal.SIGINT, signal.SIGTERM)}
    cluster = Cluster(config).start()
    try:
        serving = start(cluster, address=address, port=port,
                        kubeconfig_path=kubeconfig_path or DEFAULT_KUBECONFIG)
    except BaseException:
        cluster.stop()
        raise
    say(f"k9py API server ready at {serving.url} (kubeconfig {serving.kubeconfig}, "
        f"context {config.name})")
    try:
        while not stop.wait(0.5):
            pass
    finally:
        serving.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        print("k9py API server stopped", file=sys.stderr, flush=True)
    return 0
