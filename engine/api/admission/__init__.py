"""Admission plugins, in kube-apiserver's recommended order
(``pkg/kubeapiserver/options/plugins.go``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.api.admission.base import AdmissionChain, AdmissionPlugin, Attributes, UserInfo
from engine.api.admission.namespace_lifecycle import NamespaceLifecycle

if TYPE_CHECKING:
    from engine.api.server import APIServer

# Plugin classes in order; other modules append theirs (service accounts,
# default toleration seconds, priority, limit ranger, resource quota).
PLUGINS: list[type[AdmissionPlugin]] = [NamespaceLifecycle]


def default_chain(api: APIServer) -> AdmissionChain:
    return AdmissionChain([plugin(api) for plugin in PLUGINS])


__all__ = ["AdmissionChain", "AdmissionPlugin", "Attributes", "UserInfo", "default_chain"]
