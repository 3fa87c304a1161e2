"""Scale, restart, set image, pause/resume, rollout history and undo.

Rollback follows ``kubectl rollout undo``: for a Deployment, the ReplicaSets
it controls carry ``deployment.kubernetes.io/revision``; undo copies the
chosen ReplicaSet's pod template (minus ``pod-template-hash``) and its
annotations into the Deployment with a JSON patch. For StatefulSets and
DaemonSets the history is their ControllerRevisions, whose ``data`` is the
strategic merge patch that restores the template.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from k9py.client import JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, ClusterClient
from k9py.render.base import containers_of, created, meta, selector_text

Obj = dict[str, Any]
REVISION = "deployment.kubernetes.io/revision"
CHANGE_CAUSE = "kubernetes.io/change-cause"
HASH_LABEL = "pod-template-hash"
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
# kubectl's annotationsToSkip (kubectl/pkg/polymorphichelpers/rollback.go).
SKIP_ANNOTATIONS = frozenset({
    "kubectl.kubernetes.io/last-applied-configuration", REVISION,
    "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to",
})
SCALABLE = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"})
ROLLABLE = frozenset({"Deployment", "StatefulSet", "DaemonSet"})
UPDATE_RETRIES = 5


def parse_replicas(text: str) -> int:
    """The scale dialog's input: a whole number from 0 up."""
    text = text.strip()
    if not text.isdigit():
        raise ValueError(f"replicas must be a whole number ≥ 0, not {text!r}")
    value = int(text)
    if value > 100_000:
        raise ValueError("replicas must be at most 100000")
    return value


def scale(client: ClusterClient, resource: str, name: str, namespace: str,
          replicas: int) -> Obj:
    """``kubectl scale``: a merge patch of ``spec.replicas``."""
    return client.patch(resource, name, {"spec": {"replicas": replicas}}, MERGE_PATCH,
                        namespace=namespace, field_manager="k9py")


