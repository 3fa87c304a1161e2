"""Deployment condition types, reasons and messages.

Upstream: ``pkg/controller/deployment/util/deployment_util.go`` (reason
constants) and the messages written in ``sync.go``, ``progress.go``.
"""

from __future__ import annotations

AVAILABLE = "Available"
PROGRESSING = "Progressing"
REPLICA_FAILURE = "ReplicaFailure"

# Progressing reasons.
NEW_RS_CREATED = "NewReplicaSetCreated"
FOUND_NEW_RS = "FoundNewReplicaSet"
RS_UPDATED = "ReplicaSetUpdated"
NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
TIMED_OUT = "ProgressDeadlineExceeded"
PAUSED = "DeploymentPaused"
RESUMED = "DeploymentResumed"
FAILED_RS_CREATE = "ReplicaSetCreateError"
# Available reasons.
MIN_AVAILABLE = "MinimumReplicasAvailable"
MIN_UNAVAILABLE = "MinimumReplicasUnavailable"

MSG_MIN_AVAILABLE = "Deployment has minimum availability."
MSG_MIN_UNAVAILABLE = "Deployment does not have minimum availability."
MSG_PAUSED = "Deployment is paused"
MSG_RESUMED = "Deployment is resumed"

# The event every scaling step records (``scaleReplicaSet``; wording since PR #101142).
SCALING_REPLICA_SET = "ScalingReplicaSet"
SELECTING_ALL = "SelectingAll"


def quoted(name: str) -> str:
    """Go's ``%q`` for a ReplicaSet name (names need no escaping)."""
    return f'"{name}"'
