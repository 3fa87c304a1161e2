"""Admission control as in kube-apiserver: mutating plugins run first, then
validating ones, each seeing the request's attributes (k8s.io/apiserver
``pkg/admission/interfaces.go``). Plugins read other objects through the API
server they are given, never the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from engine.api.resources import ResourceInfo

if TYPE_CHECKING:
    from engine.api.server import APIServer

Obj = dict[str, Any]


@dataclass
class UserInfo:
    """Who makes a request (``user.Info``)."""

    name: str = "system:admin"
    groups: tuple[str, ...] = ("system:masters", "system:authenticated")
    uid: str = ""
    extra: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Attributes:
    """``admission.Attributes`` for one request."""

    operation: str  # CREATE, UPDATE, DELETE, CONNECT
    info: ResourceInfo
    namespace: str
    name: str
    subresource: str = ""
    old: Obj | None = None
    user: UserInfo | None = None
    dry_run: bool = False


class AdmissionPlugin:
    """A plugin may mutate in ``admit`` and refuse in ``validate`` by raising
    a StatusError. Both default to doing nothing."""

    name = "Plugin"

    def __init__(self, api: APIServer) -> None:
        self.api = api

    def handles(self, attrs: Attributes) -> bool:
        return True

    def admit(self, attrs: Attributes, obj: Obj) -> None:
        """Mutating phase."""

    def validate(self, attrs: Attributes, obj: Obj) -> None:
        """Validating phase."""


class AdmissionChain:
    """Plugins in upstream's recommended order."""

    def __init__(self, plugins: list[AdmissionPlugin]) -> None:
        self.plugins = plugins

    def admit(self, attrs: Attributes, obj: Obj) -> None:
        for plugin in self.plugins:
            if plugin.handles(attrs):
                plugin.admit(attrs, obj)

    def validate(self, attrs: Attributes, obj: Obj) -> None:
        for plugin in self.plugins:
            if plugin.handles(attrs):
                plugin.validate(attrs, obj)