def restart(client: ClusterClient, resource: str, name: str, namespace: str, now: str) -> Obj:
    """``kubectl rollout restart``: stamp the pod template so every pod is replaced."""
    body = {"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: now}}}}}
    return client.patch(resource, name, body, MERGE_PATCH, namespace=namespace,
                        field_manager="kubectl-rollout")


def set_paused(client: ClusterClient, name: str, namespace: str, paused: bool) -> Obj:
    """``kubectl rollout pause/resume``."""
    body = {"spec": {"paused": True if paused else None}}
    return client.patch("deployments.apps", name, body, MERGE_PATCH, namespace=namespace,
                        field_manager="kubectl-rollout")


def mutate(client: ClusterClient, resource: str, name: str, namespace: str | None,
           change: Any) -> Obj:
    """Read, change a copy, write back with its resourceVersion; retry on 409."""
    for attempt in range(UPDATE_RETRIES):
        obj = copy.deepcopy(client.get(resource, name, namespace))
        change(obj)
        try:
            return client.update(resource, obj, namespace=namespace, field_manager="k9py")
        except Exception as err:
            if getattr(err, "code", None) != 409 or attempt == UPDATE_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def set_images(client: ClusterClient, resource: str, name: str, namespace: str,
               images: dict[str, str]) -> Obj:
    """``kubectl set image``: new images for the named containers (init ones too)."""
    for container, image in images.items():
        if not image.strip() or any(c.isspace() for c in image.strip()):
            raise ValueError(f"invalid image for {container}: {image!r}")

    def change(obj: Obj) -> None:
        spec = obj["spec"] if resource.startswith("pods") else obj["spec"]["template"]["spec"]
        found = set()
        for key in ("initContainers", "containers"):
            for c in spec.get(key) or []:
                if c.get("name") in images:
                    c["image"] = images[c["name"]].strip()
                    found.add(c["name"])
        missing = set(images) - found
        if missing:
            raise ValueError(f"no container named {', '.join(sorted(missing))}")

    return mutate(client, resource, name, namespace, change)


# -- rollout history ---------------------------------------------------------------------------
@dataclass
class Revision:
    """One entry of ``kubectl rollout history``."""

    number: int
    change_cause: str
    images: str
    created: float
    source: Obj = field(repr=False, default_factory=dict)
    current: bool = False


def _controlled_by(obj: Obj, owner: Obj) -> bool:
    uid = meta(owner).get("uid")
    return any(ref.get("controller") and ref.get("uid") == uid
               for ref in meta(obj).get("ownerReferences") or [])


def _selector(owner: Obj) -> str | None:
    text = selector_text((owner.get("spec") or {}).get("selector"))
    return None if text == "<none>" else text


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def history(client: ClusterClient, kind: str, owner: Obj) -> list[Revision]:
    """Revisions, oldest first; the highest is the current one."""
    ns = meta(owner).get("namespace")
    if kind == "Deployment":
        revs = _deployment_history(client, owner, ns)
    elif kind in ("StatefulSet", "DaemonSet"):
        revs = _controller_history(client, owner, ns)
    else:
        raise ValueError(f"{kind} has no rollout history")
    revs.sort(key=lambda r: r.number)
    if revs:
        revs[-1].current = True
    return revs


def _deployment_history(client: ClusterClient, owner: Obj, ns: str | None) -> list[Revision]:
    items = client.list("replicasets.apps", ns, label_selector=_selector(owner))["items"]
    out = []
    for rs in items:
        number = _int((meta(rs).get("annotations") or {}).get(REVISION))
        if number is None or not _controlled_by(rs, owner):
            continue
        cause = (meta(rs).get("annotations") or {}).get(CHANGE_CAUSE, "<none>")
        images = ",".join(c.get("image", "") for c in containers_of(rs))
        out.append(Revision(number, cause, images, created(rs), rs))
    return out


def _controller_history(client: ClusterClient, owner: Obj, ns: str | None) -> list[Revision]:
    items = client.list("controllerrevisions.apps", ns, label_selector=_selector(owner))["items"]
    out = []
    for cr in items:
        if not _controlled_by(cr, owner):
            continue
        template = (((cr.get("data") or {}).get("spec") or {}).get("template") or {})
        images = ",".join(c.get("image", "") for c in (template.get("spec") or {}).get(
            "containers") or [])
        cause = (meta(cr).get("annotations") or {}).get(CHANGE_CAUSE, "<none>")
        out.append(Revision(_int(cr.get("revision")) or 0, cause, images, created(cr), cr))
    return out


def pick_revision(revisions: list[Revision], to_revision: int = 0) -> Revision:
    """kubectl's choice: the given revision, or the one before the latest."""
    if to_revision:
        for r in revisions:
            if r.number == to_revision:
                return r
        raise ValueError(f"unable to find specified revision {to_revision} in history")
    if len(revisions) < 2:
        raise ValueError("no rollout history found: nothing to roll back to")
    return sorted(revisions, key=lambda r: r.number)[-2]


def _strip_hash(template: Obj) -> Obj:
    template = copy.deepcopy(template)
    labels = (template.get("metadata") or {}).get("labels")
    if labels:
        labels.pop(HASH_LABEL, None)
    return template


def undo(client: ClusterClient, kind: str, owner: Obj, to_revision: int = 0) -> str:
    """``kubectl rollout undo``; returns kubectl's message."""
    target = pick_revision(history(client, kind, owner), to_revision)
    name, ns = meta(owner)["name"], meta(owner).get("namespace")
    if kind == "Deployment":
        return _undo_deployment(client, owner, target, name, ns)
    resource = {"StatefulSet": "statefulsets.apps", "DaemonSet": "daemonsets.apps"}[kind]
    client.patch(resource, name, target.source.get("data") or {}, STRATEGIC_MERGE_PATCH,
                 namespace=ns, field_manager="kubectl-rollout")
    return f"{kind.lower()}.apps/{name} rolled back to revision {target.number}"


def _undo_deployment(client: ClusterClient, dep: Obj, target: Revision, name: str,
                     ns: str | None) -> str:
    if (dep.get("spec") or {}).get("paused"):
        raise ValueError("you cannot rollback a paused deployment; resume it first with "
                         "'p' and try again")
    template = _strip_hash((target.source.get("spec") or {}).get("template") or {})
    if template == _strip_hash((dep.get("spec") or {}).get("template") or {}):
        return (f"deployment.apps/{name} skipped rollback (current template already "
                f"matches revision {target.number})")
    current = meta(dep).get("annotations") or {}
    annotations = {k: v for k, v in current.items() if k in SKIP_ANNOTATIONS}
    annotations.update({k: v for k, v in (meta(target.source).get("annotations") or {}).items()
                        if k not in SKIP_ANNOTATIONS})
    ops = [{"op": "replace", "path": "/spec/template", "value": template},
           {"op": "add", "path": "/metadata/annotations", "value": annotations}]
    client.patch("deployments.apps", name, ops, JSON_PATCH, namespace=ns,
                 field_manager="kubectl-rollout")
    return f"deployment.apps/{name} rolled back to revision {target.number}"
