"""Defaults for ``scheduling.k8s.io/v1``.

Upstream: ``pkg/apis/scheduling/v1/defaults.go`` (``SetDefaults_PriorityClass``):
``preemptionPolicy`` is ``PreemptLowerPriority`` when unset.
"""

from __future__ import annotations

from typing import Any

from engine.api.defaults._util import set_if_none

Obj = dict[str, Any]


def default_priority_class(obj: Obj) -> None:
    set_if_none(obj, "preemptionPolicy", "PreemptLowerPriority")


DEFAULTERS = {("scheduling.k8s.io", "PriorityClass"): default_priority_class}
