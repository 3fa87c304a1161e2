"""Creating and deleting a controller's pods, with the events upstream records.

Upstream: ``pkg/controller/controller_utils.go`` (``RealPodControl``,
``GetPodFromTemplate``, ``getPodsPrefix``) - events ``SuccessfulCreate``
``Created pod: %v``, ``FailedCreate`` ``Error creating: %v``,
``SuccessfulDelete`` ``Deleted pod: %v``, ``FailedDelete`` ``Error deleting: %v``.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, meta
from engine.events.recorder import NORMAL, WARNING, EventRecorder

Obj = dict[str, Any]

SUCCESSFUL_CREATE = "SuccessfulCreate"
FAILED_CREATE = "FailedCreate"
SUCCESSFUL_DELETE = "SuccessfulDelete"
FAILED_DELETE = "FailedDelete"


def pod_from_template(template: Obj, owner: Obj, controller_ref: Obj) -> Obj:
    """``GetPodFromTemplate``: labels, annotations and finalizers of the template,
    ``generateName: <owner>-`` and the controller reference."""
    tm = template.get("metadata") or {}
    metadata: Obj = {"generateName": f"{owner['metadata']['name']}-",
                     "namespace": owner["metadata"].get("namespace"),
                     "ownerReferences": [dict(controller_ref)]}
    for field in ("labels", "annotations", "finalizers"):
        if tm.get(field):
            metadata[field] = meta.deep_copy(tm[field])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
            "spec": meta.deep_copy(template.get("spec") or {})}


class PodControl:
    """``RealPodControl``: the writes a workload controller makes to pods."""

    def __init__(self, client: Any, recorder: EventRecorder) -> None:
        self.client = client
        self.recorder = recorder

    def create_pod(self, owner: Obj, template: Obj, controller_ref: Obj) -> Obj:
        """Create one pod; events as upstream; raises the API error on failure."""
        pod = pod_from_template(template, owner, controller_ref)
        if not pod["metadata"].get("labels"):
            raise ValueError("unable to create pods, no labels")
        try:
            # The pod is built here of copies (JSON values only) and not used
            # again: the API server may take it without copying.
            created = self.client.create("pods", pod, namespace=pod["metadata"]["namespace"],
                                         owned=True)
        except errors.StatusError as err:
            self.recorder.event(owner, WARNING, FAILED_CREATE, f"Error creating: {err}")
            raise
        self.recorder.event(owner, NORMAL, SUCCESSFUL_CREATE,
                            f"Created pod: {created['metadata']['name']}")
        return created

    def delete_pod(self, owner: Obj, namespace: str, name: str) -> None:
        try:
            self.client.delete("pods", name, namespace=namespace)
        except errors.StatusError as err:
            if err.code != 404:
                self.recorder.event(owner, WARNING, FAILED_DELETE, f"Error deleting: {err}")
            raise
        self.recorder.event(owner, NORMAL, SUCCESSFUL_DELETE, f"Deleted pod: {name}")
