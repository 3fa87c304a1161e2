"""Scenario wait conditions: the grammar (good lines, clear errors) and what each
condition means, on a fake client for exact objects and on a real virtual cluster
for the states the controllers produce."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engine.api.errors import StatusError
from engine.cluster import Cluster, ClusterConfig
from k9py.record.conditions import Condition, parse_condition
from tests.helpers import deployment


class FakeClient:
    """get/list over a dict of objects keyed by (resource, namespace, name)."""

    def __init__(self, *objs: tuple[str, dict]) -> None:
        self.objs = {(res, o["metadata"].get("namespace"), o["metadata"]["name"]): o
                     for res, o in objs}
        self.calls: list[tuple] = []

    def get(self, resource: str, name: str, namespace: str | None = None) -> dict:
        self.calls.append(("get", resource, name, namespace))
        try:
            return self.objs[(resource, namespace, name)]
        except KeyError:
            raise StatusError(404, "NotFound", f"{resource} {name!r} not found") from None

    def list(self, resource: str, namespace: str | None = None, **opts: Any) -> dict:
        self.calls.append(("list", resource, namespace, opts.get("label_selector")))
        want = dict(t.split("=") for t in (opts.get("label_selector") or "").split(",") if t)
        field = opts.get("field_selector")
        node = field.removeprefix("spec.nodeName=") if field else None
        return {"items": [o for (res, ns, _n), o in self.objs.items()
                          if res == resource and ns == namespace
                          and want.items() <= (o["metadata"].get("labels") or {}).items()
                          and (node is None or o["spec"].get("nodeName") == node)]}


def obj(name: str, ns: str | None = "default", *, spec: dict | None = None,
        status: dict | None = None, **meta: Any) -> dict:
    return {"metadata": {"name": name, "namespace": ns, "generation": 1, **meta},
            "spec": spec or {}, "status": status or {}}


def pod(name: str, phase: str, ready: bool = False, deleting: bool = False,
        node: str | None = None, **labels: str) -> tuple[str, dict]:
    extra = {"deletionTimestamp": "2025-01-01T00:00:00Z"} if deleting else {}
    conds = [{"type": "Ready", "status": "True" if ready else "False"}]
    return "pods", obj(name, labels=labels, status={"phase": phase, "conditions": conds},
                       spec={"nodeName": node} if node else {}, **extra)


# -- grammar -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "described"), [
    ("deployment nginx available 3", "deployment nginx available 3 in default"),
    ("deploy nginx available >= 3 in web", "deployment nginx available >= 3 in web"),
    ("Deployment nginx revision 2", "deployment nginx revision 2 in default"),
    ("pod web-0 Running", "pod web-0 Running in default"),
    ("pod web-0 ready in apps", "pod web-0 ready in apps"),
    ("pod web-0 gone", "pod web-0 gone in default"),
    ("pods matching app=nginx running", "pods matching app=nginx Running in default"),
    ("pod matching app=nginx,tier!=db Running 3", "pods matching app=nginx,tier!=db Running 3 "
                                                  "in default"),
    ('pods matching "env in (a, b)" Pending >=1', "pods matching env in (a, b) Pending >=1 "
                                                  "in default"),
    ("no pods matching app=nginx in web", "no pods matching app=nginx in web"),
    ("pods matching app=web on k9py-worker2 Running 4",
     "pods matching app=web on k9py-worker2 Running 4 in default"),
    ("no pods matching app=web on k9py-worker", "no pods matching app=web on k9py-worker "
                                                "in default"),
    ("node k9py-worker Ready", "node k9py-worker Ready"),
    ("node k9py-worker notready", "node k9py-worker notready"),
    ("node k9py-worker SchedulingDisabled", "node k9py-worker SchedulingDisabled"),
    ("statefulset web ready 3", "statefulset web ready 3 in default"),
    ("sts web updated 1", "statefulset web updated 1 in default"),
    ("daemonset fluentd ready 3 in kube-system", "daemonset fluentd ready 3 in kube-system"),
    ("job pi complete", "job pi complete in default"),
    ("job pi failed", "job pi failed in default"),
    ("hpa php-apache replicas >3", "hpa php-apache replicas >3 in default"),
])
def test_good_conditions_parse_and_describe_themselves(text: str, described: str) -> None:
    cond = parse_condition(text)
    assert isinstance(cond, Condition)
    assert cond.describe() == described


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty wait condition"),
    ("   ", "empty wait condition"),
    ("frobnicator x ready 1", "unknown kind 'frobnicator'"),
    ("deployment nginx", "expected NAME and what to wait for"),
    ("deployment nginx available", "expected a number"),
    ("deployment nginx available three", "expected a number (or >=N"),
    ("deployment nginx available 3 now", "unexpected 'now'"),
    ("deployment nginx ready 3", "deployments cannot wait for 'ready'"),
    ("node k9py-worker Ready in default", "nodes are not namespaced"),
    ("node k9py-worker Running", "nodes cannot wait for 'Running'"),
    ("pod web Sleeping", "pods cannot wait for 'Sleeping'"),
    ("pods matching app=nginx", "expected a phase"),
    ("pods matching", "expected a label selector"),
    ("pods matching app==(x Running", "invalid label selector"),
    ("pods matching app=nginx Running many", "expected a number"),
    ("pods matching app=nginx on", "expected a node name"),
    ("pods matching app=nginx on k9py-worker", "expected a phase"),
    ("no pods matching app=nginx on k9py-worker Running", "unexpected 'Running'"),
    ("job pi done", "jobs cannot wait for 'done'"),
    ('pod "web Running', "No closing quotation"),
])
def test_bad_conditions_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_condition(text)
    assert message in str(err.value)
    assert repr(text) in str(err.value) or not text.strip()


def test_a_bad_condition_lists_the_grammar() -> None:
    with pytest.raises(ValueError, match="deployment NAME available N"):
        parse_condition("deployment")


# -- meanings, on exact objects ------------------------------------------------------------------

def dep(available: int, updated: int, replicas: int = 3, spec: int = 3,
        observed: int = 1, revision: str = "1") -> tuple[str, dict]:
    return "deployments.apps", obj(
        "nginx", spec={"replicas": spec}, annotations={
            "deployment.kubernetes.io/revision": revision},
        status={"replicas": replicas, "updatedReplicas": updated,
                "availableReplicas": available, "observedGeneration": observed})


@pytest.mark.parametrize(("state", "holds"), [
    (dep(3, 3), True),
    (dep(3, 2), False),  # an old pod still available: the rollout is not complete
    (dep(3, 3, replicas=4), False),  # a surge pod still exists
    (dep(2, 3), False),
    (dep(3, 3, observed=0), False),  # the controller has not seen the newest spec
    (dep(4, 4, replicas=4, spec=4), False),  # complete, but at 4
])
def test_deployment_available_means_the_rollout_completed_at_n(state: tuple, holds: bool) -> None:
    assert parse_condition("deployment nginx available 3").check(FakeClient(state)) is holds


def test_missing_objects_are_not_an_error_but_not_there_yet() -> None:
    client = FakeClient()
    for text in ("deployment nginx available 1", "statefulset web ready 1", "job pi complete",
                 "hpa h replicas 1", "node n Ready", "pod p Running", "daemonset d ready 0"):
        assert parse_condition(text).check(client) is False
    assert parse_condition("pod p gone").check(client) is True
    assert parse_condition("node n gone").check(client) is True


def test_other_api_errors_propagate() -> None:
    class Broken(FakeClient):
        def get(self, *args: Any, **kwargs: Any) -> dict:
            raise StatusError(403, "Forbidden", "no")

    with pytest.raises(StatusError):
        parse_condition("deployment nginx available 1").check(Broken())


def test_revision_and_namespace() -> None:
    res, d = dep(3, 3, revision="2")
    d["metadata"]["namespace"] = "web"
    client = FakeClient((res, d))
    assert parse_condition("deployment nginx revision 2 in web").check(client)
    assert parse_condition("deployment nginx revision >=2 in web").check(client)
    assert not parse_condition("deployment nginx revision 3 in web").check(client)
    assert not parse_condition("deployment nginx revision 2").check(client)  # default ns
    assert client.calls[-1] == ("get", "deployments.apps", "nginx", "default")


def test_pods_matching_all_in_phase_with_optional_count() -> None:
    client = FakeClient(pod("a", "Running", app="web"), pod("b", "Running", True, app="web"),
                        pod("c", "Pending", app="db"))
    assert parse_condition("pods matching app=web Running").check(client)
    assert parse_condition("pods matching app=web Running 2").check(client)
    assert not parse_condition("pods matching app=web Running 3").check(client)
    assert parse_condition("pods matching app=web Running >=1").check(client)
    assert not parse_condition("pods matching app=web Ready").check(client)  # a is not ready
    assert not parse_condition("pods matching app=none Running").check(client)  # none at all
    assert parse_condition("pods matching app=db Pending 1").check(client)
    assert client.calls[-1] == ("list", "pods", "default", "app=db")


def test_terminating_pods_do_not_count_but_no_pods_waits_for_them() -> None:
    client = FakeClient(pod("a", "Running", app="web"),
                        pod("old", "Running", deleting=True, app="web"))
    assert parse_condition("pods matching app=web Running 1").check(client)
    assert not parse_condition("no pods matching app=web").check(client)
    assert parse_condition("no pods matching app=gone").check(client)


def test_pods_on_a_node() -> None:
    client = FakeClient(pod("a", "Running", node="w1", app="web"),
                        pod("b", "Running", node="w2", app="web"),
                        pod("old", "Running", deleting=True, node="w1", app="web"))
    assert parse_condition("pods matching app=web on w2 Running 1").check(client)
    assert not parse_condition("pods matching app=web on w2 Running 2").check(client)
    assert client.calls[-1] == ("list", "pods", "default", "app=web")
    assert not parse_condition("no pods matching app=web on w1").check(client)
    assert parse_condition("no pods matching app=web on w3").check(client)


def test_pod_by_name() -> None:
    client = FakeClient(pod("web-0", "Running", True), pod("web-1", "Running", True,
                                                           deleting=True))
    assert parse_condition("pod web-0 Running").check(client)
    assert parse_condition("pod web-0 Ready").check(client)
    assert not parse_condition("pod web-0 Pending").check(client)
    assert not parse_condition("pod web-1 Ready").check(client)  # terminating: not ready
    assert not parse_condition("pod web-0 gone").check(client)


def node(name: str, ready: str, unschedulable: bool = False) -> tuple[str, dict]:
    return "nodes", obj(name, None, spec={"unschedulable": unschedulable} if unschedulable
                        else {}, status={"conditions": [{"type": "Ready", "status": ready}]})


def test_node_states() -> None:
    client = FakeClient(node("a", "True"), node("b", "Unknown"), node("c", "True", True))
    assert parse_condition("node a Ready").check(client)
    assert not parse_condition("node a NotReady").check(client)
    assert parse_condition("node b NotReady").check(client)
    assert not parse_condition("node a SchedulingDisabled").check(client)
    assert parse_condition("node c SchedulingDisabled").check(client)
    assert client.calls[-1] == ("get", "nodes", "c", None)


def test_statefulset_ready_and_updated() -> None:
    sts = obj("web", spec={"replicas": 3}, status={
        "replicas": 3, "readyReplicas": 3, "updatedReplicas": 1, "observedGeneration": 1})
    client = FakeClient(("statefulsets.apps", sts))
    assert parse_condition("statefulset web ready 3").check(client)
    assert parse_condition("statefulset web updated 1").check(client)
    assert not parse_condition("statefulset web updated 3").check(client)
    sts["status"]["readyReplicas"] = 2
    assert not parse_condition("statefulset web ready 3").check(client)
    assert not parse_condition("statefulset web updated 1").check(client)  # not all ready


def test_daemonset_job_and_hpa() -> None:
    ds = obj("fluentd", status={"desiredNumberScheduled": 3, "numberReady": 3,
                                "updatedNumberScheduled": 3, "observedGeneration": 1})
    job = obj("pi", status={"conditions": [{"type": "Complete", "status": "True"}]})
    hpa = obj("php", status={"currentReplicas": 4, "desiredReplicas": 5})
    client = FakeClient(("daemonsets.apps", ds), ("jobs.batch", job),
                        ("horizontalpodautoscalers.autoscaling", hpa))
    assert parse_condition("daemonset fluentd ready 3").check(client)
    assert not parse_condition("daemonset fluentd ready 2").check(client)
    assert parse_condition("job pi complete").check(client)
    assert not parse_condition("job pi failed").check(client)
    assert parse_condition("hpa php replicas 4").check(client)
    assert parse_condition("hpa php replicas >=3").check(client)
    assert not parse_condition("hpa php replicas 5").check(client)


# -- on a real cluster --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real() -> Iterator[Cluster]:
    with Cluster(ClusterConfig(virtual=True, workers=1)) as c:
        yield c


def wait(cluster: Cluster, cond: Condition, limit: float = 120) -> float:
    start = cluster.clock.now()
    while not cond.check(cluster.client):
        assert cluster.clock.now() - start < limit, f"timed out: {cond.describe()}"
        cluster.advance(0.5)
    return cluster.clock.now() - start


def test_conditions_on_a_real_cluster(real: Cluster) -> None:
    real.client.create("deployments.apps", deployment("web", replicas=2), namespace="default")
    assert not parse_condition("deployment web available 2").check(real.client)
    wait(real, parse_condition("deployment web available 2"))
    assert parse_condition("pods matching app=web Running 2").check(real.client)
    assert parse_condition("pods matching app=web Ready 2").check(real.client)
    nodes = {p["spec"]["nodeName"] for p in real.client.list("pods", "default")["items"]}
    for node in nodes:
        assert parse_condition(f"pods matching app=web on {node} Running >=1").check(
            real.client)
    assert parse_condition("no pods matching app=web on k9py-control-plane").check(real.client)
    assert parse_condition("deployment web revision 1").check(real.client)
    assert parse_condition("node k9py-worker Ready").check(real.client)
    assert parse_condition("node k9py-control-plane Ready").check(real.client)
