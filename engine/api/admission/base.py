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
    # The remembered admission outcome this request used or made (``outcome.py``).
    memo: Any = None
    # (chain, its routes for this request) as the mutating phase worked them
    # out, for the validating phase to reuse.
    routed: Any = None


class AdmissionPlugin:
    """A plugin may mutate in ``admit`` and refuse in ``validate`` by raising
    a StatusError. Both default to doing nothing."""

    name = "Plugin"
    # True when ``handles`` depends only on the operation, the resource, the
    # subresource and whether a namespace is set, so the chain may decide it
    # once per such kind of request (see :meth:`AdmissionChain._route`).
    handles_by_request_kind = False

    def __init__(self, api: APIServer) -> None:
        self.api = api

    def handles(self, attrs: Attributes) -> bool:
        return True

    def admit(self, attrs: Attributes, obj: Obj) -> None:
        """Mutating phase."""

    def validate(self, attrs: Attributes, obj: Obj) -> None:
        """Validating phase."""


_Route = tuple[tuple[AdmissionPlugin, bool], ...]


class AdmissionChain:
    """Plugins in upstream's recommended order."""

    def __init__(self, plugins: list[AdmissionPlugin]) -> None:
        from engine.api.admission.outcome import PURE, OutcomeMemo

        self.plugins = plugins
        self._pure = PURE  # kept: an import statement per pod create costs a lookup
        self._routes: dict[tuple[Any, ...], tuple[_Route, _Route, Any]] = {}
        self._routed: tuple[list[AdmissionPlugin], int] = (plugins, len(plugins))
        self._outcomes = OutcomeMemo()

    def admit(self, attrs: Attributes, obj: Obj) -> None:
        routes = self._route(attrs)
        attrs.routed = (self, routes)
        route, _, memo = routes
        if memo:
            self._outcomes.admit(attrs, obj, route, memo)
            return
        for plugin, ask in route:
            if not ask or plugin.handles(attrs):
                plugin.admit(attrs, obj)

    def validate(self, attrs: Attributes, obj: Obj) -> None:
        routed = attrs.routed
        plugins = self.plugins
        if (routed is not None and routed[0] is self and self._routed[0] is plugins
                and self._routed[1] == len(plugins)):
            route = routed[1][1]  # as admit routed this request (the plugins are the same)
        else:
            route = self._route(attrs)[1]
        outcome = attrs.memo
        if outcome is not None:
            validated, pure = outcome.validated, self._pure
            for plugin, _ in route:
                # The pure plugins passed this outcome before: only the others run.
                if not validated or type(plugin) not in pure:
                    plugin.validate(attrs, obj)
            outcome.validated = True
            return
        for plugin, ask in route:
            if not ask or plugin.handles(attrs):
                plugin.validate(attrs, obj)

    def routes(self, attrs: Attributes) -> tuple[_Route, _Route, Any]:
        """:meth:`_route`, for the pod create plans (``engine/api/createplan.py``):
        the same tuple while the plugins stay the same, a new one after."""
        return self._route(attrs)

    def _route(self, attrs: Attributes) -> tuple[_Route, _Route, Any]:
        """The plugins each phase calls for this kind of request, in order, each
        with whether ``handles`` must still be asked, and whether (and with
        which ServiceAccount plugin) the pod-create outcome memo applies.
        Plugins whose answer depends on the kind of request alone are decided
        once; a phase a plugin does not override (a no-op) is left out. Worked
        out again when ``plugins`` is replaced or changes length."""
        plugins = self.plugins
        if self._routed[0] is not plugins or self._routed[1] != len(plugins):
            self._routes.clear()
            self._outcomes.clear()
            self._routed = (plugins, len(plugins))
        key = (attrs.operation, attrs.info, attrs.subresource, bool(attrs.namespace))
        route = self._routes.get(key)
        if route is None:
            from engine.api.admission.outcome import memoable

            phases: tuple[list[tuple[AdmissionPlugin, bool]], ...] = ([], [])
            for plugin in plugins:
                ask = not plugin.handles_by_request_kind
                if not ask and not plugin.handles(attrs):
                    continue
                if _overrides(plugin, "admit"):
                    phases[0].append((plugin, ask))
                if _overrides(plugin, "validate"):
                    phases[1].append((plugin, ask))
            admit, validate = tuple(phases[0]), tuple(phases[1])
            info = attrs.info
            memo = (attrs.operation == "CREATE" and info.plural == "pods" and not info.group
                    and not attrs.subresource and bool(attrs.namespace)
                    and memoable(admit, validate))
            route = self._routes[key] = (admit, validate, memo)
        return route


def _overrides(plugin: AdmissionPlugin, phase: str) -> bool:
    """Whether ``plugin`` does something in ``phase`` (its class or the
    instance itself replaces the base class's no-op)."""
    return (getattr(type(plugin), phase) is not getattr(AdmissionPlugin, phase)
            or phase in getattr(plugin, "__dict__", {}))
