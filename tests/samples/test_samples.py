"""Every folder of samples/ applies cleanly and reaches what its README describes.

A test per folder applies it as ``k9py -f samples/<folder>`` would (the folder's
own files, kubectl's order) on the virtual clock, checks the objects, then the
steady state the README promises — as far as the cluster's components go today:
checks that need the scheduler (issue 3) or the StatefulSet, DaemonSet, Job,
CronJob, HPA, Service/endpoint, volume binding and service-account controllers
(issue 4) are skipped, naming what is missing, until those land.
"""

from __future__ import annotations

import base64
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.apply import CREATED, ApplySession
from engine.cluster import Cluster, ClusterConfig
from tests.apply.conftest import ensure_default_service_accounts

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
# samples/demos holds `k9py record` scenarios, not manifests (tests/record/test_demos.py).
FOLDERS = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir() and p.name != "demos")
Obj = dict[str, Any]

# What each piece comes with, for skip reasons.
ISSUE = {"scheduler": "the scheduler (issue 3)"}


def components() -> set[str]:
    """Names of the running pieces: the scheduler and each kube-controller-manager loop."""
    from engine.components import default_components

    found = {fn.__name__ for fn in default_components()}
    names = {"scheduler"} if "run_scheduler" in found else set()
    try:
        manager = importlib.import_module("engine.controllers.manager")
        names |= set(manager.default_controllers())
    except ImportError:
        pass
    return names


def needs(*pieces: str) -> None:
    missing = [p for p in pieces if p not in components()]
    if missing:
        pytest.skip("needs " + ", ".join(ISSUE.get(p, f"the {p} controller (issue 4)")
                                           for p in missing))


@pytest.fixture
def cluster() -> Cluster:
    with Cluster(ClusterConfig(virtual=True)) as c:
        c.advance(1)
        yield c


def apply_folder(cluster: Cluster, folder: str) -> list:
    return ApplySession(cluster.client, [str(SAMPLES / folder)]).apply_all()


def get(cluster: Cluster, resource: str, name: str, ns: str | None = "default") -> Obj:
    return cluster.client.get(resource, name, ns)


def items(cluster: Cluster, resource: str, ns: str | None = "default",
          selector: str | None = None) -> list[Obj]:
    return cluster.client.list(resource, ns, label_selector=selector)["items"]


def replica_sets(cluster: Cluster, selector: str, ns: str = "default") -> dict[str, int]:
    return {rs["metadata"]["name"]: rs["spec"]["replicas"]
            for rs in items(cluster, "replicasets", ns, selector)}


def pods(cluster: Cluster, selector: str | None = None, ns: str = "default") -> list[Obj]:
    return items(cluster, "pods", ns, selector)


def running(pod: Obj) -> bool:
    conditions = {c["type"]: c["status"] for c in pod.get("status", {}).get("conditions", [])}
    return pod.get("status", {}).get("phase") == "Running" and conditions.get("Ready") == "True"


def available(cluster: Cluster, name: str, ns: str = "default") -> tuple[int, int]:
    d = get(cluster, "deployments", name, ns)
    return d["status"].get("availableReplicas", 0), d["spec"]["replicas"]


