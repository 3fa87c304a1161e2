"""PVC protection as upstream's pvcprotection controller decides it
(``pkg/controller/volume/pvcprotection/pvc_protection_controller.go``):
which pods hold a deleted claim, and the finalizer put back on a live one."""

from __future__ import annotations

from engine.api import errors
from engine.cluster import Cluster
from tests.storage.conftest import claim, pod_with_claim

FINALIZER = "kubernetes.io/pvc-protection"


def _claim(cluster: Cluster, name: str) -> dict | None:
    try:
        return cluster.client.get("persistentvolumeclaims", name, "default")
    except errors.StatusError as err:
        if err.code == 404:
            return None
        raise


def test_admission_adds_the_finalizer(sc: Cluster) -> None:
    """StorageObjectInUseProtection admission: every new claim gets it."""
    created = sc.client.create("persistentvolumeclaims", claim("data"), namespace="default")
    assert created["metadata"]["finalizers"] == [FINALIZER]


def test_controller_puts_the_finalizer_back_on_a_live_claim(sc: Cluster) -> None:
    """processPVC: NeedToAddFinalizer covers claims made before the plugin."""
    sc.client.create("persistentvolumeclaims", claim("data"), namespace="default")
    pvc = _claim(sc, "data")
    pvc["metadata"]["finalizers"] = []
    sc.client.update("persistentvolumeclaims", pvc)
    sc.advance(1)
    assert _claim(sc, "data")["metadata"]["finalizers"] == [FINALIZER]


def test_a_completed_pod_still_holds_its_claim(sc: Cluster) -> None:
    """podUsesPVC looks at spec.nodeName, not the phase: a Succeeded pod keeps
    its claim Terminating until the pod object is deleted."""
    sc.client.create("persistentvolumeclaims", claim("data"), namespace="default")
    pod = pod_with_claim("job", "data")
    pod["spec"]["restartPolicy"] = "Never"
    pod["spec"]["containers"][0].update(image="busybox", command=["sh", "-c", "sleep 2"])
    sc.client.create("pods", pod, namespace="default")
    sc.advance(15)
    assert sc.client.get("pods", "job", "default")["status"]["phase"] == "Succeeded"
    sc.client.delete("persistentvolumeclaims", "data", namespace="default")
    sc.advance(5)
    assert _claim(sc, "data")["metadata"]["deletionTimestamp"]
    sc.client.delete("pods", "job", namespace="default")
    sc.advance(5)
    assert _claim(sc, "data") is None


def test_an_unscheduled_pod_does_not_hold_its_claim(sc: Cluster) -> None:
    """A pod the scheduler has not placed cannot be using the claim (and the
    kubelet will not start it with its claim being deleted)."""
    sc.client.create("persistentvolumeclaims", claim("data"), namespace="default")
    pod = pod_with_claim("waiting", "data")
    pod["spec"]["nodeSelector"] = {"no-such-node": "true"}
    sc.client.create("pods", pod, namespace="default")
    sc.advance(3)
    assert not sc.client.get("pods", "waiting", "default")["spec"].get("nodeName")
    sc.client.delete("persistentvolumeclaims", "data", namespace="default")
    sc.advance(2)
    assert _claim(sc, "data") is None
