"""Crash loops and image pull failures, with upstream's back-off and wording."""

from __future__ import annotations

import threading
from datetime import datetime

from engine.cluster import Cluster
from tests.kubelet.helpers import (
    bound_pod,
    busybox,
    container,
    create,
    events,
    get,
    state_of,
)


def _t(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def _record(cluster: Cluster, name: str) -> tuple[list[tuple], threading.Lock]:
    """Every distinct (state, reason, restarts, message) the pod's container reports."""
    seen: list[tuple] = []
    lock = threading.Lock()

    def on_events(batch) -> None:  # noqa: ANN001
        for event in batch:
            pod = event.object
            statuses = (pod.get("status") or {}).get("containerStatuses")
            if pod["metadata"]["name"] != name or not statuses:
                continue
            state = statuses[0]["state"]
            kind = next(iter(state))
            row = (kind, state[kind].get("reason"), statuses[0]["restartCount"],
                   state[kind].get("message", ""))
            with lock:
                if not seen or seen[-1] != row:
                    seen.append(row)

    cluster.client.watch("pods", "default", callback=on_events)
    return seen, lock


def test_crash_loop_back_off_grows_from_10s_to_5m(cluster: Cluster) -> None:
    seen, _ = _record(cluster, "crash")
    create(cluster, bound_pod("crash", [busybox("app", "sleep 5; exit 1")]))
    cluster.advance(1000)
    kinds = [(k, r) for k, r, _, _ in seen]
    # Running -> Error -> Running (restart 1) -> Error -> CrashLoopBackOff -> Running ...
    assert kinds[:6] == [("waiting", "ContainerCreating"), ("running", None),
                         ("terminated", "Error"), ("running", None),
                         ("terminated", "Error"), ("waiting", "CrashLoopBackOff")]
    backoffs = [m.split(" ")[1] for k, r, _, m in seen if r == "CrashLoopBackOff"]
    assert backoffs[:7] == ["10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s"]
    uid = get(cluster, "crash")["metadata"]["uid"]
    assert seen[5][3] == ("back-off 10s restarting failed container=app "
                          f"pod=crash_default({uid})")
    restarts = [n for k, _, n, _ in seen if k == "running"]
    assert restarts == list(range(len(restarts)))  # each start counts one more restart
    status = container(get(cluster, "crash"))
    last = status["lastState"]["terminated"]
    assert (last["exitCode"], last["reason"]) == (1, "Error")
    assert ("Warning", "BackOff",
            f"Back-off restarting failed container app in pod crash_default({uid})") \
        in events(cluster, "crash")


def test_restarts_wait_exactly_the_back_off_after_the_crash(cluster: Cluster) -> None:
    starts: list[tuple[float, float | None]] = []

    def on_events(batch) -> None:  # noqa: ANN001
        for event in batch:
            statuses = (event.object.get("status") or {}).get("containerStatuses") or []
            if event.object["metadata"]["name"] != "crash" or not statuses:
                continue
            running = statuses[0]["state"].get("running")
            last = (statuses[0].get("lastState") or {}).get("terminated")
            if running and (not starts or starts[-1][0] != _t(running["startedAt"])):
                starts.append((_t(running["startedAt"]),
                               _t(last["finishedAt"]) if last else None))

    cluster.client.watch("pods", "default", callback=on_events)
    create(cluster, bound_pod("crash", [busybox("app", "sleep 5; exit 1")]))
    cluster.advance(700)
    waits = [round(start - finished) for start, finished in starts[1:]]
    assert waits[:6] == [1, 10, 20, 40, 80, 160]  # the first restart comes at the next relist


def test_image_that_cannot_exist_goes_err_image_pull_then_back_off(cluster: Cluster) -> None:
    seen, _ = _record(cluster, "bad")
    create(cluster, bound_pod("bad", [{"name": "web", "image": "nginx:doesnotexist"}]))
    cluster.advance(3)
    pod = get(cluster, "bad")
    assert pod["status"]["phase"] == "Pending"
    not_found = ('rpc error: code = NotFound desc = failed to pull and unpack image '
                 '"docker.io/library/nginx:doesnotexist": failed to resolve reference '
                 '"docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: '
                 "not found")
    assert ("waiting", "ErrImagePull", 0, not_found) in seen
    cluster.advance(2)
    assert state_of(get(cluster, "bad")) == ("waiting", "ImagePullBackOff")
    message = container(get(cluster, "bad"))["state"]["waiting"]["message"]
    assert message == f'Back-off pulling image "nginx:doesnotexist": ErrImagePull: {not_found}'
    seen_events = events(cluster, "bad")
    assert ("Warning", "Failed", f'Failed to pull image "nginx:doesnotexist": {not_found}') \
        in seen_events
    assert ("Warning", "Failed", "Error: ErrImagePull") in seen_events
    assert ("Normal", "BackOff", 'Back-off pulling image "nginx:doesnotexist"') in seen_events
    assert ("Warning", "Failed", "Error: ImagePullBackOff") in seen_events
    cluster.advance(120)
    pulls = cluster.client.list("events", "default")["items"]
    pulling = next(e for e in pulls if e["involvedObject"]["name"] == "bad"
                   and e["reason"] == "Pulling")
    assert pulling["count"] == 4  # at 0 s, then after 10, 20 and 40 s of back-off


def test_unresolvable_registry_and_invalid_names(cluster: Cluster) -> None:
    create(cluster, bound_pod("dns", [{"name": "app", "image": "invalid.example/app:1.0"}]))
    create(cluster, bound_pod("upper", [{"name": "app", "image": "Nginx"}]))
    cluster.advance(2)
    message = container(get(cluster, "dns"))["state"]["waiting"]["message"]
    assert "lookup invalid.example on 172.18.0.1:53: no such host" in message
    upper = container(get(cluster, "upper"))["state"]["waiting"]
    assert upper["reason"] == "InvalidImageName"
    assert upper["message"] == ('Failed to apply default image tag "Nginx": couldn\'t parse '
                                'image name "Nginx": invalid reference format: repository name '
                                "(library/Nginx) must be lowercase")


def test_oom_after_annotation(cluster: Cluster) -> None:
    create(cluster, bound_pod("oom", [{"name": "app", "image": "nginx:1.14.2"}],
                              annotations={"k9py.dev/oom-after": "20s"}))
    cluster.advance(25)
    terminated = container(get(cluster, "oom"))["state"].get("terminated") or \
        container(get(cluster, "oom"))["lastState"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (137, "OOMKilled")
