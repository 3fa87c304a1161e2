"""``pod_relevant`` remembers its last answers by object identity: each answer
must be what ``podEndpointsChanged``'s fields give for that very object, and
an equal-looking but different object (a newer version) is worked out again."""

from __future__ import annotations

import copy

from engine.controllers.endpoint import podindex


def _pod(ip: str, ready: str = "True") -> dict:
    return {
        "metadata": {"name": "p", "namespace": "default", "labels": {"b": "2", "a": "1"}},
        "spec": {"nodeName": "n1", "hostname": "h"},
        "status": {
            "podIP": ip,
            "phase": "Running",
            "conditions": [
                {"type": "Initialized", "status": "True"},
                {"type": "Ready", "status": ready},
            ],
        },
    }


def test_answers_match_the_uncached_computation() -> None:
    pods = [_pod(f"10.0.0.{i % 12}", "True" if i % 3 else "False") for i in range(40)]
    for _ in range(2):
        for pod in pods:
            assert podindex.pod_relevant(pod) == podindex._pod_relevant(pod)


def test_a_new_version_is_not_answered_from_the_old_one() -> None:
    old = _pod("10.0.0.1", "False")
    assert podindex.pod_relevant(old)[1] == "False"
    new = copy.deepcopy(old)
    new["status"]["conditions"][1]["status"] = "True"
    assert podindex.pod_relevant(new)[1] == "True"
    assert podindex.pod_relevant(old)[1] == "False"


def test_the_memo_keeps_two_answers() -> None:
    pods = [_pod(f"10.0.1.{i}") for i in range(5)]
    for pod in pods:
        podindex.pod_relevant(pod)
    assert podindex._LAST[0] is pods[-2] and podindex._LAST[2] is pods[-1]
    for pod in pods:  # evicted ones are worked out again, and still right
        assert podindex.pod_relevant(pod) == podindex._pod_relevant(pod)


def _pod_relevant_as_before(pod: dict) -> tuple:
    m, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    ready = next(
        (c.get("status") for c in status.get("conditions") or [] if c.get("type") == "Ready"),
        None,
    )
    return (
        status.get("podIP"),
        ready,
        m.get("deletionTimestamp"),
        spec.get("hostname"),
        spec.get("subdomain"),
        spec.get("nodeName"),
        status.get("phase"),
        tuple(sorted((m.get("labels") or {}).items())),
    )


def test_fields_are_the_ones_read_before() -> None:
    pods = [_pod("10.0.0.1"), _pod("", "False"), {"metadata": {"name": "bare"}}]
    pods[1]["status"]["conditions"].append({"type": "Ready", "status": "True"})  # first wins
    pods.append(
        {
            "metadata": {"name": "x", "deletionTimestamp": "t"},
            "spec": None,
            "status": {"conditions": [{"type": "Ready"}]},
        }
    )
    for pod in pods:
        assert podindex.pod_relevant(pod) == _pod_relevant_as_before(pod)
