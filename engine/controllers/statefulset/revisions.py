"""A StatefulSet's revisions: snapshot, restore, and pruning.

Upstream: ``pkg/controller/statefulset/stateful_set_utils.go``
(``newRevision``, ``ApplyRevision``) and ``stateful_set_control.go``
(``getStatefulSetRevisions``, ``truncateHistory``). A revision stores the
strategic merge patch that puts the pod template back; the set at a revision
is the set with that patch applied.
"""

from __future__ import annotations

from typing import Any

from engine.api import schema
from engine.api.patch.strategic import apply_strategic_merge_patch
from engine.controllers.history import (
    History,
    equal_revision,
    find_equal_revisions,
    new_controller_revision,
    next_revision,
    template_patch,
)
from engine.controllers.statefulset.identity import API_VERSION, KIND, revision_of

Obj = dict[str, Any]
_DEFINITION = schema.definition_name("apps", "v1", "StatefulSet")


def new_revision(sts: Obj, revision: int, collision_count: int) -> Obj:
    """``newRevision``: the template's labels, the set's annotations."""
    labels = ((sts["spec"].get("template") or {}).get("metadata") or {}).get("labels")
    cr = new_controller_revision(sts, API_VERSION, KIND, labels, template_patch(sts),
                                 revision, collision_count)
    annotations = sts["metadata"].get("annotations")
    if annotations:
        cr["metadata"]["annotations"] = dict(annotations)
    return cr


def apply_revision(sts: Obj, revision: Obj) -> Obj:
    """``ApplyRevision``: the set as of ``revision``."""
    return apply_strategic_merge_patch(sts, revision.get("data") or {}, _DEFINITION)


def current_and_update_revisions(history: History, sts: Obj,
                                 revisions: list[Obj]) -> tuple[Obj, Obj, int]:
    """``getStatefulSetRevisions``: (current, update, collision count).

    The update revision is the latest one when it still matches the
    template; an older equal one is renumbered as the newest (a rollback);
    otherwise a new revision is created."""
    collision_count = int((sts.get("status") or {}).get("collisionCount") or 0)
    wanted = new_revision(sts, next_revision(revisions), collision_count)
    equal = find_equal_revisions(revisions, wanted)
    if equal and equal_revision(revisions[-1], equal[-1]):
        update = revisions[-1]
    elif equal:
        update = history.update_controller_revision(equal[-1], wanted["revision"])
    else:
        update, collision_count = history.create_controller_revision(sts, wanted,
                                                                     collision_count)
    current_name = (sts.get("status") or {}).get("currentRevision")
    current = next((r for r in revisions if r["metadata"]["name"] == current_name), update)
    return current, update, collision_count


def truncate_history(history: History, sts: Obj, pods: list[Obj], revisions: list[Obj],
                     current: Obj | None, update: Obj | None) -> None:
    """``truncateHistory``: delete the oldest revisions no pod, nor the current or
    update revision, uses, down to ``revisionHistoryLimit``."""
    live = {revision_of(p) for p in pods}
    live |= {r["metadata"]["name"] for r in (current, update) if r is not None}
    old = [r for r in revisions if r["metadata"]["name"] not in live]
    limit = sts["spec"].get("revisionHistoryLimit")
    limit = 10 if limit is None else int(limit)
    for revision in old[:max(0, len(old) - limit)]:
        history.delete_controller_revision(revision)
