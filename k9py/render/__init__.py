"""One renderer per kind (k9s ``internal/render``), looked up by kind name.

Each kind has its own module, named after the kind in lower case (a few long
kinds by their kubectl short name: pv, pvc, hpa, pdb); README.md in this
package maps kind to module."""

from __future__ import annotations

from k9py.render.base import Column, RenderContext, Renderer, Row
from k9py.render.clusterrole import ClusterRoleRenderer
from k9py.render.clusterrolebinding import ClusterRoleBindingRenderer
from k9py.render.configmap import ConfigMapRenderer
from k9py.render.container import ContainerRenderer
from k9py.render.cronjob import CronJobRenderer
from k9py.render.daemonset import DaemonSetRenderer
from k9py.render.deployment import DeploymentRenderer
from k9py.render.endpoints import EndpointsRenderer
from k9py.render.endpointslice import EndpointSliceRenderer
from k9py.render.event import EventRenderer
from k9py.render.generic import GenericRenderer
from k9py.render.hpa import HorizontalPodAutoscalerRenderer
from k9py.render.ingress import IngressRenderer
from k9py.render.job import JobRenderer
from k9py.render.lease import LeaseRenderer
from k9py.render.namespace import NamespaceRenderer
from k9py.render.networkpolicy import NetworkPolicyRenderer
from k9py.render.node import NodeRenderer
from k9py.render.pdb import PodDisruptionBudgetRenderer
from k9py.render.pod import PodRenderer
from k9py.render.priorityclass import PriorityClassRenderer
from k9py.render.pv import PersistentVolumeRenderer
from k9py.render.pvc import PersistentVolumeClaimRenderer
from k9py.render.replicaset import ReplicaSetRenderer
from k9py.render.replicationcontroller import ReplicationControllerRenderer
from k9py.render.resourcequota import ResourceQuotaRenderer
from k9py.render.role import RoleRenderer
from k9py.render.rolebinding import RoleBindingRenderer
from k9py.render.secret import SecretRenderer
from k9py.render.service import ServiceRenderer
from k9py.render.serviceaccount import ServiceAccountRenderer
from k9py.render.statefulset import StatefulSetRenderer
from k9py.render.storageclass import StorageClassRenderer

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


def renderer_for(kind: str, namespaced: bool = True) -> Renderer:
    """The kind's own renderer, else a generic NAME/AGE one."""
    return _RENDERERS.get(kind) or GenericRenderer(kind, namespaced)


__all__ = ["Column", "GenericRenderer", "RenderContext", "Renderer", "Row", "renderer_for"]
