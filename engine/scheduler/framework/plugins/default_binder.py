"""DefaultBinder: POST the pod's ``binding`` subresource.

Upstream: ``pkg/scheduler/framework/plugins/defaultbinder/default_binder.go``
(a ``v1.Binding`` with the pod's name and UID and target ``Node/<name>``).
The scheduler may add annotations to the Binding (the binding registry
copies them onto the pod); k9py uses that for the scheduling explanation
(see :mod:`engine.scheduler.explain`).
"""

from __future__ import annotations

from engine.api import errors
from engine.scheduler.binding import bind_pod
from engine.scheduler.framework.interface import BindPlugin, CycleState
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.types import Status

ANNOTATIONS_KEY = "DefaultBinderAnnotations"


class DefaultBinder(BindPlugin):
    name = names.DEFAULT_BINDER

    def bind(self, state: CycleState, pod: PodInfo, node: str) -> Status | None:
        client = self.handle.client
        try:
            bind_pod(client.api, pod.namespace, pod.name, node, uid=pod.uid,
                     annotations=state.read(ANNOTATIONS_KEY), user=client.user)
        except errors.StatusError as err:
            return Status.error(err)
        return None
