"""Scenario actions: ``apply:`` and ``cluster:`` steps are checked when parsed
(missing files, unknown actions, bad taints) and change a real virtual cluster
through the session when run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.cluster import Cluster, ClusterConfig
from k9py.client import Session
from k9py.embedded import session_for
from k9py.record.actions import Action, parse_apply, parse_cluster_action
from k9py.record.conditions import parse_condition

REPO = Path(__file__).resolve().parents[2]
JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: [sh, -c, "sleep 3"]}]
"""


# -- parsing -----------------------------------------------------------------------------------

def test_apply_paths_are_relative_to_the_scenario_and_checked_at_parse_time(
        tmp_path: Path) -> None:
    action = parse_apply("../samples/nginx", REPO / "samples")
    assert isinstance(action, Action)
    assert action.describe() == "apply ../samples/nginx"
    assert parse_apply("deployment.yaml", REPO / "samples/nginx").describe() == \
        "apply deployment.yaml"
    with pytest.raises(ValueError, match="no such file or folder"):
        parse_apply("nope.yaml", REPO / "samples")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="recognized file extensions are"):
        parse_apply("empty", tmp_path)
    (tmp_path / "bad.yaml").write_text("kind: [\n")
    with pytest.raises(ValueError, match="bad.yaml"):
        parse_apply("bad.yaml", tmp_path)