# -- what every folder applies -------------------------------------------------------------
EXPECTED: dict[str, set[str]] = {
    "canary": {"deployment.apps/myapp-deploy", "service/myapp"},
    "config": {"configmap/nginx-config", "configmap/nginx-www", "secret/mysecret",
               "pod/pod-secret", "pod/pod-secret-env", "pod/pod-cm-1", "pod/pod-cm-2",
               "pod/pod-cm-3"},
    "daemonset": {"daemonset.apps/fluentd-elasticsearch"},
    "hpa": {"deployment.apps/php-apache", "service/php-apache",
            "horizontalpodautoscaler.autoscaling/php-apache", "deployment.apps/web",
            "horizontalpodautoscaler.autoscaling/web"},
    "ingress": {"deployment.apps/myapp", "service/myapp", "ingress.networking.k8s.io/ingress-myapp",
                "ingressclass.networking.k8s.io/nginx"},
    "jobs": {"job.batch/pi", "cronjob.batch/hello"},
    "namespaces": {"namespace/shop", "resourcequota/compute", "limitrange/defaults",
                   "deployment.apps/api"},
    "nginx": {"deployment.apps/nginx-deployment"},
    "probes-resources": {"deployment.apps/web", "pod/nginx-pod", "pod/liveness-exec"},
    "quickstart": {"deployment.apps/frontend", "service/frontend", "deployment.apps/api",
                   "service/api", "deployment.apps/redis", "service/redis", "service/db",
                   "statefulset.apps/db", "daemonset.apps/node-agent", "cronjob.batch/report"},
    "rbac": {"serviceaccount/pod-reader", "role.rbac.authorization.k8s.io/pod-reader",
             "rolebinding.rbac.authorization.k8s.io/read-pods",
             "clusterrole.rbac.authorization.k8s.io/node-reader",
             "clusterrolebinding.rbac.authorization.k8s.io/read-nodes", "pod/kubectl-pod"},
    "scheduling": {"pod/with-require-nodeaffinity", "deployment.apps/deploy-with-node-affinity",
                   "pod/pod-flag", "pod/pod-affinity", "pod/anti-affinity",
                   "pod/on-control-plane", "deployment.apps/tolerant"},
    "services": {"deployment.apps/redis", "service/redis", "deployment.apps/myapp",
                 "service/myapp-nodeport", "service/myapp-headless", "service/search"},
    "statefulset": {"service/myapp-svc", "statefulset.apps/myapp"},
    "storage": {"storageclass.storage.k8s.io/nfs-skyhu", "serviceaccount/nfs-client-provisioner",
                "clusterrole.rbac.authorization.k8s.io/nfs-client-provisioner-runner",
                "clusterrolebinding.rbac.authorization.k8s.io/run-nfs-client-provisioner",
                "deployment.apps/nfs-provisioner-01", "persistentvolumeclaim/pvc-sc",
                "persistentvolume/pv-nfs-1", "persistentvolumeclaim/pvc-static",
                "pod/pod-with-volumes"},
}


def test_every_folder_is_covered_and_documented() -> None:
    assert set(FOLDERS) == set(EXPECTED) == set(STEADY)
    for folder in FOLDERS:
        readme = (SAMPLES / folder / "README.md").read_text()
        assert f"k9py -f samples/{folder}" in readme, folder
        assert "You should see" in readme or "you should see" in readme, folder


@pytest.mark.parametrize("folder", FOLDERS)
def test_folder_loads_without_error(cluster: Cluster, folder: str) -> None:
    ensure_default_service_accounts(cluster.client, "default", "kube-system")
    results = apply_folder(cluster, folder)
    assert [r.message for r in results if r.action != CREATED] == []
    assert {r.ref for r in results} == EXPECTED[folder]


@pytest.mark.parametrize("folder", FOLDERS)
def test_folder_reaches_its_steady_state(cluster: Cluster, folder: str) -> None:
    # Until the service-account controller (issue 4) exists, pods need their
    # namespace's default account made for them.
    ensure_default_service_accounts(cluster.client, "default", "kube-system")
    apply_folder(cluster, folder)
    cluster.advance(2)
    STEADY[folder](cluster)


def steps(folder: str) -> list[Path]:
    return sorted((SAMPLES / folder / "steps").glob("*.yaml"))


