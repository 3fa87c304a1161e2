"""ControllerRevision history shared by the StatefulSet and DaemonSet
controllers (``pkg/controller/history``)."""

from engine.controllers.history.history import History
from engine.controllers.history.revision import (
    CONTROLLER_REVISION_HASH_LABEL,
    controller_revision_name,
    equal_revision,
    find_equal_revisions,
    go_json,
    hash_controller_revision,
    new_controller_revision,
    next_revision,
    revision_number,
    sort_revisions,
    template_patch,
)

__all__ = [
    "CONTROLLER_REVISION_HASH_LABEL",
    "History",
    "controller_revision_name",
    "equal_revision",
    "find_equal_revisions",
    "go_json",
    "hash_controller_revision",
    "new_controller_revision",
    "next_revision",
    "revision_number",
    "sort_revisions",
    "template_patch",
]