@pytest.mark.parametrize(("spec", "message"), [
    (None, "expected a path"),
    (3, "expected a path"),
    ({}, "expected a path, {path: PATH} or {manifest: YAML}"),
    ({"path": "x", "manifest": "y"}, "expected a path"),
    ({"manifest": ""}, "manifest must be YAML text"),
    ({"manifest": "# nothing\n"}, "holds no objects"),
    ({"manifest": "kind: Pod\n"}, "apiVersion"),
    ({"manifest": JOB, "namespace": 3}, "namespace must be a string"),
])
def test_bad_apply_specs(spec: object, message: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_apply(spec, REPO)
    assert message in str(err.value)


def test_inline_manifests_name_their_objects() -> None:
    assert parse_apply({"manifest": JOB}, REPO).describe() == "apply manifest (Job/pi)"


@pytest.mark.parametrize(("spec", "described"), [
    ({"stop_kubelet": "k9py-worker"}, "stop the kubelet on k9py-worker"),
    ({"start_kubelet": "k9py-worker"}, "start the kubelet on k9py-worker"),
    ({"add_node": None}, "add a node"),
    ({"add_node": "k9py-worker2"}, "add node k9py-worker2"),
    ({"remove_node": "k9py-worker"}, "remove node k9py-worker"),
    ({"cordon": "k9py-worker"}, "cordon k9py-worker"),
    ({"uncordon": "k9py-worker"}, "uncordon k9py-worker"),
    ({"taint": {"node": "n", "key": "dedicated", "value": "gpu", "effect": "NoExecute"}},
     "taint n dedicated=gpu:NoExecute"),
    ({"taint": {"node": "n", "key": "maintenance", "effect": "NoSchedule"}},
     "taint n maintenance:NoSchedule"),
    ({"untaint": {"node": "n", "key": "dedicated"}}, "untaint n dedicated"),
    ({"scale": {"deployment": "web", "replicas": 5}}, "scale deployment web to 5"),
    ({"scale": {"statefulset": "db", "replicas": 0, "namespace": "x"}},
     "scale statefulset db to 0"),
    ({"load": {"deployment": "php-apache", "value": 2}},
     "set the load of deployment php-apache to 2"),
    ({"load": {"deployment": "php-apache", "value": 0.5}},
     "set the load of deployment php-apache to 0.5"),
    ({"load": {"deployment": "php-apache", "value": None}},
     "clear the load of deployment php-apache"),
    ({"patch": {"statefulset": "web", "body": {"spec": {"replicas": 2}}}},
     "patch statefulset web"),
    ({"patch": {"node": "n", "body": {"metadata": {"labels": {"zone": "foo"}}}}},
     "patch node n"),
])
def test_cluster_actions_parse_and_describe_themselves(spec: dict, described: str) -> None:
    action = parse_cluster_action(spec)
    assert isinstance(action, Action)
    assert action.describe() == described


@pytest.mark.parametrize(("spec", "message"), [
    ({}, "expected one action"),
    ({"cordon": "a", "uncordon": "b"}, "expected one action"),
    ([("cordon", "a")], "expected one action"),
    ({"explode": "a"}, "unknown action 'explode'; actions: add_node, cordon"),
    ({"stop_kubelet": None}, "stop_kubelet: expected a node name"),
    ({"cordon": ""}, "cordon: expected a node name"),
    ({"taint": "n"}, "taint: expected a mapping"),
    ({"taint": {"node": "n", "key": "k"}}, "missing effect"),
    ({"taint": {"node": "n", "key": "k", "effect": "Sometimes"}}, "effect must be one of"),
    ({"taint": {"node": "n", "key": "k k", "effect": "NoSchedule"}}, "invalid taint key"),
    ({"taint": {"node": "n", "key": "k", "effect": "NoSchedule", "colour": 1}},
     "unknown colour"),
    ({"scale": {"deployment": "web"}}, "missing replicas"),
    ({"scale": {"replicas": 2}}, "name exactly one of deployment, statefulset"),
    ({"scale": {"deployment": "web", "replicas": -1}}, "whole number >= 0"),
    ({"scale": {"deployment": "web", "replicas": "3"}}, "whole number >= 0"),
    ({"load": {"deployment": "web"}}, "missing value"),
    ({"load": {"deployment": "web", "value": "high"}}, "value must be a number"),
    ({"load": {"value": 1}}, "name exactly one of"),
    ({"patch": {"node": "n"}}, "missing body"),
    ({"patch": {"node": "n", "body": {}}}, "non-empty mapping"),
    ({"patch": {"node": "n", "body": {"a": 1}, "namespace": "x"}}, "not namespaced"),
    ({"patch": {"configmap": "c", "body": {"a": 1}}}, "unknown configmap"),
])
def test_bad_cluster_actions(spec: object, message: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_cluster_action(spec)  # type: ignore[arg-type]
    assert message in str(err.value)


# -- running on a real cluster -----------------------------------------------------------------

@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with Cluster(ClusterConfig(virtual=True, workers=2)) as c:
        yield c


@pytest.fixture(scope="module")
def session(cluster: Cluster) -> Session:
    return session_for(cluster)


def wait(cluster: Cluster, text: str, limit: float = 180) -> None:
    cond = parse_condition(text)
    start = cluster.clock.now()
    while not cond.check(cluster.client):
        assert cluster.clock.now() - start < limit, f"timed out: {cond.describe()}"
        cluster.advance(0.5)


def test_apply_a_folder_then_a_step(cluster: Cluster, session: Session) -> None:
    parse_apply("nginx", REPO / "samples").run(session)
    wait(cluster, "deployment nginx-deployment available 2")
    parse_apply("nginx/steps/deployment-update.yaml", REPO / "samples").run(session)
    wait(cluster, "deployment nginx-deployment revision 2")
    wait(cluster, "deployment nginx-deployment available 2")


def test_apply_into_a_namespace(cluster: Cluster, session: Session) -> None:
    cluster.client.create("namespaces", {"metadata": {"name": "web"}})
    action = parse_apply({"path": "nginx/deployment.yaml", "namespace": "web"},
                         REPO / "samples")
    assert action.describe() == "apply nginx/deployment.yaml"
    action.run(session)
    wait(cluster, "deployment nginx-deployment available 2 in web")


def test_apply_an_inline_manifest(cluster: Cluster, session: Session) -> None:
    parse_apply({"manifest": JOB}, REPO).run(session)
    wait(cluster, "job pi complete")


def test_a_failed_apply_raises_kubectls_message(session: Session) -> None:
    bad = JOB.replace("restartPolicy: Never", "restartPolicy: Sometimes").replace(
        "name: pi", "name: pi2")
    with pytest.raises(RuntimeError, match=r"(?s)apply manifest \(Job/pi2\) failed:\n.*"
                                           r"restartPolicy"):
        parse_apply({"manifest": bad}, REPO).run(session)


def test_scale_cordon_and_taint(cluster: Cluster, session: Session) -> None:
    parse_cluster_action({"scale": {"deployment": "nginx-deployment", "replicas": 3}}
                         ).run(session)
    wait(cluster, "deployment nginx-deployment available 3")
    parse_cluster_action({"cordon": "k9py-worker"}).run(session)
    wait(cluster, "node k9py-worker SchedulingDisabled")
    parse_cluster_action({"uncordon": "k9py-worker"}).run(session)
    assert not parse_condition("node k9py-worker SchedulingDisabled").check(cluster.client)
    parse_cluster_action({"taint": {"node": "k9py-worker2", "key": "dedicated",
                                    "value": "gpu", "effect": "NoExecute"}}).run(session)
    taints = cluster.client.get("nodes", "k9py-worker2")["spec"]["taints"]
    assert {"key": "dedicated", "value": "gpu", "effect": "NoExecute"} in taints
    parse_cluster_action({"untaint": {"node": "k9py-worker2", "key": "dedicated"}}
                         ).run(session)
    assert not cluster.client.get("nodes", "k9py-worker2")["spec"].get("taints")


def test_patch_a_node_and_a_workload(cluster: Cluster, session: Session) -> None:
    parse_cluster_action({"patch": {"node": "k9py-worker", "body": {
        "metadata": {"labels": {"zone": "foo"}}}}}).run(session)
    assert cluster.client.get("nodes", "k9py-worker")["metadata"]["labels"]["zone"] == "foo"
    parse_cluster_action({"patch": {"deployment": "nginx-deployment", "body": {
        "spec": {"minReadySeconds": 1}}}}).run(session)
    dep = cluster.client.get("deployments.apps", "nginx-deployment", "default")
    assert dep["spec"]["minReadySeconds"] == 1


def test_kubelets_and_nodes(cluster: Cluster, session: Session) -> None:
    parse_cluster_action({"stop_kubelet": "k9py-worker2"}).run(session)
    wait(cluster, "node k9py-worker2 NotReady")
    parse_cluster_action({"start_kubelet": "k9py-worker2"}).run(session)
    wait(cluster, "node k9py-worker2 Ready")
    parse_cluster_action({"add_node": "k9py-worker3"}).run(session)
    wait(cluster, "node k9py-worker3 Ready")
    with pytest.raises(RuntimeError, match="named the new node 'k9py-worker4', not 'extra'"):
        parse_cluster_action({"add_node": "extra"}).run(session)
    parse_cluster_action({"remove_node": "k9py-worker4"}).run(session)
    wait(cluster, "node k9py-worker4 gone")




def test_load_reaches_the_pods_and_the_hpa(cluster: Cluster, session: Session) -> None:
    """Load rises the way a load generator raises it: the pods' CPU readings go up and
    the HPA scales out, with no rollout (still one ReplicaSet, no new template)."""
    parse_apply("hpa", REPO / "samples").run(session)
    wait(cluster, "deployment php-apache available 1")
    before = _cpu(cluster)
    parse_cluster_action({"load": {"deployment": "php-apache", "value": 2}}).run(session)
    wait(cluster, "hpa php-apache replicas >=3", limit=300)
    assert min(_cpu(cluster)) > 5 * max(before)
    assert len(cluster.client.list("replicasets.apps", "default",
                                   label_selector="run=php-apache")["items"]) == 1
    template = cluster.client.get("deployments.apps", "php-apache", "default")[
        "spec"]["template"]
    assert "k9py.dev/load" not in (template["metadata"].get("annotations") or {})
    parse_cluster_action({"load": {"deployment": "php-apache", "value": None}}).run(session)
    wait(cluster, "hpa php-apache replicas 1", limit=900)


def _cpu(cluster: Cluster) -> list[float]:
    """The php-apache containers' CPU readings from metrics.k8s.io, in nanocores."""
    units = {"n": 1, "u": 1e3, "m": 1e6}
    items = cluster.client.list("pods.metrics.k8s.io", "default",
                                label_selector="run=php-apache")["items"]
    texts = [c["usage"]["cpu"] for p in items for c in p["containers"]]
    return [float(t[:-1]) * units[t[-1]] if t[-1] in units else float(t) * 1e9 for t in texts]
