"""The Job controller with kubelets running the pods (on the virtual clock):
completions and parallelism, Indexed Jobs with per-index back-off, the
failure back-off and backoffLimit, activeDeadlineSeconds, podFailurePolicy,
suspend and resume, and the TTL-after-finished controller."""

from __future__ import annotations

from typing import Any

from engine.cluster import Cluster
from tests.controllers.conftest import events, get

Obj = dict[str, Any]
INDEX = "batch.kubernetes.io/job-completion-index"
FAILURES = "batch.kubernetes.io/job-index-failure-count"


def job(name: str, script: str, restart: str = "Never", **spec: Any) -> Obj:
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"template": {"spec": {"restartPolicy": restart, "containers": [{
                "name": "main", "image": "busybox:1.36", "command": ["sh", "-c", script],
                "env": [{"name": "FAILURES", "valueFrom": {"fieldRef": {
                    "fieldPath": f"metadata.annotations['{FAILURES}']"}}}]}]}},
                     **spec}}


def job_pods(cluster: Cluster, name: str) -> list[Obj]:
    return cluster.client.list("pods", "default", label_selector=f"job-name={name}")["items"]


def conditions(j: Obj) -> list[tuple[str, str, str]]:
    return [(c["type"], c.get("reason", ""), c.get("message", ""))
            for c in j["status"].get("conditions") or ()]


def run_until(cluster: Cluster, name: str, done: Any, limit: int = 600) -> Obj:
    for _ in range(limit):
        cluster.advance(1)
        current = get(cluster, "jobs", name)
        if done(current):
            return current
    raise AssertionError(f"job {name} did not get there: {get(cluster, 'jobs', name)['status']}")


def finished(j: Obj) -> bool:
    return any(c["type"] in ("Complete", "Failed") for c in j["status"].get("conditions") or ())


def test_first_attempt_fails_then_completes(full: Cluster) -> None:
    """completions 5, parallelism 2; each index's first pod exits 1 (the
    container reads the index's failure count through the downward API)."""
    script = 'if [ "$FAILURES" = 0 ]; then sleep 2; exit 1; fi; sleep 3'
    full.client.create("jobs", job("batch", script, completions=5, parallelism=2,
                                   completionMode="Indexed", backoffLimitPerIndex=1))
    most_active = 0
    for _ in range(300):
        full.advance(1)
        running = [p for p in job_pods(full, "batch")
                   if p["status"].get("phase") in ("Pending", "Running")]
        most_active = max(most_active, len(running))
        if finished(get(full, "jobs", "batch")):
            break
    done = get(full, "jobs", "batch")
    status = done["status"]
    assert (status["succeeded"], status["failed"]) == (5, 5)
    assert status["completedIndexes"] == "0-4"
    assert status["failedIndexes"] == ""
    assert status["uncountedTerminatedPods"] == {}
    assert (status["ready"], status["terminating"]) == (0, 0)
    assert "active" not in status
    reached = ("CompletionsReached", "Reached expected number of succeeded pods")
    assert conditions(done) == [("SuccessCriteriaMet", *reached), ("Complete", *reached)]
    assert status["completionTime"] == done["status"]["conditions"][1]["lastTransitionTime"]
    assert most_active <= 2
    pods = job_pods(full, "batch")
    assert len(pods) == 10
    for pod in pods:
        index = pod["metadata"]["annotations"][INDEX]
        assert pod["metadata"]["labels"][INDEX] == index
        assert pod["metadata"]["name"].startswith(f"batch-{index}-")
        assert pod["spec"]["hostname"] == f"batch-{index}"
        assert not pod["metadata"].get("finalizers")  # counted: tracking finalizer removed
        env = {e["name"] for e in pod["spec"]["containers"][0]["env"]}
        assert "JOB_COMPLETION_INDEX" in env
    failed = sorted(p["metadata"]["annotations"][FAILURES] for p in pods
                    if p["status"]["phase"] == "Failed")
    assert failed == ["0"] * 5
    assert [e["message"] for e in events(full, name="batch", reason="Completed")] == [
        "Job completed"]


def test_completions_and_parallelism(full: Cluster) -> None:
    full.client.create("jobs", job("pi", "sleep 5", completions=5, parallelism=2))
    done = run_until(full, "pi", finished)
    assert (done["status"]["succeeded"], done["status"].get("failed", 0)) == (5, 0)
    created = [e["message"] for e in events(full, name="pi", reason="SuccessfulCreate")]
    assert len(created) == 5 and all(m.startswith("Created pod: pi-") for m in created)
    assert done["status"]["startTime"] < done["status"]["completionTime"]


def test_backoff_limit_with_exponential_backoff(full: Cluster) -> None:
    full.client.create("jobs", job("crash", "exit 1", backoffLimit=2))
    done = run_until(full, "crash", finished)
    assert done["status"]["failed"] == 3
    message = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
    assert conditions(done) == [("FailureTarget", *message), ("Failed", *message)]
    assert [e["message"] for e in events(full, name="crash", reason="BackoffLimitExceeded")] == [
        message[1]]
    starts = sorted(p["metadata"]["creationTimestamp"] for p in job_pods(full, "crash"))
    from engine.controllers.util.timeutil import parse_time

    gaps = [parse_time(b) - parse_time(a) for a, b in zip(starts, starts[1:], strict=False)]
    assert gaps[0] >= 10 and gaps[1] >= 20  # 10 s, then 20 s after each failure


def test_active_deadline(full: Cluster) -> None:
    full.client.create("jobs", job("slow", "sleep 600", activeDeadlineSeconds=20))
    done = run_until(full, "slow", finished, limit=120)
    message = ("DeadlineExceeded", "Job was active longer than specified deadline")
    assert conditions(done)[-1] == ("Failed", *message)
    assert done["status"]["failed"] == 1
    assert [e["reason"] for e in events(full, name="slow")][-1] == "DeadlineExceeded"


def test_pod_failure_policy_fail_job(full: Cluster) -> None:
    policy = {"rules": [{"action": "FailJob",
                         "onExitCodes": {"containerName": "main", "operator": "In",
                                         "values": [42]}}]}
    full.client.create("jobs", job("policy", "sleep 1; exit 42", podFailurePolicy=policy))
    done = run_until(full, "policy", finished, limit=60)
    kind, reason, message = conditions(done)[-1]
    assert (kind, reason) == ("Failed", "PodFailurePolicy")
    pod = job_pods(full, "policy")[0]["metadata"]["name"]
    assert message == (f"Container main for pod default/{pod} failed with exit code 42 "
                       "matching FailJob rule at index 0")


def test_suspend_and_resume(full: Cluster) -> None:
    full.client.create("jobs", job("later", "sleep 3", suspend=True))
    full.advance(3)
    assert job_pods(full, "later") == []
    j = get(full, "jobs", "later")
    assert conditions(j) == [("Suspended", "JobSuspended", "Job suspended")]
    assert "startTime" not in j["status"]
    j["spec"]["suspend"] = False
    full.client.update("jobs", j)
    done = run_until(full, "later", finished, limit=60)
    assert ("Suspended", "JobResumed", "Job resumed") in conditions(done)
    reasons = [e["reason"] for e in events(full, name="later")]
    assert reasons[:3] == ["Suspended", "SuccessfulCreate", "Resumed"]  # manageJob first


def test_ttl_after_finished(full: Cluster) -> None:
    full.client.create("jobs", job("brief", "true", ttlSecondsAfterFinished=30))
    run_until(full, "brief", finished, limit=60)
    full.advance(25)
    assert get(full, "jobs", "brief") is not None
    full.advance(10)
    assert get(full, "jobs", "brief") is None
