"""Defaults for ``autoscaling/v2``.

Upstream: ``pkg/apis/autoscaling/v2/defaults.go``
(``SetDefaults_HorizontalPodAutoscaler``, ``SetDefaults_HorizontalPodAutoscalerBehavior``,
``GenerateHPAScaleUpRules``/``GenerateHPAScaleDownRules``): minReplicas 1, an
80% average CPU utilization metric when none is given, and, only when a
``behavior`` is present, every unset scaling rule field filled from the
defaults that reproduce the v1 HPA behaviour.
"""

from __future__ import annotations

import copy
from typing import Any

from engine.api.defaults._util import child, ensure, set_if_none

Obj = dict[str, Any]

DEFAULT_CPU_UTILIZATION = 80

SCALE_UP_RULES: Obj = {
    "stabilizationWindowSeconds": 0,
    "selectPolicy": "Max",
    "policies": [
        {"type": "Pods", "value": 4, "periodSeconds": 15},
        {"type": "Percent", "value": 100, "periodSeconds": 15},
    ],
}
# The scale-down window is left unset: the controller's
# --horizontal-pod-autoscaler-downscale-stabilization flag supplies it.
SCALE_DOWN_RULES: Obj = {
    "selectPolicy": "Max",
    "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
}


def _rules(given: Any, defaults: Obj) -> Obj:
    """``copyHPAScalingRules``: the defaults overridden by every field set in ``given``."""
    rules = copy.deepcopy(defaults)
    if isinstance(given, dict):
        for key in ("selectPolicy", "stabilizationWindowSeconds", "policies"):
            if given.get(key) is not None:
                rules[key] = given[key]
        for key, value in given.items():  # fields newer than v1.32 pass through
            rules.setdefault(key, value)
    return rules


def default_hpa(obj: Obj) -> None:
    """``SetDefaults_HorizontalPodAutoscaler``."""
    spec = ensure(obj, "spec")
    if spec is None:
        return
    set_if_none(spec, "minReplicas", 1)
    if not spec.get("metrics"):
        spec["metrics"] = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {
                        "type": "Utilization",
                        "averageUtilization": DEFAULT_CPU_UTILIZATION,
                    },
                },
            }
        ]
    behavior = child(spec, "behavior")
    if behavior is not None:
        behavior["scaleUp"] = _rules(behavior.get("scaleUp"), SCALE_UP_RULES)
        behavior["scaleDown"] = _rules(behavior.get("scaleDown"), SCALE_DOWN_RULES)


DEFAULTERS = {("autoscaling", "HorizontalPodAutoscaler"): default_hpa}
