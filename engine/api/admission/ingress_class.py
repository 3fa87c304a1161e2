"""DefaultIngressClass admission (upstream
``plugin/pkg/admission/network/defaultingressclass/admission.go``): a new
Ingress with neither ``spec.ingressClassName`` nor the
``kubernetes.io/ingress.class`` annotation gets the default IngressClass,
the newest one annotated ``ingressclass.kubernetes.io/is-default-class: "true"``."""

from __future__ import annotations

from typing import Any

from engine.api.admission._util import list_objects, newest_default
from engine.api.admission.base import AdmissionPlugin, Attributes

Obj = dict[str, Any]

DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
CLASS_ANNOTATION = "kubernetes.io/ingress.class"


class DefaultIngressClass(AdmissionPlugin):
    name = "DefaultIngressClass"
    handles_by_request_kind = True

    def handles(self, attrs: Attributes) -> bool:
        return (
            attrs.operation == "CREATE"
            and attrs.info.plural == "ingresses"
            and attrs.info.group == "networking.k8s.io"
            and not attrs.subresource
        )

    def admit(self, attrs: Attributes, obj: Obj) -> None:
        spec = obj.get("spec")
        if not isinstance(spec, dict) or spec.get("ingressClassName") is not None:
            return
        if CLASS_ANNOTATION in ((obj.get("metadata") or {}).get("annotations") or {}):
            return
        default = newest_default(
            list_objects(self.api, "ingressclasses"), (DEFAULT_CLASS_ANNOTATION,)
        )
        if default is not None:
            spec["ingressClassName"] = default["metadata"]["name"]
