"""The behaviour model, the shell, images and durations, without a cluster."""

from __future__ import annotations

import pytest

from engine.kubelet import images
from engine.kubelet.backoff import Backoff
from engine.kubelet.behaviour import behaviour_for
from engine.kubelet.durations import go_duration, parse_duration
from engine.kubelet.script import Shell


def run(script: str):  # noqa: ANN201
    return Shell({"NAME": "k9"}, "pod").execute_script(script)


def test_script_sleep_and_exit() -> None:
    result = run("sleep 5; exit 1")
    assert (result.duration, result.exit_code) == (5.0, 1)
    assert run("false").exit_code == 1
    assert run("true && echo yes || echo no").lines == [(0.0, "yes")]
    assert run("false && echo yes || echo no").lines == [(0.0, "no")]
    assert run("sleep 1m30s").duration == 90.0
    assert run("sleep infinity").duration is None


def test_script_loops_and_variables() -> None:
    result = run("i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i $NAME; sleep 1; done")
    assert result.lines == [(0.0, "1 k9"), (1.0, "2 k9"), (2.0, "3 k9")]
    forever = run("while true; do echo hi; sleep 5; done")
    assert forever.duration is None and forever.loop.period == 5.0
    assert run("for x in a b; do echo $x; done").lines == [(0.0, "a"), (0.0, "b")]
    assert run("if [ -f /nope ]; then exit 2; else exit 3; fi").exit_code == 3


def test_script_files_and_traps() -> None:
    result = run("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600")
    assert result.files == [(0.0, "/tmp/healthy", True), (30.0, "/tmp/healthy", False)]
    assert run("trap 'exit 0' TERM; sleep 100").traps_term
    assert run("/app/server --port 8080").server


def _pod(annotations: dict[str, str] | None = None) -> dict:
    return {"metadata": {"name": "p", "annotations": annotations or {}}, "spec": {}}


def test_behaviour_from_images_and_commands() -> None:
    nginx = behaviour_for(_pod(), {"name": "web", "image": "nginx:1.14.2"}, {})
    assert nginx.duration is None and nginx.ports == (80,) and nginx.stop_seconds == 0.2
    shell = behaviour_for(_pod(), {"name": "b", "image": "busybox"}, {})
    assert (shell.duration, shell.exit_code) == (0.0, 0)
    tty = behaviour_for(_pod(), {"name": "b", "image": "busybox", "stdin": True, "tty": True}, {})
    assert tty.duration is None
    sleeper = behaviour_for(_pod(), {"name": "b", "image": "busybox", "args": ["sleep", "10"]}, {})
    assert sleeper.duration == 10.0 and sleeper.stop_seconds is None
    pg = behaviour_for(_pod(), {"name": "db", "image": "postgres:16"}, {})
    assert (pg.duration, pg.exit_code) == (0.1, 1)
    assert behaviour_for(_pod(), {"name": "db", "image": "postgres:16"},
                         {"POSTGRES_PASSWORD": "x"}).duration is None


def test_behaviour_annotations() -> None:
    notes = {"k9py.dev/crash-after": "30s", "k9py.dev/exit-code": "3",
             "k9py.dev/oom-after.other": "5s", "k9py.dev/slow-start": "10s",
             "k9py.dev/fail-readiness": "true"}
    web = behaviour_for(_pod(notes), {"name": "web", "image": "nginx"}, {})
    assert (web.duration, web.exit_code, web.reason) == (30.0, 3, "Error")
    assert web.ready_after == 10.0 and web.fail_readiness_after == 0.0
    other = behaviour_for(_pod(notes), {"name": "other", "image": "nginx"}, {})
    assert (other.duration, other.exit_code, other.reason) == (5.0, 137, "OOMKilled")


@pytest.mark.parametrize("image,fails", [
    ("nginx:1.14.2", False), ("nginx:doesnotexist", True), ("nginx:404", True),
    ("nginx:no-such-tag", True), ("invalid.example/app:1.0", True),
    ("registry.test/team/app", True), ("registry.k8s.io/pause:3.10", False),
])
def test_failing_image_rule(image: str, fails: bool) -> None:
    assert (images.pull_error(images.parse(image)) is not None) == fails


def test_image_normalisation() -> None:
    assert images.parse("nginx").normalized == "docker.io/library/nginx:latest"
    assert images.parse("bitnami/redis:7").normalized == "docker.io/bitnami/redis:7"
    assert images.parse("localhost:5000/app:1").normalized == "localhost:5000/app:1"
    with pytest.raises(images.InvalidImageName):
        images.parse("Nginx")
    assert images.pull_seconds(images.parse("nginx:1.14.2")) == \
        images.pull_seconds(images.parse("nginx:1.14.2"))


def test_durations() -> None:
    assert parse_duration("1m30s") == 90.0 and parse_duration("2") == 2.0
    assert parse_duration("soon") is None
    assert [go_duration(s) for s in (10, 80, 300, 1.2345, 0.5)] == [
        "10s", "1m20s", "5m0s", "1.2345s", "500ms"]


def test_backoff_doubles_caps_and_resets() -> None:
    backoff = Backoff()
    assert [backoff.next("k", t) for t in (0, 1, 2, 3, 4, 5, 6)] == [
        10, 20, 40, 80, 160, 300, 300]
    assert backoff.in_backoff_since("k", 6, 10)
    assert not backoff.in_backoff_since("k", 6, 306)
    assert backoff.next("k", 6 + 601) == 10  # ran for over 10 minutes: start over