@pytest.mark.parametrize("path", steps("nginx") + steps("canary") + steps("statefulset"),
                         ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_steps_apply_over_their_folder(cluster: Cluster, path: Path) -> None:
    ensure_default_service_accounts(cluster.client)
    apply_folder(cluster, path.parent.parent.name)
    results = ApplySession(cluster.client, [str(path)]).apply_all()
    assert [r.action for r in results] == ["configured"]


# -- steady states, folder by folder --------------------------------------------------------
def nginx(c: Cluster) -> None:
    assert replica_sets(c, "app=nginx") == {"nginx-deployment-647677fc66": 2}
    assert len(pods(c, "app=nginx")) == 2
    needs("scheduler")
    c.advance(30)
    assert available(c, "nginx-deployment") == (2, 2)
    assert all(running(p) for p in pods(c, "app=nginx"))


def services(c: Cluster) -> None:
    assert get(c, "services", "redis")["spec"]["type"] == "ClusterIP"
    assert get(c, "services", "redis")["spec"]["ports"][0]["targetPort"] == 6379
    node_port = get(c, "services", "myapp-nodeport")["spec"]
    assert (node_port["type"], node_port["ports"][0]["nodePort"]) == ("NodePort", 30090)
    assert get(c, "services", "myapp-headless")["spec"]["clusterIP"] == "None"
    search = get(c, "services", "search")["spec"]
    assert (search["type"], search["externalName"]) == ("ExternalName", "www.example.com")
    assert len(pods(c, "app=myapp")) == 3 and len(pods(c, "app=redis")) == 1
    needs("scheduler", "endpoint")
    c.advance(30)
    addresses = get(c, "endpoints", "myapp-nodeport")["subsets"][0]["addresses"]
    assert len(addresses) == 3


def config(c: Cluster) -> None:
    assert get(c, "configmaps", "nginx-config")["data"] == {
        "nginx_port": "80", "server_name": "myapp.magedu.com"}
    assert "listen 80;" in get(c, "configmaps", "nginx-www")["data"]["www.conf"]
    data = get(c, "secrets", "mysecret")["data"]
    assert {k: base64.b64decode(v).decode() for k, v in data.items()} == {
        "username": "admin", "password": "123456"}
    items_ = get(c, "pods", "pod-secret")["spec"]["volumes"][0]["secret"]["items"]
    assert [i["path"] for i in items_] == ["my-secret/my-username", "my-secret/my-password"]
    needs("scheduler")
    c.advance(60)
    assert all(running(p) for p in pods(c))


def probes_resources(c: Cluster) -> None:
    [pod] = [p for p in pods(c, "app=web")][:1]
    resources = pod["spec"]["containers"][0]["resources"]
    assert resources == {"requests": {"cpu": "200m", "memory": "128Mi"},
                         "limits": {"cpu": "500m", "memory": "256Mi"}}
    needs("scheduler")
    c.advance(60)
    assert available(c, "web") == (2, 2)
    assert running(get(c, "pods", "nginx-pod"))
    exec_pod = get(c, "pods", "liveness-exec")
    assert exec_pod["status"]["phase"] == "Running" and not running(exec_pod)


def scheduling(c: Cluster) -> None:
    assert len(pods(c, "app=deploy-with-node-affinity")) == 5
    assert len(pods(c, "app=tolerant")) == 3
    needs("scheduler")
    c.advance(30)
    assert "nodeName" not in get(c, "pods", "with-require-nodeaffinity")["spec"]
    assert "nodeName" not in get(c, "pods", "anti-affinity")["spec"]
    flag = get(c, "pods", "pod-flag")["spec"]["nodeName"]
    assert get(c, "pods", "pod-affinity")["spec"]["nodeName"] == flag
    assert get(c, "pods", "on-control-plane")["spec"]["nodeName"].endswith("control-plane")


def canary(c: Cluster) -> None:
    assert len(pods(c, "app=myapp")) == 3
    assert get(c, "services", "myapp")["spec"]["selector"] == {"app": "myapp"}
    needs("scheduler")
    c.advance(30)
    assert available(c, "myapp-deploy") == (3, 3)


def statefulset(c: Cluster) -> None:
    assert get(c, "services", "myapp-svc")["spec"]["clusterIP"] == "None"
    assert get(c, "statefulsets", "myapp")["spec"]["volumeClaimTemplates"][0]["metadata"][
        "name"] == "myappdata"
    needs("scheduler", "statefulset", "persistentvolume-binder")
    c.advance(120)
    assert sorted(p["metadata"]["name"] for p in pods(c, "app=myapp-pod")) == [
        "myapp-0", "myapp-1", "myapp-2"]
    assert len(items(c, "persistentvolumeclaims")) == 3


def daemonset(c: Cluster) -> None:
    assert get(c, "daemonsets", "fluentd-elasticsearch", "kube-system")
    needs("scheduler", "daemonset")
    c.advance(60)
    status = get(c, "daemonsets", "fluentd-elasticsearch", "kube-system")["status"]
    assert status["numberReady"] == status["desiredNumberScheduled"] == 3


def jobs(c: Cluster) -> None:
    assert get(c, "cronjobs", "hello")["spec"]["schedule"] == "* * * * *"
    needs("scheduler", "job", "cronjob")
    c.advance(180)
    assert get(c, "jobs", "pi")["status"].get("succeeded") == 1
    assert len([j for j in items(c, "jobs") if j["metadata"]["name"].startswith("hello-")]) >= 1


def storage(c: Cluster) -> None:
    assert get(c, "storageclasses", "nfs-skyhu", None)["reclaimPolicy"] == "Retain"
    assert get(c, "persistentvolumes", "pv-nfs-1", None)["spec"]["capacity"] == {
        "storage": "2Gi"}
    needs("scheduler", "persistentvolume-binder")
    c.advance(60)
    assert get(c, "persistentvolumeclaims", "pvc-static")["status"]["phase"] == "Bound"
    assert get(c, "persistentvolumeclaims", "pvc-sc")["status"]["phase"] == "Pending"
    assert running(get(c, "pods", "pod-with-volumes"))


def ingress(c: Cluster) -> None:
    rule = get(c, "ingresses", "ingress-myapp")["spec"]["rules"][0]
    assert rule["host"] == "myapp.magedu.com"
    assert get(c, "ingressclasses", "nginx", None)["spec"]["controller"] == "k8s.io/ingress-nginx"
    needs("scheduler")
    c.advance(30)
    assert available(c, "myapp") == (2, 2)


def hpa(c: Cluster) -> None:
    assert get(c, "horizontalpodautoscalers", "php-apache")["spec"]["maxReplicas"] == 10
    assert get(c, "deployments", "php-apache")["spec"]["replicas"] == 1
    needs("scheduler", "horizontalpodautoscaling")
    c.advance(120)
    assert get(c, "horizontalpodautoscalers", "php-apache")["status"]["currentReplicas"] == 1
    web = get(c, "horizontalpodautoscalers", "web")["status"]
    assert web["currentReplicas"] == 1
    assert web["currentMetrics"][0]["pods"]["current"]["averageValue"] == "50"


def rbac(c: Cluster) -> None:
    binding = get(c, "rolebindings", "read-pods")
    assert binding["roleRef"]["name"] == "pod-reader"
    assert get(c, "pods", "kubectl-pod")["spec"]["serviceAccountName"] == "pod-reader"
    needs("scheduler")
    c.advance(30)
    assert running(get(c, "pods", "kubectl-pod"))


def namespaces(c: Cluster) -> None:
    ensure_default_service_accounts(c.client, "shop")
    c.advance(20)  # the ReplicaSet controller retries pods once the account exists
    shop_pods = pods(c, "app=api", "shop")
    assert len(shop_pods) == 2
    assert shop_pods[0]["spec"]["containers"][0]["resources"]["limits"] == {
        "cpu": "200m", "memory": "128Mi"}
    needs("scheduler")
    c.advance(30)
    assert available(c, "api", "shop") == (2, 2)


def quickstart(c: Cluster) -> None:
    for name, replicas in (("frontend", 3), ("api", 2), ("redis", 1)):
        assert sum(replica_sets(c, f"app={name}").values()) == replicas
    needs("scheduler")
    c.advance(60)
    for name, replicas in (("frontend", 3), ("api", 2), ("redis", 1)):
        assert available(c, name) == (replicas, replicas)
    needs("statefulset", "daemonset", "cronjob", "persistentvolume-binder")
    c.advance(300)
    assert get(c, "statefulsets", "db")["status"]["readyReplicas"] == 2
    assert get(c, "daemonsets", "node-agent")["status"]["numberReady"] == 3


STEADY: dict[str, Callable[[Cluster], None]] = {
    "canary": canary, "config": config, "daemonset": daemonset, "hpa": hpa, "ingress": ingress,
    "jobs": jobs, "namespaces": namespaces, "nginx": nginx,
    "probes-resources": probes_resources, "quickstart": quickstart, "rbac": rbac,
    "scheduling": scheduling, "services": services, "statefulset": statefulset,
    "storage": storage,
}
