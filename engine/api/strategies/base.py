"""The per-resource strategy the generic registry store calls, as upstream's
``rest.RESTCreateStrategy`` / ``RESTUpdateStrategy`` (k8s.io/apiserver
``pkg/registry/rest/create.go`` and ``update.go``).

The API server owns the generic parts (metadata, resourceVersion, uid,
timestamps, concurrency, storage). A strategy owns what differs per kind:
defaulting (upstream's ``SetDefaults_*`` in ``pkg/apis/<group>/v1/defaults.go``,
here :mod:`engine.api.defaults`), what is reset on create and update (status,
generation), and validation (``pkg/apis/<group>/validation``, here
:mod:`engine.api.validation`, called when it provides the functions).

Per-kind subclasses live beside this module and are registered in
:data:`engine.api.strategies.STRATEGIES`.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from engine.api import defaults, errors, schema
from engine.api.resources import ResourceInfo

Obj = dict[str, Any]
FieldErrors = list[errors.FieldError]

# Resources whose PrepareForCreate sets ``metadata.generation = 1`` upstream (v1.32)
# and whose PrepareForUpdate bumps it on spec changes. Pods only gained a
# generation in v1.33; services, namespaces, nodes, volumes, config and RBAC
# objects never had one.
GENERATION_RESOURCES = frozenset(
    {
        ("apps", "deployments"),
        ("apps", "replicasets"),
        ("apps", "statefulsets"),
        ("apps", "daemonsets"),
        ("", "replicationcontrollers"),
        ("", "podtemplates"),
        ("batch", "jobs"),
        ("batch", "cronjobs"),
        ("networking.k8s.io", "ingresses"),
        ("networking.k8s.io", "ingressclasses"),
        ("networking.k8s.io", "networkpolicies"),
        ("policy", "poddisruptionbudgets"),
        ("discovery.k8s.io", "endpointslices"),
    }
)


@functools.cache
def _validators() -> tuple[Callable[..., FieldErrors] | None, ...]:
    """``validate_object``, ``validate_object_update`` and ``validate_status_update``
    from :mod:`engine.api.validation`, each None while that package lacks it."""
    try:
        from engine.api import validation
    except ImportError:
        return None, None, None
    return (
        getattr(validation, "validate_object", None),
        getattr(validation, "validate_object_update", None),
        getattr(validation, "validate_status_update", None),
    )


def validation_available() -> bool:
    """Whether per-kind update validation is provided by :mod:`engine.api.validation`."""
    return _validators()[1] is not None


class Strategy:
    """Defaults, create/update preparation and validation for one resource."""

    # Kinds with a status subresource ignore status on main-resource writes.
    has_status_subresource: bool = False
    allow_create_on_update: bool = False
    allow_unconditional_update: bool = True
    # The update path reads the parts of the stored object an update leaves
    # byte for byte the same and never changes them in place (defaulting,
    # admission and PrepareForUpdate copy before they change a part), so the
    # update's object may share them with its private decoding of the stored
    # object (``decoding.decode_request(stored=)``). Audited per kind.
    shares_unchanged_parts: bool = False
    # Whether the kind tracks metadata.generation; None derives it from
    # GENERATION_RESOURCES.
    uses_generation: bool | None = None
    # The status a new object starts with: upstream resets it to the zero
    # ``<Kind>Status{}``, which Go serialises with its non-omitempty fields
    # (``{"replicas": 0}`` for a ReplicaSet). None drops it.
    zero_status: Obj | None = None
    # The strategy for writes through the ``status`` subresource.
    status_class: type[StatusStrategy]

    def __init__(self, info: ResourceInfo) -> None:
        self.info = info
        self.has_status_subresource = "status" in info.subresources
        if self.uses_generation is None:
            self.uses_generation = (info.group, info.plural) in GENERATION_RESOURCES
        # The OpenAPI definition for schema checks and strategic merge keys.
        self.definition = schema.definition_name(info.group, info.version, info.kind)
        self._defaulter = defaults.defaulter_for(info)

    def graceful_delete_period(self, obj: Obj, requested: int | None) -> int:
        """Seconds a deletion waits (``rest.RESTGracefulDeleteStrategy``);
        0 deletes at once. Only pods are graceful upstream."""
        return 0

    # -- defaulting ------------------------------------------------------------
    def default(self, obj: Obj) -> None:
        """Fill upstream's defaults in place (runs on create and update)."""
        if self._defaulter is not None:
            self._defaulter(obj)

    def default_status(self, obj: Obj) -> None:
        """Defaults that apply to ``status`` alone; status writes run only these
        (the rest of the object is the stored, already defaulted one)."""

    # -- create ----------------------------------------------------------------
    def initial_status(self, obj: Obj) -> Obj | None:
        """The status a new object starts with when the client's is dropped:
        upstream's zero ``<Kind>Status{}`` as Go serialises it, or None for none."""
        return copy.deepcopy(self.zero_status) if self.zero_status is not None else None

    def prepare_for_create(self, obj: Obj) -> None:
        """Reset what a client may not set on create (status, generation)."""
        if self.has_status_subresource:
            status = self.initial_status(obj)
            if status is None:
                obj.pop("status", None)
            else:
                obj["status"] = status
        if self.uses_generation:
            obj.setdefault("metadata", {})["generation"] = 1

    # -- update ----------------------------------------------------------------
    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        """Keep the stored status; bump generation when the spec changed."""
        if self.has_status_subresource:
            if "status" in old:
                new["status"] = old["status"]
            else:
                new.pop("status", None)
        self.update_generation(new, old)

    def update_generation(self, new: Obj, old: Obj) -> None:
        """``rest.BeforeUpdate`` keeps the old generation; kinds that track it
        add one when :meth:`spec_changed`."""
        nm = new.setdefault("metadata", {})
        generation = old.get("metadata", {}).get("generation")
        if self.uses_generation and self.spec_changed(new, old):
            generation = (generation or 0) + 1
        if generation is None:
            nm.pop("generation", None)
        else:
            nm["generation"] = generation

    def spec_changed(self, new: Obj, old: Obj) -> bool:
        """Whether the update changes what generation counts (upstream compares
        ``Spec`` with ``apiequality.Semantic.DeepEqual``)."""
        return not semantic_equal(_spec_of(new), _spec_of(old))

    # -- validation --------------------------------------------------------------
    def validate(self, obj: Obj) -> FieldErrors:
        """Field errors for a new object (upstream ``Validate<Kind>``)."""
        fn = _validators()[0]
        return fn(self.info, obj) if fn is not None else []

    def validate_update(self, new: Obj, old: Obj) -> FieldErrors:
        """Field errors for an update (upstream ``Validate<Kind>Update``)."""
        fn = _validators()[1]
        if fn is not None:
            return fn(self.info, new, old)
        return self.validate(new)


