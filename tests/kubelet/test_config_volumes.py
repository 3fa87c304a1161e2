"""ConfigMap/Secret references and volumes that must exist before a pod runs."""

from __future__ import annotations

import base64

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


def _secret(name: str, **data: str) -> dict:
    return {"metadata": {"name": name},
            "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}}


def test_missing_secret_key_then_secret_appears(cluster: Cluster) -> None:
    env = [{"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]
    create(cluster, bound_pod("app", [busybox("app", "echo pw=$PASSWORD; sleep 3600", env=env)]))
    cluster.advance(5)
    pod = get(cluster, "app")
    waiting = container(pod)["state"]["waiting"]
    assert waiting == {"reason": "CreateContainerConfigError", "message": 'secret "db" not found'}
    assert ("Warning", "Failed", 'Error: secret "db" not found') in events(cluster, "app")
    cluster.client.create("secrets", _secret("db", user="admin"), namespace="default")
    cluster.advance(12)
    waiting = container(get(cluster, "app"))["state"]["waiting"]
    assert waiting["message"] == "couldn't find key password in Secret default/db"
    secret = cluster.client.get("secrets", "db", "default")
    secret["data"]["password"] = base64.b64encode(b"s3cret").decode()
    cluster.client.update("secrets", secret)
    cluster.advance(12)
    assert state_of(get(cluster, "app")) == ("running", None)
    assert cluster.call(cluster.kubelets.logs, "default", "app") == "pw=s3cret\n"


def test_missing_configmap_for_env_from(cluster: Cluster) -> None:
    spec = busybox("app", "sleep 3600", envFrom=[{"configMapRef": {"name": "settings"}}])
    create(cluster, bound_pod("app", [spec]))
    cluster.advance(5)
    assert container(get(cluster, "app"))["state"]["waiting"]["message"] == \
        'configmap "settings" not found'


def test_configmap_volume_must_exist(cluster: Cluster) -> None:
    volume = {"name": "config", "configMap": {"name": "app-config"}}
    spec = busybox("app", "sleep 3600", volumeMounts=[{"name": "config", "mountPath": "/etc/app"}])
    create(cluster, bound_pod("app", [spec], volumes=[volume]))
    cluster.advance(10)
    pod = get(cluster, "app")
    assert state_of(pod) == ("waiting", "ContainerCreating")
    assert ("Warning", "FailedMount",
            'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found') \
        in events(cluster, "app")
    cluster.client.create("configmaps", {"metadata": {"name": "app-config"}, "data": {"a": "b"}},
                          namespace="default")
    cluster.advance(5)
    assert state_of(get(cluster, "app")) == ("running", None)


def test_unbound_claim_keeps_the_pod_creating(cluster: Cluster) -> None:
    claim = {"metadata": {"name": "data"},
             "spec": {"accessModes": ["ReadWriteOnce"],
                      "resources": {"requests": {"storage": "1Gi"}}}}
    cluster.client.create("persistentvolumeclaims", claim, namespace="default")
    volume = {"name": "data", "persistentVolumeClaim": {"claimName": "data"}}
    create(cluster, bound_pod("db", [busybox("db", "sleep 3600")], volumes=[volume]))
    cluster.advance(60)
    assert state_of(get(cluster, "db")) == ("waiting", "ContainerCreating")
    assert "FailedMount" not in [r for _, r, _ in events(cluster, "db")]
    cluster.advance(70)
    assert ("Warning", "FailedMount",
            "Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], "
            "failed to process volumes=[data]: error processing PVC default/data: PVC is not "
            "bound") in events(cluster, "db")


def test_empty_dir_and_downward_api_mount(cluster: Cluster) -> None:
    volumes = [{"name": "scratch", "emptyDir": {}},
               {"name": "info", "downwardAPI": {"items": [
                   {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}}]
    env = [{"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]
    create(cluster, bound_pod("app", [busybox("app", "echo I am $POD; sleep 3600", env=env)],
                              volumes=volumes))
    cluster.advance(5)
    assert state_of(get(cluster, "app")) == ("running", None)
    assert cluster.call(cluster.kubelets.logs, "default", "app") == "I am app\n"


def test_service_account_volume_waits_for_the_root_ca(cluster: Cluster) -> None:
    """The projected ``kube-api-access-*`` volume needs ``kube-root-ca.crt``.
    No controller manager runs here: in a new namespace the pod stays
    ContainerCreating with FailedMount, as upstream's kubelet (projected
    volume plugin, configmap source not optional), until the ConfigMap that
    the root CA publisher would create appears."""
    cluster.client.create("namespaces", {"metadata": {"name": "fresh"}})
    create(cluster, bound_pod("app", [busybox("app", "sleep 3600")]), namespace="fresh")
    pod = get(cluster, "app", "fresh")
    (volume,) = [v["name"] for v in pod["spec"]["volumes"]]
    assert volume.startswith("kube-api-access-")
    cluster.advance(5)
    assert state_of(get(cluster, "app", "fresh")) == ("waiting", "ContainerCreating")
    assert ("Warning", "FailedMount", f'MountVolume.SetUp failed for volume "{volume}" : '
            'configmap "kube-root-ca.crt" not found') in events(cluster, "app", "fresh")
    ca = cluster.client.get("configmaps", "kube-root-ca.crt", "default")
    cluster.client.create("configmaps", {"metadata": {"name": "kube-root-ca.crt"},
                                         "data": ca["data"]}, namespace="fresh")
    cluster.advance(5)
    assert state_of(get(cluster, "app", "fresh")) == ("running", None)


def test_boot_namespaces_have_the_root_ca(cluster: Cluster) -> None:
    """As a kind cluster when it is ready: pods in ``default`` mount at once."""
    create(cluster, bound_pod("app", [busybox("app", "sleep 3600")]))
    cluster.advance(3)
    assert state_of(get(cluster, "app")) == ("running", None)
    assert "FailedMount" not in [r for _, r, _ in events(cluster, "app")]
