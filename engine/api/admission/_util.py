"""Helpers shared by the admission plugins: upstream's ``admission.NewForbidden``
wording, default-class selection, and pod resource arithmetic on quantities."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from engine.api import errors
from engine.api.admission.base import Attributes
from engine.api.validation.quantity import Quantity, QuantityError, parse_quantity_value

if TYPE_CHECKING:
    from engine.api.server import APIServer

Obj = dict[str, Any]
Resources = dict[str, Quantity]


def object_name(attrs: Attributes, obj: Obj | None) -> str:
    """The request's name, else the object's (generated names are filled late)."""
    if attrs.name:
        return attrs.name
    return ((obj or {}).get("metadata") or {}).get("name") or ""


def forbidden(attrs: Attributes, obj: Obj | None, why: str) -> errors.StatusError:
    """``admission.NewForbidden(a, err)``: 403 ``<resource> "<name>" is forbidden: <why>``."""
    return errors.forbidden_error(attrs.info.plural, attrs.info.group, object_name(attrs, obj), why)


def aggregate(messages: list[str]) -> str:
    """``utilerrors.NewAggregate(errs).Error()``: one message, or ``[a, b]``."""
    unique = list(dict.fromkeys(messages))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


def newest_default(objects: Iterable[Obj], annotations: tuple[str, ...]) -> Obj | None:
    """The default class among ``objects`` (an annotation set to ``"true"``):
    the newest by creation time, then the first by name (``GetDefaultClass``)."""
    defaults = [
        o
        for o in objects
        if any(
            ((o.get("metadata") or {}).get("annotations") or {}).get(a) == "true"
            for a in annotations
        )
    ]
    if not defaults:
        return None
    defaults.sort(key=lambda o: o["metadata"].get("name", ""))
    defaults.sort(key=lambda o: o["metadata"].get("creationTimestamp") or "", reverse=True)
    return defaults[0]


class PerRequest:
    """One value per request, shared by a plugin's mutating and validating
    phases (both get the same :class:`Attributes`), so lookups run once."""

    __slots__ = ("_attrs", "_key", "_value")

    def __init__(self) -> None:
        self._attrs: Attributes | None = None
        self._key: Any = None
        self._value: Any = None

    def get(self, attrs: Attributes, key: Any, compute: Callable[[], Any]) -> Any:
        if self._attrs is not attrs or self._key != key:
            self._value = compute()
            self._attrs, self._key = attrs, key
        return self._value


# Read through ``APIServer.lister`` caches (as upstream plugins read informers)
# instead of listing the store per request.
USE_LISTERS = True


def _lister(api: APIServer) -> Any:
    return getattr(api, "lister", None) if USE_LISTERS else None


def list_objects(api: APIServer, resource: Any, namespace: str | None = None) -> list[Obj]:
    """Objects of a resource (in ``namespace``, or all); with :data:`USE_LISTERS`,
    from the API server's lister cache. Possibly shared objects: read only."""
    lister = _lister(api)
    if lister is not None:
        return lister(resource).list(namespace)
    return api.list(resource, namespace)["items"]


def get_object(
    api: APIServer, resource: Any, name: str, namespace: str | None = None
) -> Obj | None:
    """One object, or None when it does not exist."""
    lister = _lister(api)
    if lister is not None:
        return lister(resource).get(name, namespace)
    try:
        return api.get(resource, name, namespace)
    except errors.StatusError as err:
        if err.code != 404:
            raise
    return None


# -- quantities ------------------------------------------------------------------------
def quantity(value: Any) -> Quantity | None:
    try:
        return parse_quantity_value(value)
    except (QuantityError, ValueError, OverflowError):
        return None


def resource_list(value: Any) -> Resources:
    """A ResourceList's parseable quantities."""
    out: Resources = {}
    if isinstance(value, dict):
        for name, raw in value.items():
            q = quantity(raw)
            if q is not None:
                out[name] = q
    return out


def add(total: Resources, more: Resources) -> None:
    """``addResourceList`` (a sum keeps its first non-zero operand's format)."""
    for name, q in more.items():
        current = total.get(name)
        if current is None or current.value == 0:
            total[name] = q
        else:
            total[name] = Quantity(current.value + q.value, current.format)


def maximum(total: Resources, other: Resources) -> None:
    """``maxResourceList``."""
    for name, q in other.items():
        current = total.get(name)
        if current is None or q.value > current.value:
            total[name] = q


def _containers(pod: Obj, key: str) -> list[Obj]:
    return [c for c in ((pod.get("spec") or {}).get(key) or ()) if isinstance(c, dict)]


def _of(container: Obj, field: str) -> Resources:
    return resource_list((container.get("resources") or {}).get(field))


def pod_aggregate(pod: Obj, field: str) -> Resources:
    """The pod's effective ``requests`` or ``limits``: the containers' sum, with
    sidecars (restartable init containers) added, or the largest init
    container plus the sidecars started before it, whichever is larger
    (``resourcehelper.PodRequests``/``PodLimits`` without overhead)."""
    total: Resources = {}
    for container in _containers(pod, "containers"):
        add(total, _of(container, field))
    sidecars: Resources = {}
    init_max: Resources = {}
    for container in _containers(pod, "initContainers"):
        own = _of(container, field)
        if container.get("restartPolicy") == "Always":
            add(total, own)
            add(sidecars, own)
            effective = dict(sidecars)
        else:
            effective = dict(own)
            add(effective, sidecars)
        maximum(init_max, effective)
    maximum(total, init_max)
    return total


def pod_requests(pod: Obj) -> Resources:
    """``resourcehelper.PodRequests`` including the pod overhead."""
    total = pod_aggregate(pod, "requests")
    add(total, resource_list((pod.get("spec") or {}).get("overhead")))
    return total


def pod_limits(pod: Obj) -> Resources:
    """``resourcehelper.PodLimits``: overhead is added to the limits that are set."""
    total = pod_aggregate(pod, "limits")
    for name, q in resource_list((pod.get("spec") or {}).get("overhead")).items():
        if name in total:
            add(total, {name: q})
    return total


def milli_or_units(*quantities: Quantity | None) -> list[int]:
    """``requestLimitEnforcedValues``: the values in milli units when none
    overflows int64 that way, else in whole units (absent values count as 0)."""
    values = [q.int_value() if q is not None else 0 for q in quantities]
    if all(v <= MAX_MILLI_VALUE for v in values):
        return [q.milli_value() if q is not None else 0 for q in quantities]
    return values


MAX_MILLI_VALUE = (2**63 - 1) // 1000
