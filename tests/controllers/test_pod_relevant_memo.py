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


def test_the_memo_stays_small() -> None:
    for i in range(100):
        podindex.pod_relevant(_pod(f"10.0.1.{i}"))
    assert len(podindex._RELEVANT) <= podindex._RELEVANT_MAX
