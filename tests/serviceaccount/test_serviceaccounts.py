"""The ServiceAccounts controller and the root CA publisher."""

from __future__ import annotations

from engine.cluster import Cluster
from engine.controllers.rootcacertpublisher.publisher import DESCRIPTION
from tests.storage.conftest import sc  # noqa: F401 - the fixture


def test_every_namespace_gets_default_account_and_ca_bundle(sc: Cluster) -> None:  # noqa: F811
    client = sc.client
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        assert client.get("serviceaccounts", "default", ns)
        cm = client.get("configmaps", "kube-root-ca.crt", ns)
        assert cm["data"]["ca.crt"].startswith("-----BEGIN CERTIFICATE-----\n")
        assert cm["metadata"]["annotations"]["kubernetes.io/description"] == DESCRIPTION
    client.create("namespaces", {"metadata": {"name": "team"}})
    sc.advance(1)
    assert client.get("serviceaccounts", "default", "team")
    assert client.get("configmaps", "kube-root-ca.crt", "team")


def test_deleted_or_edited_objects_come_back(sc: Cluster) -> None:  # noqa: F811
    client = sc.client
    client.delete("serviceaccounts", "default", namespace="default")
    cm = client.get("configmaps", "kube-root-ca.crt", "default")
    ca = cm["data"]["ca.crt"]
    cm["data"] = {"ca.crt": "nope"}
    client.update("configmaps", cm)
    sc.advance(1)
    assert client.get("serviceaccounts", "default", "default")
    assert client.get("configmaps", "kube-root-ca.crt", "default")["data"] == {"ca.crt": ca}
    client.delete("configmaps", "kube-root-ca.crt", namespace="default")
    sc.advance(1)
    assert client.get("configmaps", "kube-root-ca.crt", "default")["data"] == {"ca.crt": ca}


def test_pod_in_a_new_namespace_runs_with_the_published_ca(sc: Cluster) -> None:  # noqa: F811
    """Namespace and pod at once: the publisher's ConfigMap arrives moments
    later and the kubelet mounts the pod's ``kube-api-access-*`` volume."""
    client = sc.client
    client.create("namespaces", {"metadata": {"name": "team"}})
    client.create("pods", {"metadata": {"name": "app"},
                           "spec": {"containers": [{"name": "app", "image": "nginx"}]}},
                  namespace="team")
    sc.advance(10)
    pod = client.get("pods", "app", "team")
    assert pod["status"]["phase"] == "Running"
    mounted = client.get("configmaps", "kube-root-ca.crt", "team")["data"]["ca.crt"]
    assert mounted == client.get("configmaps", "kube-root-ca.crt", "default")["data"]["ca.crt"]
