"""The per-resource strategy the generic registry store calls, as upstream's
``rest.RESTCreateStrategy`` / ``RESTUpdateStrategy`` (k8s.io/apiserver
``pkg/registry/rest/create.go`` and ``update.go``).

The API server owns the generic parts (metadata, resourceVersion, uid,
timestamps, concurrency, storage). A strategy owns what differs per kind:
defaulting (upstream's ``SetDefaults_*`` in ``pkg/apis/<group>/v1/defaults.go``),
what is reset on create and update (status, generation), and validation
(``pkg/apis/<group>/validation``).
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, schema
from engine.api.resources import ResourceInfo

Obj = dict[str, Any]


class Strategy:
    """Defaults and validation for one resource; the generic base validates
    only what every object shares (metadata), via ``validate_object_meta``."""

    # Kinds with a status subresource ignore status on main-resource writes
    # and bump ``metadata.generation`` only when the spec changes.
    has_status_subresource: bool = False
    allow_create_on_update: bool = False
    allow_unconditional_update: bool = True

    def __init__(self, info: ResourceInfo) -> None:
        self.info = info
        self.has_status_subresource = "status" in info.subresources
        # The OpenAPI definition for schema checks and strategic merge keys.
        self.definition = schema.definition_name(info.group, info.version, info.kind)

    def graceful_delete_period(self, obj: Obj, requested: int | None) -> int:
        """Seconds a deletion waits (``rest.RESTGracefulDeleteStrategy``);
        0 deletes at once. Only pods are graceful upstream."""
        return 0

    def default(self, obj: Obj) -> None:
        """Fill upstream's defaults in place (runs on create and update)."""

    def prepare_for_create(self, obj: Obj) -> None:
        """Reset what a client may not set on create (status, generation)."""
        if self.has_status_subresource:
            obj.pop("status", None)
        obj.setdefault("metadata", {})["generation"] = 1

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        """Keep the stored status; bump generation when the spec changed."""
        if self.has_status_subresource:
            if "status" in old:
                new["status"] = old["status"]
            else:
                new.pop("status", None)
        generation = old.get("metadata", {}).get("generation", 1)
        if _spec_of(new) != _spec_of(old):
            generation += 1
        new.setdefault("metadata", {})["generation"] = generation

    def validate(self, obj: Obj) -> list[errors.FieldError]:
        """Field errors for a new object (upstream ``Validate<Kind>``)."""
        return []

    def validate_update(self, new: Obj, old: Obj) -> list[errors.FieldError]:
        """Field errors for an update (upstream ``Validate<Kind>Update``)."""
        return self.validate(new)


class StatusStrategy:
    """Writes through the ``status`` subresource: only status changes stick
    (upstream ``<kind>StatusStrategy.PrepareForUpdate``)."""

    def __init__(self, main: Strategy) -> None:
        self.main = main
        self.info = main.info

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        status = new.get("status")
        meta = new.get("metadata", {})
        new.clear()
        new.update({k: v for k, v in old.items() if k != "status"})
        new["metadata"] = dict(old.get("metadata", {}))
        # Labels, annotations and finalizers are not the status writer's to change,
        # but resourceVersion is the precondition it sent.
        if "resourceVersion" in meta:
            new["metadata"]["resourceVersion"] = meta["resourceVersion"]
        if status is not None:
            new["status"] = status

    def validate_update(self, new: Obj, old: Obj) -> list[errors.FieldError]:
        return []


def _spec_of(obj: Obj) -> Any:
    """What counts as 'spec' for generation: everything but metadata and status."""
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "apiVersion", "kind")}
