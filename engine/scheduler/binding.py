"""The ``pods/binding`` subresource, as the scheduler's DefaultBinder POSTs it.

Upstream: ``pkg/registry/core/pod/storage/storage.go`` (``BindingREST.Create``
-> ``assignPod`` -> ``setPodHostAndAnnotations``): a guaranteed update of the
stored pod that sets ``spec.nodeName`` past the pod strategy's update
validation (which forbids changing it), copies the Binding's annotations
onto the pod and sets the ``PodScheduled=True`` condition.

TEMPORARY HOME. The engine's :class:`~engine.api.server.APIServer` has no
binding verb yet, and neither ``create("bindings")`` (stores a Binding object
and nothing else) nor an update of ``spec.nodeName`` (refused by validation)
can bind a pod. Until the API server grows ``bind``, :func:`bind` is that
verb, written against the API server's store exactly as the registry's
``GuaranteedUpdate`` would be; :func:`bind_pod` prefers ``api.bind`` when it
exists. ``engine/rest/subresources.py`` looks for ``APIServer.bind`` with the
signature ``bind(name, node, *, namespace, user, dry_run)``; :func:`bind`
accepts that too, so the API server can adopt it as-is.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, meta

Obj = dict[str, Any]

# GuaranteedUpdate retries a conflicting write; the store is single-threaded
# here, so a conflict can only come from a write between read and update.
MAX_RETRIES = 5


def bind_pod(api: Any, namespace: str, name: str, node: str, *, uid: str = "",
             annotations: dict[str, str] | None = None, user: Any = None) -> Obj:
    """POST ``pods/<name>/binding`` with target ``node``; returns the bound pod."""
    verb = getattr(api, "bind", None)
    if verb is not None and not getattr(verb, "_k9py_scheduler_binding", False):
        return verb(name, node, namespace=namespace, uid=uid, annotations=annotations,
                    user=user)
    return bind(api, name, node, namespace=namespace, uid=uid, annotations=annotations)


def bind(api: Any, name: str, node: str, *, namespace: str = "default", uid: str = "",
         annotations: dict[str, str] | None = None, user: Any = None,
         dry_run: bool = False) -> Obj:
    """``BindingREST.Create`` for one pod (see the module docstring)."""
    if not node:
        raise errors.invalid_object("Binding", "", name, [errors.required("target.name")])
    info = api.info("pods")
    key = info.key(namespace, name)
    for _ in range(MAX_RETRIES):
        kv = api.store.get(key)
        if kv is None:
            raise errors.not_found("pods", "", name)
        pod = meta.decode(kv.value, kv.mod_revision)
        _check_bindable(pod, name, uid)
        _assign(pod, node, annotations, api.clock.rfc3339())
        if dry_run:
            return pod
        written = api.store.update(key, meta.encode(pod), kv.mod_revision)
        if written is not None:
            pod["metadata"]["resourceVersion"] = str(written.mod_revision)
            return pod
    raise errors.conflict("pods", "", name)


bind._k9py_scheduler_binding = True  # type: ignore[attr-defined]


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
    """``setPodHostAndAnnotations``."""
    pod["spec"]["nodeName"] = node
    if annotations:
        pod["metadata"].setdefault("annotations", {}).update(annotations)
    status = pod.setdefault("status", {})
    conditions = status.setdefault("conditions", [])
    new = {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
           "lastTransitionTime": now}
    for i, cond in enumerate(conditions):
        if cond.get("type") == "PodScheduled":
            if cond.get("status") == "True":
                new["lastTransitionTime"] = cond.get("lastTransitionTime")
            conditions[i] = new
            return
    conditions.append(new)