class StatusStrategy:
    """Writes through the ``status`` subresource: the spec (everything but
    metadata and status) comes from the stored object, as upstream's
    ``<kind>StatusStrategy.PrepareForUpdate`` does with ``new.Spec = old.Spec``.

    Upstream's built-in kinds let a status write change labels, annotations and
    finalizers; each kind lists the metadata it resets in :attr:`kept_metadata`.
    ``None`` keeps all metadata from the stored object (the custom resource
    behaviour, used for kinds without a specific status strategy).
    """

    kept_metadata: tuple[str, ...] | None = None

    def __init__(self, main: Strategy) -> None:
        self.main = main
        self.info = main.info

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        status = new.get("status")
        sent = new.get("metadata") or {}
        new.clear()
        new.update({k: v for k, v in old.items() if k not in ("status", "metadata")})
        new["metadata"] = self._metadata(sent, old.get("metadata", {}))
        if status is not None:
            new["status"] = status
        self.main.default_status(new)
        self.main.update_generation(new, old)

    def _metadata(self, sent: Obj, old: Obj) -> Obj:
        if self.kept_metadata is None:
            meta = dict(old)
            # resourceVersion is the precondition the writer sent.
            if "resourceVersion" in sent:
                meta["resourceVersion"] = sent["resourceVersion"]
            return meta
        meta = dict(sent)
        for field in self.kept_metadata:
            if field in old:
                meta[field] = old[field]
            else:
                meta.pop(field, None)
        return meta

    def validate_update(self, new: Obj, old: Obj) -> FieldErrors:
        fn = _validators()[2]
        return fn(self.info, new, old) if fn is not None else []


Strategy.status_class = StatusStrategy


def _spec_of(obj: Obj) -> Any:
    """What counts as 'spec' for generation: everything but metadata and status."""
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "apiVersion", "kind")}


_EMPTY = (None, {}, [])


def semantic_equal(a: Any, b: Any) -> bool:
    """``apiequality.Semantic.DeepEqual`` on JSON: null, empty and absent
    collections agree (the forked reflect.DeepEqual treats nil and empty alike)."""
    if a == b:
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return all(semantic_equal(a.get(k), b.get(k)) for k in a.keys() | b.keys())
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(semantic_equal, a, b))
    return a in _EMPTY and b in _EMPTY
