"""One renderer per kind (k9s ``internal/render``), looked up by kind name."""

from __future__ import annotations

from k9py.render.base import Column, RenderContext, Renderer, Row
from k9py.render.batch import CronJobRenderer, JobRenderer
from k9py.render.config import (
    ConfigMapRenderer,
    LeaseRenderer,
    NamespaceRenderer,
    PriorityClassRenderer,
    SecretRenderer,
    ServiceAccountRenderer,
)
from k9py.render.container import ContainerRenderer
from k9py.render.event import EventRenderer
from k9py.render.network import (
    EndpointSliceRenderer,
    EndpointsRenderer,
    IngressRenderer,
    NetworkPolicyRenderer,
    ServiceRenderer,
)
from k9py.render.node import NodeRenderer
from k9py.render.pod import PodRenderer
from k9py.render.policy import (
    HorizontalPodAutoscalerRenderer,
    PodDisruptionBudgetRenderer,
    ResourceQuotaRenderer,
)
from k9py.render.rbac import (
    ClusterRoleBindingRenderer,
    ClusterRoleRenderer,
    RoleBindingRenderer,
    RoleRenderer,
)
from k9py.render.storage import (
    PersistentVolumeClaimRenderer,
    PersistentVolumeRenderer,
    StorageClassRenderer,
)
from k9py.render.workloads import (
    DaemonSetRenderer,
    DeploymentRenderer,
    ReplicaSetRenderer,
    ReplicationControllerRenderer,
    StatefulSetRenderer,
)

_RENDERERS: dict[str, Renderer] = {r.kind: r for r in (
    PodRenderer(), DeploymentRenderer(), ReplicaSetRenderer(), StatefulSetRenderer(),
    DaemonSetRenderer(), ReplicationControllerRenderer(), JobRenderer(), CronJobRenderer(),
    ServiceRenderer(), EndpointsRenderer(), EndpointSliceRenderer(), IngressRenderer(),
    NetworkPolicyRenderer(), NodeRenderer(), NamespaceRenderer(), EventRenderer(),
    ConfigMapRenderer(), SecretRenderer(), ServiceAccountRenderer(), PriorityClassRenderer(),
    LeaseRenderer(), PersistentVolumeRenderer(), PersistentVolumeClaimRenderer(),
    StorageClassRenderer(), HorizontalPodAutoscalerRenderer(), PodDisruptionBudgetRenderer(),
    ResourceQuotaRenderer(), RoleRenderer(), ClusterRoleRenderer(), RoleBindingRenderer(),
    ClusterRoleBindingRenderer(), ContainerRenderer(),
)}


class GenericRenderer(Renderer):
    """NAME and AGE (plus NAMESPACE), as kubectl prints kinds without a printer."""

    def __init__(self, kind: str, namespaced: bool) -> None:
        self.kind = kind
        self.namespaced = namespaced
        if namespaced:
            self.columns = (Column("NAMESPACE", namespace=True), *Renderer.columns)

    def cells(self, obj, ctx):  # noqa: ANN001, ANN201
        base = super().cells(obj, ctx)
        if self.namespaced:
            return ((obj.get("metadata") or {}).get("namespace", ""), *base)
        return base


def renderer_for(kind: str, namespaced: bool = True) -> Renderer:
    return _RENDERERS.get(kind) or GenericRenderer(kind, namespaced)


__all__ = ["Column", "GenericRenderer", "RenderContext", "Renderer", "Row", "renderer_for"]
