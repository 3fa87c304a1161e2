"""The running HTTP server: aiohttp on the engine's loop, TLS, tokens.

``RestServer.start`` must run on ``cluster.loop``; it binds the address
(loopback unless told otherwise) and returns the URL.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from engine.rest import logs, tls
from engine.rest.app import make_app
from engine.rest.auth import Tokens
from engine.rest.watch import FrameCache


class RestServer:
    def __init__(self, cluster: Any, *, address: str = "127.0.0.1", port: int = 0,
                 tokens: Tokens | None = None, cert: tls.ServingCert | None = None) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.clock = cluster.clock
        self.address = address
        self.port = port
        self.tokens = tokens or Tokens.generate()
        self.cert = cert or tls.generate(address)
        self._runner: web.AppRunner | None = None
        self.frames = FrameCache()  # encoded watch events, shared by all watchers

    @property
    def logs(self) -> Any:
        """The cluster's log provider (its kubelets), or None."""
        return logs.source_for(self.cluster)

    @property
    def kubelets(self) -> Any:
        """The simulated kubelets (usage for metrics.k8s.io), or None."""
        return getattr(self.cluster, "kubelets", None)

    @property
    def url(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"https://{host}:{self.port}"

    async def start(self) -> str:
        self._runner = web.AppRunner(make_app(self), access_log=None, handler_cancellation=True,
                                     shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.address, self.port,
                           ssl_context=self.cert.server_context(), backlog=1024)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # the port bound for port=0
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def issue_token(self, namespace: str, service_account: str) -> str:
        """A token for a TokenRequest, accepted by this server from now on."""
        return self.tokens.issue(namespace, service_account)
