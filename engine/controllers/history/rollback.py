"""``kubectl rollout undo`` for StatefulSets and DaemonSets (client side).

Upstream: kubectl ``pkg/polymorphichelpers/rollback.go``
(``StatefulSetRollbacker``, ``DaemonSetRollbacker``, ``findHistory``,
``statefulSetHistory``/``daemonSetHistory``, ``statefulsetMatch``/
``daemonSetMatch``). kubectl lists the revisions the object controls, picks
the one asked for (0: the second newest), and sends that revision's data -
a strategic merge patch replacing the pod template - as a patch of the
object. The controller then finds an equal older revision and renumbers it
as the newest instead of creating a new one.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.patch import STRATEGIC_MERGE_PATCH
from engine.controllers.history.revision import revision_number, template_patch
from engine.controllers.util.owners import controller_of
from engine.controllers.util.selectors import label_selector

Obj = dict[str, Any]

ROLLBACK_SUCCESS = "rolled back"
ROLLBACK_SKIPPED = "skipped rollback"


class RollbackError(Exception):
    """What kubectl prints as ``error: ...``."""


def controlled_revisions(client: Any, obj: Obj) -> list[Obj]:
    """The ControllerRevisions ``obj`` selects and controls."""
    m = obj["metadata"]
    selector = label_selector(obj["spec"].get("selector"))
    items = client.list("controllerrevisions", m["namespace"])["items"]
    return [cr for cr in items
            if (controller_of(cr) or {}).get("uid") == m["uid"]
            and selector.matches(cr["metadata"].get("labels") or {})]


def find_history(to_revision: int, history: list[Obj]) -> Obj | None:
    """``findHistory``: revision ``to_revision``, or the second newest for 0."""
    if to_revision == 0:
        if len(history) <= 1:
            return None
        return sorted(history, key=revision_number)[-2]
    return next((h for h in history if revision_number(h) == to_revision), None)


def rollout_undo(client: Any, resource: str, namespace: str, name: str,
                 to_revision: int = 0) -> str:
    """Roll a StatefulSet or DaemonSet back; kubectl's word for the outcome."""
    if to_revision < 0:
        raise RollbackError(f"unable to find specified revision {to_revision} in history")
    obj = client.get(resource, name, namespace)
    history = controlled_revisions(client, obj)
    if to_revision == 0 and len(history) <= 1:
        raise RollbackError("no last revision to roll back to")
    target = find_history(to_revision, history)
    if target is None:
        raise RollbackError(f"unable to find specified revision {to_revision} in history")
    if template_patch(obj) == target.get("data"):
        return f"{ROLLBACK_SKIPPED} (current template already matches revision {to_revision})"
    try:
        client.patch(resource, name, target["data"], STRATEGIC_MERGE_PATCH, namespace=namespace)
    except errors.StatusError as err:
        raise RollbackError(f"failed restoring revision {to_revision}: {err}") from err
    return ROLLBACK_SUCCESS
