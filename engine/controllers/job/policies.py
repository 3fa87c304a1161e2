"""``podFailurePolicy`` and ``successPolicy`` rules.

Upstream: ``pkg/controller/job/pod_failure_policy.go``
(``matchPodFailurePolicy``: the first rule whose ``onExitCodes`` (a
terminated container's non-zero exit code, regular containers before init
containers) or ``onPodConditions`` match decides - ``FailJob`` with the
message ``Container main for pod ns/p failed with exit code 42 matching
FailJob rule at index 0``, ``Ignore`` (not counted), ``Count``,
``FailIndex``) and ``pkg/controller/job/success_policy.go``
(``matchSuccessPolicy``, message ``Matched rules at index 0``).
"""

from __future__ import annotations

from typing import Any

from engine.controllers.job.indexes import Intervals, parse

Obj = dict[str, Any]


def _exit_code_matches(code: int, req: Obj) -> bool:
    values = req.get("values") or []
    if req.get("operator") == "In":
        return code in values
    if req.get("operator") == "NotIn":
        return code not in values
    return False


def _matching_container(statuses: list[Obj], req: Obj) -> Obj | None:
    for cs in statuses:
        terminated = (cs.get("state") or {}).get("terminated")
        if terminated is None:
            continue
        if req.get("containerName") not in (None, cs.get("name")):
            continue
        code = terminated.get("exitCode", 0)
        if code != 0 and _exit_code_matches(code, req):
            return cs
    return None


def _on_exit_codes(pod: Obj, req: Obj) -> Obj | None:
    status = pod.get("status") or {}
    return (_matching_container(status.get("containerStatuses") or [], req)
            or _matching_container(status.get("initContainerStatuses") or [], req))


def _on_conditions(pod: Obj, patterns: list[Obj]) -> Obj | None:
    for cond in (pod.get("status") or {}).get("conditions") or ():
        for pattern in patterns:
            if cond.get("type") == pattern.get("type") and \
                    cond.get("status") == pattern.get("status", "True"):
                return cond
    return None


def match_pod_failure_policy(policy: Obj | None, pod: Obj) -> tuple[str | None, bool, str | None]:
    """(job failure message, count the failure, action) for a failed pod."""
    if policy is None:
        return None, True, None
    m = pod["metadata"]
    for index, rule in enumerate(policy.get("rules") or ()):
        action = rule.get("action")
        if rule.get("onExitCodes") is not None:
            cs = _on_exit_codes(pod, rule["onExitCodes"])
            if cs is None:
                continue
            what = (f"Container {cs.get('name')} for pod {m.get('namespace')}/{m.get('name')} "
                    f"failed with exit code {cs['state']['terminated'].get('exitCode')}")
        elif rule.get("onPodConditions") is not None:
            cond = _on_conditions(pod, rule["onPodConditions"])
            if cond is None:
                continue
            what = f"Pod {m.get('namespace')}/{m.get('name')} has condition {cond.get('type')}"
        else:
            continue
        if action == "Ignore":
            return None, False, action
        if action in ("FailIndex", "Count"):
            return None, True, action
        if action == "FailJob":
            return f"{what} matching FailJob rule at index {index}", True, action
    return None, True, None


def match_success_policy(policy: Obj | None, completions: int,
                         succeeded: Intervals) -> str | None:
    """``matchSuccessPolicy``: the message of the first rule met, or None."""
    if policy is None or not len(succeeded):
        return None
    for index, rule in enumerate(policy.get("rules") or ()):
        count = rule.get("succeededCount")
        if rule.get("succeededIndexes") is not None:
            required = parse(rule["succeededIndexes"], completions)
            if not len(required):
                continue
            matched = sum(1 for first, last in required for i in range(first, last + 1)
                          if succeeded.has(i))
            if (count is None and matched == required.total()) or \
                    (count is not None and matched >= count):
                return f"Matched rules at index {index}"
        elif count is not None and succeeded.total() >= count:
            return f"Matched rules at index {index}"
    return None
