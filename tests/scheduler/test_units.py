"""Unit-level checks of the framework pieces against upstream's rules."""

from __future__ import annotations

from engine.scheduler import config
from engine.scheduler.framework.helpers import tolerates
from engine.scheduler.framework.interface import default_normalize_score
from engine.scheduler.framework.pod_info import PodInfo, normalized_image_name
from engine.scheduler.framework.resources import pod_requests
from engine.scheduler.framework.selectors import LabelSelector, NodeSelector
from engine.scheduler.framework.types import (
    Diagnosis,
    FitError,
    NodeToStatus,
    unresolvable,
    unschedulable,
)


def test_percentage_of_nodes_to_score() -> None:
    assert config.adaptive_percentage(100) == 50
    assert config.num_feasible_nodes_to_find(100) == 100  # 50% of 100, floor of 100 nodes
    assert config.num_feasible_nodes_to_find(99) == 99
    assert config.adaptive_percentage(1000) == 42
    assert config.num_feasible_nodes_to_find(1000) == 420
    assert config.adaptive_percentage(5000) == 10
    assert config.num_feasible_nodes_to_find(5000) == 500
    assert config.adaptive_percentage(6000) == 5
    assert config.num_feasible_nodes_to_find(6000) == 300
    assert config.num_feasible_nodes_to_find(5000, 100) == 5000
    assert config.num_feasible_nodes_to_find(5000, 1) == 100


def test_fit_error_sorts_reasons_as_strings() -> None:
    statuses = {f"n{i}": unschedulable("Insufficient cpu") for i in range(10)}
    statuses.update({f"m{i}": unresolvable("node(s) had untolerated taint {a: b}")
                     for i in range(2)})
    fit = FitError(None, 12, Diagnosis(node_to_status=NodeToStatus(statuses)))
    assert fit.message() == ("0/12 nodes are available: 10 Insufficient cpu, "
                             "2 node(s) had untolerated taint {a: b}.")


def test_fit_error_prefilter_and_postfilter() -> None:
    d = Diagnosis(pre_filter_msg="pod has unbound immediate PersistentVolumeClaims",
                  post_filter_msg="preemption: 0/3 nodes are available: 3 Preemption is not "
                                  "helpful for scheduling.")
    assert FitError(None, 3, d).message() == (
        "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..")


def test_fit_error_absent_nodes() -> None:
    nts = NodeToStatus({"a": unschedulable("No preemption victims found for incoming pod")},
                       absent=unresolvable("Preemption is not helpful for scheduling"))
    assert FitError(None, 3, Diagnosis(node_to_status=nts)).message() == (
        "0/3 nodes are available: 1 No preemption victims found for incoming pod, "
        "2 Preemption is not helpful for scheduling.")


def _c(cpu: str | None = None, mem: str | None = None, **extra: object) -> dict:
    req = {k: v for k, v in (("cpu", cpu), ("memory", mem)) if v}
    return {"name": "c", "image": "x", "resources": {"requests": req}, **extra}


def test_pod_requests_init_containers_and_overhead() -> None:
    pod = {"spec": {"containers": [_c("100m", "100Mi"), _c("200m")],
                    "initContainers": [_c("500m", "50Mi"), _c("100m", "300Mi")],
                    "overhead": {"cpu": "10m", "memory": "1Mi"}}}
    reqs = pod_requests(pod)
    assert reqs["cpu"] == 510  # max(300, 500) + 10
    assert reqs["memory"] == (300 + 1) * 1024 * 1024


def test_pod_requests_sidecars() -> None:
    # A sidecar (restartPolicy Always) runs alongside later init containers and the app.
    pod = {"spec": {"containers": [_c("100m")],
                    "initContainers": [_c("200m", restartPolicy="Always"), _c("1")]}}
    assert pod_requests(pod)["cpu"] == 1200  # max(100 + 200, 1000 + 200)


def test_non_zero_requests() -> None:
    pod = {"spec": {"containers": [_c(), _c("300m")]}}
    nz = pod_requests(pod, non_zero=True)
    assert nz["cpu"] == 400 and nz["memory"] == 2 * 200 * 1024 * 1024


def test_label_selector_and_node_selector() -> None:
    sel = LabelSelector({"matchLabels": {"a": "1"},
                         "matchExpressions": [{"key": "b", "operator": "NotIn",
                                               "values": ["x"]}]})
    assert sel.matches({"a": "1"}) and not sel.matches({"a": "1", "b": "x"})
    assert LabelSelector({}).matches({}) and not LabelSelector(None).matches({})
    ns = NodeSelector({"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "gen", "operator": "Gt", "values": ["3"]},
                              {"key": "os", "operator": "Exists"}]},
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n9"]}]},
    ]})
    assert ns.matches({"gen": "4", "os": "l"}, "n1")
    assert not ns.matches({"gen": "3", "os": "l"}, "n1")
    assert not ns.matches({"gen": "x", "os": "l"}, "n1")
    assert ns.matches({}, "n9")
    assert not NodeSelector({"nodeSelectorTerms": [{}]}).matches({}, "n1")


def test_tolerations() -> None:
    taint = {"key": "k", "value": "v", "effect": "NoSchedule"}
    assert tolerates({"key": "k", "operator": "Equal", "value": "v"}, taint)
    assert tolerates({"key": "k", "operator": "Exists", "effect": "NoSchedule"}, taint)
    assert tolerates({"operator": "Exists"}, taint)
    assert not tolerates({"key": "k", "value": "w"}, taint)
    assert not tolerates({"key": "k", "operator": "Exists", "effect": "NoExecute"}, taint)


def test_default_normalize_score() -> None:
    scores = [0, 2, 4]
    default_normalize_score(100, False, scores)
    assert scores == [0, 50, 100]
    scores = [0, 1, 4]
    default_normalize_score(100, True, scores)
    assert scores == [100, 75, 0]
    scores = [0, 0]
    default_normalize_score(100, True, scores)
    assert scores == [100, 100]


def test_image_names_and_host_ports() -> None:
    assert normalized_image_name("nginx") == "nginx:latest"
    assert normalized_image_name("reg:5000/nginx") == "reg:5000/nginx:latest"
    assert normalized_image_name("nginx:1.14.2") == "nginx:1.14.2"
    pi = PodInfo({"metadata": {"name": "p", "namespace": "d", "uid": "u"},
                  "spec": {"containers": [{"name": "c", "image": "x", "ports": [
                      {"containerPort": 80, "hostPort": 8080}, {"containerPort": 81}]}]}})
    assert pi.host_ports == [("0.0.0.0", "TCP", 8080)]
