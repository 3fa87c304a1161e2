"""Which view class shows which kind (k9s's view registrar)."""

from __future__ import annotations

from k9py.views.misc import EventView, NamespaceView, SecretView, ServiceView
from k9py.views.nodes import NodeView
from k9py.views.pods import PodView
from k9py.views.resource import ResourceView, Scope
from k9py.views.workloads import (
    CronJobView,
    DaemonSetView,
    DeploymentView,
    JobView,
    ReplicaSetView,
    ReplicationControllerView,
    StatefulSetView,
)

VIEWS: dict[str, type[ResourceView]] = {
    "Pod": PodView, "Deployment": DeploymentView, "ReplicaSet": ReplicaSetView,
    "StatefulSet": StatefulSetView, "DaemonSet": DaemonSetView,
    "ReplicationController": ReplicationControllerView, "Job": JobView, "CronJob": CronJobView,
    "Node": NodeView, "Namespace": NamespaceView, "Service": ServiceView, "Event": EventView,
    "Secret": SecretView,
}


def view_for(scope: Scope, filter_text: str = "") -> ResourceView:
    return VIEWS.get(scope.kind.kind, ResourceView)(scope, filter_text)
