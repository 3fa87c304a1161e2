"""The CronJob controller on the engine clock: a virtual hour of a per-minute
schedule in seconds, Forbid with a starting deadline, history limits,
Replace, suspend, and the schedule arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from engine.cluster import Cluster
from engine.controllers.cronjob.schedule import parse
from tests.controllers.conftest import events, get

Obj = dict[str, Any]
SCHEDULED = "batch.kubernetes.io/cronjob-scheduled-timestamp"


def cronjob(name: str, script: str, **spec: Any) -> Obj:
    return {"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "OnFailure",
                "containers": [{"name": "hello", "image": "busybox:1.28",
                                "command": ["/bin/sh", "-c", script]}]}}}},
                     **spec}}


class JobWatch:
    """Every Job ever created (the history limits delete the old ones)."""

    def __init__(self, cluster: Cluster) -> None:
        self.names: list[str] = []
        self.watch = cluster.client.watch("jobs", "default")

    def created(self) -> list[str]:
        for event in self.watch.drain():
            if event.type == "ADDED":
                self.names.append(event.object["metadata"]["name"])
        return self.names


def jobs(cluster: Cluster) -> list[Obj]:
    return cluster.client.list("jobs", "default")["items"]


def minute(name: str) -> int:
    """Minutes past 00:00 of the virtual day from a Job name."""
    return int(name.rsplit("-", 1)[1]) - int(datetime(2025, 1, 1, tzinfo=UTC).timestamp()) // 60


def test_virtual_hour_forbid_with_deadline(full: Cluster) -> None:
    """Jobs take 90 s: under Forbid the next minute's run is skipped, and the
    10 s starting deadline drops it rather than starting it late."""
    watch = JobWatch(full)
    full.client.create("cronjobs", cronjob(
        "hello", "date; echo Hello from the Kubernetes cluster; sleep 90",
        concurrencyPolicy="Forbid", startingDeadlineSeconds=10))
    for _ in range(60):
        full.advance(60)
    created = watch.created()
    assert [minute(n) for n in created] == list(range(1, 60, 2))  # 30 runs
    remaining = jobs(full)
    finished = [j for j in remaining if any(c["type"] == "Complete"
                                            for c in j["status"].get("conditions") or ())]
    assert len(finished) == 3  # successfulJobsHistoryLimit defaults to 3
    assert len(remaining) == 4  # and the one still running
    cj = get(full, "cronjobs", "hello")
    assert [a["name"] for a in cj["status"]["active"]] == [created[-1]]
    assert cj["status"]["active"][0]["resourceVersion"]
    assert cj["status"]["lastScheduleTime"] == "2025-01-01T00:59:00Z"
    assert cj["status"]["lastSuccessfulTime"].startswith("2025-01-01T00:58:")
    reasons = {e["reason"] for e in events(full, name="hello")}
    assert {"SuccessfulCreate", "JobAlreadyActive", "SawCompletedJob",
            "SuccessfulDelete"} <= reasons
    first = events(full, name="hello")
    assert first[0]["message"] == f"Created job {created[0]}"
    assert any(e["message"] == f"Saw completed job: {created[0]}, condition: Complete"
               for e in first)
    assert any(e["message"] == "Not starting job because prior execution is running and "
                               "concurrency policy is Forbid" for e in first)


def test_virtual_hour_shows_sixty_runs(full: Cluster) -> None:
    watch = JobWatch(full)
    full.client.create("cronjobs", cronjob("tick", "echo tick", successfulJobsHistoryLimit=2,
                                           failedJobsHistoryLimit=1))
    for _ in range(60):
        full.advance(60)
    created = watch.created()
    assert len(created) == 60
    assert [minute(n) for n in created] == list(range(1, 61))
    job = get(full, "jobs", created[-1])
    assert job["metadata"]["annotations"][SCHEDULED] == "2025-01-01T01:00:00Z"
    assert job["metadata"]["ownerReferences"][0]["kind"] == "CronJob"
    full.advance(30)
    assert len(jobs(full)) == 2


def test_replace_and_suspend(full: Cluster) -> None:
    watch = JobWatch(full)
    full.client.create("cronjobs", cronjob("long", "sleep 600", concurrencyPolicy="Replace"))
    full.advance(125)
    created = watch.created()
    assert len(created) == 2
    assert get(full, "jobs", created[0]) is None or "deletionTimestamp" in get(
        full, "jobs", created[0])["metadata"]
    deleted = [e["message"] for e in events(full, name="long", reason="SuccessfulDelete")]
    assert deleted == [f"Deleted job {created[0]}"]
    cj = get(full, "cronjobs", "long")
    cj["spec"]["suspend"] = True
    full.client.update("cronjobs", cj)
    full.advance(300)
    assert len(watch.created()) == 2


def test_time_zone_annotation(full: Cluster) -> None:
    watch = JobWatch(full)
    full.client.create("cronjobs", cronjob("tz", "true", schedule="0 * * * *",
                                           timeZone="Asia/Tokyo"))
    full.advance(3600)
    (name,) = watch.created()
    assert minute(name) == 60
    job = get(full, "jobs", name)
    assert job["metadata"]["annotations"][SCHEDULED] == "2025-01-01T10:00:00+09:00"


@pytest.mark.parametrize(("spec", "after", "expected"), [
    ("* * * * *", "2025-01-01T00:00:00", "2025-01-01T00:01:00"),
    ("*/15 * * * *", "2025-01-01T00:16:30", "2025-01-01T00:30:00"),
    ("0 9 * * 1-5", "2025-01-03T10:00:00", "2025-01-06T09:00:00"),
    ("0 0 13 * 5", "2025-01-01T00:00:00", "2025-01-03T00:00:00"),  # day of month OR week
    ("@hourly", "2025-01-01T00:00:00", "2025-01-01T01:00:00"),
    ("@weekly", "2025-01-01T00:00:00", "2025-01-05T00:00:00"),
    ("@monthly", "2025-01-31T12:00:00", "2025-02-01T00:00:00"),
    ("@yearly", "2025-01-31T12:00:00", "2026-01-01T00:00:00"),
    ("@every 1h30m", "2025-01-01T00:00:00", "2025-01-01T01:30:00"),
    ("TZ=America/New_York 0 9 * * *", "2025-01-01T00:00:00", "2025-01-01T14:00:00"),
    ("0 0 29 2 *", "2025-01-01T00:00:00", "2028-02-29T00:00:00"),
    ("59 23 31 2 *", "2025-01-01T00:00:00", None),
])
def test_schedule_next(spec: str, after: str, expected: str | None) -> None:
    start = datetime.fromisoformat(after).replace(tzinfo=UTC).timestamp()
    got = parse(spec).next(start)
    want = None if expected is None else \
        datetime.fromisoformat(expected).replace(tzinfo=UTC).timestamp()
    assert got == want
