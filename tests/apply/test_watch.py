"""Watching: a save re-applies what changed, once, within a second; a broken save
is reported and leaves the running objects alone; new files apply, removed files
are pruned only with --prune. The watcher runs in real time (the cluster on the
virtual clock)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from engine.apply import (
    CONFIGURED,
    CREATED,
    DELETED,
    ERROR,
    FILE_REMOVED,
    ApplyOptions,
    ApplyResult,
    ApplySession,
)
from engine.apply.watcher import Watcher
from engine.cluster import Cluster

APP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
"""


class Recorder:
    """Collects the watcher's callbacks with their arrival times."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, list[ApplyResult]]] = []
        self.event = threading.Event()

    def __call__(self, results: list[ApplyResult]) -> None:
        self.calls.append((time.monotonic(), results))
        self.event.set()

    def wait(self, timeout: float) -> list[ApplyResult]:
        assert self.event.wait(timeout), "no re-apply"
        self.event.clear()
        return self.calls[-1][1]

    def quiet(self, seconds: float) -> None:
        """No further callback for ``seconds``."""
        count = len(self.calls)
        time.sleep(seconds)
        assert len(self.calls) == count, [[r.message for r in c] for _, c in self.calls[count:]]


@pytest.fixture
def watched(vcluster: Cluster, tmp_path: Path, request: pytest.FixtureRequest):
    prune = getattr(request, "param", False)
    (tmp_path / "app.yaml").write_text(APP)
    session = ApplySession(vcluster.client, [str(tmp_path)], ApplyOptions(prune=prune))
    assert {r.action for r in session.apply_all()} == {CREATED}
    recorder = Recorder()
    session.watch(recorder)
    time.sleep(0.5)  # let the OS watch settle in
    yield session, recorder, tmp_path
    session.stop()


def image(cluster: Cluster) -> str:
    d = cluster.client.get("deployments", "web", "default")
    return d["spec"]["template"]["spec"]["containers"][0]["image"]


def test_a_save_reapplies_once_within_a_second(watched, vcluster: Cluster) -> None:
    session, recorder, tmp = watched
    started = time.monotonic()
    (tmp / "app.yaml").write_text(APP.replace("1.14.2", "1.16.1"))
    results = recorder.wait(1.0)
    assert recorder.calls[-1][0] - started < 1.0
    assert [(r.ref, r.action) for r in results] == [("deployment.apps/web", CONFIGURED)]
    recorder.quiet(1.0)
    assert len(recorder.calls) == 1
    assert image(vcluster) == "nginx:1.16.1"
    assert list(session.log)[-1] == results[-1]


def test_an_atomic_save_is_one_reapply(watched, vcluster: Cluster) -> None:
    """Editors write a temporary file and rename it over the original."""
    _, recorder, tmp = watched
    temp = tmp / ".app.yaml.swp"
    temp.write_text(APP.replace("fast", "slow"))
    os.replace(temp, tmp / "app.yaml")
    results = recorder.wait(1.0)
    assert [(r.ref, r.action) for r in results] == [("configmap/settings", CONFIGURED)]
    recorder.quiet(0.8)


def test_a_broken_save_keeps_the_objects(watched, vcluster: Cluster) -> None:
    session, recorder, tmp = watched
    (tmp / "app.yaml").write_text(APP.replace("  replicas: 2", "\treplicas: 3"))
    results = recorder.wait(1.0)
    assert [r.action for r in results] == [ERROR]
    assert results[0].message.endswith(
        "error converting YAML to JSON: yaml: line 6: found character that cannot start any "
        "token")
    assert results[0].where.endswith("app.yaml:13:1 (document 2)")
    assert session.errors == {str(tmp / "app.yaml"): results[0].message}
    assert vcluster.client.get("deployments", "web", "default")["spec"]["replicas"] == 2
    assert vcluster.client.get("configmaps", "settings", "default")
    (tmp / "app.yaml").write_text(APP.replace("  replicas: 2", "  replicas: 3"))
    results = recorder.wait(1.0)
    assert [(r.ref, r.action) for r in results] == [("deployment.apps/web", CONFIGURED)]
    assert session.errors == {}


def test_a_new_file_is_applied_and_a_removed_one_forgotten(watched, vcluster: Cluster) -> None:
    _, recorder, tmp = watched
    (tmp / "more.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: more\n")
    results = recorder.wait(1.0)
    assert [(r.ref, r.action) for r in results] == [("configmap/more", CREATED)]
    (tmp / "notes.txt").write_text("not a manifest")
    recorder.quiet(0.6)
    (tmp / "more.yaml").unlink()
    results = recorder.wait(1.0)
    assert [r.action for r in results] == [FILE_REMOVED]
    assert "its objects stay (no --prune)" in results[0].message
    assert vcluster.client.get("configmaps", "more", "default")


@pytest.mark.parametrize("watched", [True], indirect=True)
def test_a_removed_file_is_pruned_with_prune(watched, vcluster: Cluster) -> None:
    _, recorder, tmp = watched
    (tmp / "app.yaml").unlink()
    results = recorder.wait(1.0)
    assert (results[0].ref, results[0].action) == ("", FILE_REMOVED)
    assert {(r.message, r.action) for r in results[1:]} == {
        ("deployment.apps/web pruned", DELETED), ("configmap/settings pruned", DELETED)}
    names = [c["metadata"]["name"] for c in vcluster.client.list("configmaps", "default")["items"]]
    assert "settings" not in names


def test_watcher_relevance(tmp_path: Path) -> None:
    single = tmp_path / "one.yaml"
    single.write_text("")
    (tmp_path / "dir").mkdir()
    w = Watcher([str(single), str(tmp_path / "dir")], lambda files: None)
    assert w.relevant(str(single))
    assert not w.relevant(str(tmp_path / "other.yaml"))
    assert w.relevant(str(tmp_path / "dir" / "x.yml"))
    assert not w.relevant(str(tmp_path / "dir" / "x.txt"))
    assert not w.relevant(str(tmp_path / "dir" / "sub" / "x.yaml"))
    w.recursive = True
    assert w.relevant(str(tmp_path / "dir" / "sub" / "x.yaml"))
