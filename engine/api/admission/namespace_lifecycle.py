"""NamespaceLifecycle admission (upstream
``plugin/pkg/admission/namespace/lifecycle/admission.go``): nothing is created
in a namespace that does not exist or is being terminated."""

from __future__ import annotations

from engine.api import errors
from engine.api.admission._util import get_object
from engine.api.admission.base import AdmissionPlugin, Attributes, Obj


class NamespaceLifecycle(AdmissionPlugin):
    name = "NamespaceLifecycle"
    handles_by_request_kind = True

    def handles(self, attrs: Attributes) -> bool:
        return attrs.operation == "CREATE" and attrs.info.namespaced and bool(attrs.namespace)

    def admit(self, attrs: Attributes, obj: Obj) -> None:
        # Through the namespace lister, as upstream's plugin reads its informer
        # (the API server's listers are current after every write).
        namespace = get_object(self.api, "namespaces", attrs.namespace)
        if namespace is None:
            raise errors.not_found("namespaces", "", attrs.namespace)
        if namespace.get("status", {}).get("phase") == "Terminating":
            # Events about the namespace's own teardown are still allowed upstream.
            if attrs.info.plural == "events":
                return
            err = errors.forbidden_error(
                attrs.info.plural,
                attrs.info.group,
                attrs.name,
                f"unable to create new content in namespace {attrs.namespace} because it is "
                "being terminated",
            )
            err.details["causes"] = [
                {
                    "reason": "NamespaceTerminating",
                    "message": f"namespace {attrs.namespace} is being terminated",
                    "field": "metadata.namespace",
                }
            ]
            raise err
