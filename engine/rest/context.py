"""What one resource request carries through the handlers.

Upstream: the ``RequestScope`` and ``RequestInfo`` the apiserver's handlers
receive (k8s.io/apiserver ``pkg/endpoints/handlers/rest.go``), and the
option parsing of ``metav1.CreateOptions``/``UpdateOptions``/``PatchOptions``
/``DeleteOptions``/``ListOptions`` from query parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from engine.api import errors
from engine.api.admission.base import UserInfo
from engine.api.resources import ResourceInfo
from engine.rest import media
from engine.rest.paths import RequestInfo

if TYPE_CHECKING:
    from engine.rest.server import RestServer

TRUE = ("true", "1")
# Set on a request once its streamed reply has started: errors after that
# can only end the stream, not become a Status reply.
STREAMING = web.RequestKey("k9py.streaming", bool)
USER = web.RequestKey("k9py.user", UserInfo)
SERVER_KEY: web.AppKey[Any] = web.AppKey("k9py.server")


@dataclass
class Ctx:
    request: web.Request
    server: RestServer
    info: ResourceInfo
    ri: RequestInfo
    user: UserInfo
    verb: str
    accept: list[media.MediaType] = field(default_factory=list)

    @property
    def api(self) -> Any:
        return self.server.api

    @property
    def query(self) -> Any:
        return self.request.query

    @property
    def namespace(self) -> str | None:
        """The URL's namespace; None for cluster-scoped or all-namespaces requests."""
        return self.ri.namespace or None

    def now(self) -> float:
        return self.server.clock.now()

    def flag(self, name: str) -> bool:
        return self.query.get(name, "").lower() in TRUE

    def dry_run(self, options_kind: str) -> bool:
        """``dryRun=All`` (the only value upstream accepts)."""
        values = self.query.getall("dryRun", [])
        for value in values:
            if value != "All":
                raise errors.invalid_object(options_kind, "meta.k8s.io", "", [
                    errors.not_supported("dryRun", value, ["All"])])
        return bool(values)

    def field_manager(self, required: bool = False) -> str | None:
        """``fieldManager``, else the user agent's product name, as upstream's
        ``managerOrUserAgent``; apply patches must name one."""
        manager = self.query.get("fieldManager")
        if manager or required:
            return manager
        agent = self.request.headers.get("User-Agent", "")
        return agent.split("/", 1)[0][:128] or None

    def field_validation(self) -> str:
        return self.query.get("fieldValidation") or "Warn"

    def int_param(self, name: str) -> int | None:
        raw = self.query.get(name)
        if raw in (None, ""):
            return None
        try:
            return int(raw)
        except ValueError:
            raise errors.bad_request(
                f'strconv.ParseInt: parsing "{raw}": invalid syntax for {name}') from None
