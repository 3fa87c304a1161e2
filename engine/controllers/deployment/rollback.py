"""``kubectl rollout undo`` for Deployments (client side, as kubectl does it).

Upstream: kubectl ``pkg/polymorphichelpers/rollback.go``
(``DeploymentRollbacker.Rollback``, ``deploymentRevision``,
``getDeploymentPatch``). The server-side ``rollbackTo`` is gone from
apps/v1: kubectl copies the chosen ReplicaSet's template (without the
``pod-template-hash`` label) and annotations into the Deployment with a JSON
patch; the controller then finds that ReplicaSet again as the new one and
gives it the next revision number (its old number moves to
``deployment.kubernetes.io/revision-history``).
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, meta
from engine.api.patch import JSON_PATCH
from engine.controllers.deployment import util
from engine.controllers.deployment.template import POD_TEMPLATE_HASH, equal_ignore_hash
from engine.controllers.util.owners import controller_of

Obj = dict[str, Any]

ROLLBACK_SUCCESS = "rolled back"
ROLLBACK_SKIPPED = "skipped rollback"


class RollbackError(Exception):
    """What kubectl prints as ``error: ...``."""


def owned_replica_sets(client: Any, d: Obj) -> list[Obj]:
    """``GetAllReplicaSets`` (kubectl's ``deploymentutil``): ReplicaSets the Deployment controls."""
    uid = d["metadata"]["uid"]
    items = client.list("replicasets", d["metadata"]["namespace"])["items"]
    return [rs for rs in items if (controller_of(rs) or {}).get("uid") == uid]


def revision_replica_set(client: Any, d: Obj, to_revision: int) -> Obj:
    """``deploymentRevision``: the ReplicaSet of ``to_revision`` (0: the previous one)."""
    rss = owned_replica_sets(client, d)
    if to_revision == 0:
        if len(rss) <= 1:
            raise RollbackError(f'no rollout history found for deployment "{d["metadata"]["name"]}"')
        ranked = sorted(rss, key=util.revision, reverse=True)
        return ranked[1]
    for rs in rss:
        if util.revision(rs) == to_revision:
            return rs
    raise RollbackError(f"unable to find specified revision {to_revision} in history")


def rollout_undo(client: Any, namespace: str, name: str, to_revision: int = 0) -> str:
    """Roll ``name`` back; returns kubectl's word for the outcome."""
    if to_revision < 0:
        raise RollbackError(f"unable to find specified revision {to_revision} in history")
    d = client.get("deployments", name, namespace)
    rs = revision_replica_set(client, d, to_revision)
    if d["spec"].get("paused"):
        raise RollbackError("you cannot rollback a paused deployment; resume it first with "
                            "'kubectl rollout resume' and try again")
    if equal_ignore_hash(rs["spec"]["template"], d["spec"]["template"]):
        return (f"{ROLLBACK_SKIPPED} (current template already matches revision "
                f"{to_revision})")
    template = meta.deep_copy(rs["spec"]["template"])
    ((template.get("metadata") or {}).get("labels") or {}).pop(POD_TEMPLATE_HASH, None)
    notes = {k: v for k, v in util.annotations(d).items() if k in util.ANNOTATIONS_TO_SKIP}
    notes.update({k: v for k, v in util.annotations(rs).items()
                  if k not in util.ANNOTATIONS_TO_SKIP})
    patch = [{"op": "replace", "path": "/spec/template", "value": template},
             {"op": "replace", "path": "/metadata/annotations", "value": notes}]
    try:
        client.patch("deployments", name, patch, JSON_PATCH, namespace=namespace)
    except errors.StatusError as err:
        raise RollbackError(f"failed restoring revision {to_revision}: {err}") from err
    return ROLLBACK_SUCCESS
