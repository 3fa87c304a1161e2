"""The ``pods/binding`` subresource: how the scheduler assigns a pod to a node.

Upstream: ``pkg/registry/core/pod/storage/storage.go`` (``BindingREST.Create``
-> ``assignPod`` -> ``setPodHostAndAnnotations``): a guaranteed update of the
stored pod that sets ``spec.nodeName`` (which an ordinary pod update may not
change), copies the Binding's annotations onto the pod and sets the
``PodScheduled=True`` condition.

The pod is built from the watch cache's shared copy when it holds the stored
revision (copying only the parts :func:`_assign` writes), and the bound pod
goes to the watchers as it is: the caller gets only a Status upstream, so
the pod returned here is read only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.api import errors, meta

if TYPE_CHECKING:
    from engine.api.server import APIServer

Obj = dict[str, Any]

# GuaranteedUpdate retries when another write lands between read and update.
MAX_RETRIES = 5


def bind(api: APIServer, name: str, node: str, *, namespace: str, uid: str = "",
         annotations: dict[str, str] | None = None, dry_run: bool = False) -> Obj:
    """``BindingREST.Create`` for one pod; returns the bound pod."""
    if not node:
        raise errors.invalid_object("Binding", "", name, [errors.required("target.name")])
    info = api.info("pods")
    key = info.key(namespace, name)
    for _ in range(MAX_RETRIES):
        kv = api.store.get(key)
        if kv is None:
            raise errors.not_found("pods", "", name)
        held = api.cache.latest(key, kv.mod_revision)
        pod = meta.decode(kv.value, kv.mod_revision) if held is None else _writable(held)
        _check_bindable(pod, name, uid)
        _assign(pod, node, annotations, api.clock.rfc3339())
        if dry_run:
            return pod if held is None else meta.deep_copy(pod)
        value = meta.encode(pod)
        api.cache.hint(key, value, pod)
        written = api.store.update(key, value, kv.mod_revision)
        if written is not None:
            pod["metadata"]["resourceVersion"] = str(written.mod_revision)
            return pod
        api.cache.unhint(key)
    raise errors.conflict("pods", "", name)


def _writable(shared: Obj) -> Obj:
    """A copy of the shared pod in which :func:`_assign` may write: the top
    level, metadata, annotations, spec, status and its conditions list are
    copied; everything else stays shared (and is only read)."""
    pod = dict(shared)
    m = pod["metadata"] = dict(shared["metadata"])
    if type(m.get("annotations")) is dict:
        m["annotations"] = dict(m["annotations"])
    if type(pod.get("spec")) is dict:
        pod["spec"] = dict(pod["spec"])
    status = pod.get("status")
    if type(status) is dict:
        status = pod["status"] = dict(status)
        if type(status.get("conditions")) is list:
            status["conditions"] = list(status["conditions"])
    return pod


def _check_bindable(pod: Obj, name: str, uid: str) -> None:
    m, spec = pod["metadata"], pod.get("spec") or {}
    if uid and m.get("uid") != uid:
        raise errors.conflict("pods", "", name, f"Precondition failed: UID in precondition: "
                                                f"{uid}, UID in object meta: {m.get('uid', '')}")
    if m.get("deletionTimestamp"):
        raise errors.conflict("pods", "", name,
                              f"pod {name} is being deleted, cannot be assigned to a host")
    if spec.get("nodeName"):
        raise errors.conflict("pods", "", name,
                              f'pod {name} is already assigned to node "{spec["nodeName"]}"')
    if spec.get("schedulingGates"):
        raise errors.conflict("pods", "", name, f"pod {name} has non-empty .spec.schedulingGates")


def _assign(pod: Obj, node: str, annotations: dict[str, str] | None, now: str) -> None:
    """``setPodHostAndAnnotations`` plus the PodScheduled condition."""
    pod["spec"]["nodeName"] = node
    if annotations:
        pod["metadata"].setdefault("annotations", {}).update(annotations)
    conditions = pod.setdefault("status", {}).setdefault("conditions", [])
    new = {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
           "lastTransitionTime": now}
    for i, cond in enumerate(conditions):
        if cond.get("type") == "PodScheduled":
            if cond.get("status") == "True":
                new["lastTransitionTime"] = cond.get("lastTransitionTime")
            conditions[i] = new
            return
    conditions.append(new)
