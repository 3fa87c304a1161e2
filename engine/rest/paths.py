"""Parsing a request path into what it addresses.

Upstream: k8s.io/apiserver ``pkg/endpoints/request/requestinfo.go``
(``RequestInfoFactory.NewRequestInfo``): ``/api/v1`` or ``/apis/<g>/<v>``,
an optional ``namespaces/<ns>``, the resource, a name and a subresource;
the legacy ``/watch/`` prefix; ``namespaces/<ns>/status|finalize`` address
the namespace itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.api import errors

NAMESPACE_SUBRESOURCES = ("status", "finalize")


@dataclass
class RequestInfo:
    group: str
    version: str
    namespace: str = ""
    resource: str = ""
    name: str = ""
    subresource: str = ""
    legacy_watch: bool = False

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


def not_found_path() -> errors.StatusError:
    return errors.StatusError(404, "NotFound", "the server could not find the requested resource")


def parse(path: str) -> RequestInfo:
    """A resource request path (below ``/api`` or ``/apis``)."""
    parts = [p for p in path.strip("/").split("/") if p]
    if not parts or parts[0] not in ("api", "apis"):
        raise not_found_path()
    if parts[0] == "api":
        if len(parts) < 2:
            raise not_found_path()
        info, rest = RequestInfo("", parts[1]), parts[2:]
    else:
        if len(parts) < 3:
            raise not_found_path()
        info, rest = RequestInfo(parts[1], parts[2]), parts[3:]
    if rest and rest[0] == "watch":
        info.legacy_watch, rest = True, rest[1:]
    if rest and rest[0] == "namespaces" and len(rest) > 1:
        info.namespace = rest[1]
        if len(rest) > 2 and rest[2] not in NAMESPACE_SUBRESOURCES:
            rest = rest[2:]
    if not rest:
        raise not_found_path()
    info.resource = rest[0]
    if len(rest) > 1:
        info.name = rest[1]
    if len(rest) > 2:
        info.subresource = rest[2]
    if len(rest) > 3:
        raise not_found_path()
    if info.resource == "namespaces" and info.name == "" and info.namespace:
        info.name, info.namespace = info.namespace, ""
    elif info.resource == "namespaces" and info.namespace:
        info.namespace = ""
    return info
