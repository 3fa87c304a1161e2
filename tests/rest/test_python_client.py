"""The official Python client (kubernetes 37) lists, watches, creates,
patches and deletes through its generated models without errors."""

from __future__ import annotations

import uuid

import pytest
from kubernetes import client, config, watch

from tests.rest.conftest import ROOT_CA, wait_for


@pytest.fixture(scope="module")
def api_client(served):
    return config.new_client_from_config(config_file=str(served.kubeconfig))


@pytest.fixture
def namespace(api_client):
    """A fresh namespace, once the root CA publisher has put its
    ``kube-root-ca.crt`` there (as in every namespace of a real cluster)."""
    core = client.CoreV1Api(api_client)
    name = f"py-{uuid.uuid4().hex[:8]}"
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    wait_for(lambda: any(c.metadata.name == ROOT_CA
                         for c in core.list_namespaced_config_map(name).items))
    return name


def _deployment(name: str) -> client.V1Deployment:
    labels = {"app": name}
    return client.V1Deployment(
        metadata=client.V1ObjectMeta(name=name),
        spec=client.V1DeploymentSpec(
            replicas=2, selector=client.V1LabelSelector(match_labels=labels),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels=labels),
                spec=client.V1PodSpec(containers=[client.V1Container(name="web",
                                                                     image="nginx")]))))


def test_list_nodes_and_pods_parse(api_client):
    core = client.CoreV1Api(api_client)
    nodes = core.list_node().items
    assert [n.metadata.name for n in nodes][:1] == ["k9py-control-plane"]
    assert nodes[0].status.node_info.kubelet_version == "v1.32.0"
    pods = core.list_pod_for_all_namespaces().items
    assert any(p.metadata.name.startswith("etcd-") for p in pods)


def test_create_patch_scale_delete_deployment(api_client, namespace):
    apps = client.AppsV1Api(api_client)
    created = apps.create_namespaced_deployment(namespace, _deployment("web"))
    assert created.metadata.resource_version
    assert created.spec.strategy.type == "RollingUpdate"
    patched = apps.patch_namespaced_deployment("web", namespace,
                                               {"metadata": {"labels": {"tier": "a"}}})
    assert patched.metadata.labels["tier"] == "a"
    scale = apps.patch_namespaced_deployment_scale("web", namespace, {"spec": {"replicas": 4}})
    assert (scale.spec.replicas, scale.status.selector) == (4, "app=web")
    assert apps.read_namespaced_deployment_scale("web", namespace).spec.replicas == 4
    listed = apps.list_namespaced_deployment(namespace, label_selector="tier=a").items
    assert [d.metadata.name for d in listed] == ["web"]
    status = apps.delete_namespaced_deployment("web", namespace)
    assert status["status"] == "Success"


def test_configmap_crud_and_json_patch(api_client, namespace):
    core = client.CoreV1Api(api_client)
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cfg"), data={"a": "1"})
    core.create_namespaced_config_map(namespace, body)
    core.patch_namespaced_config_map("cfg", namespace,
                                     [{"op": "add", "path": "/data/b", "value": "2"}])
    read = core.read_namespaced_config_map("cfg", namespace)
    assert read.data == {"a": "1", "b": "2"}
    read.data["c"] = "3"
    replaced = core.replace_namespaced_config_map("cfg", namespace, read)
    assert replaced.data["c"] == "3"
    core.delete_namespaced_config_map("cfg", namespace)
    assert [c.metadata.name for c in core.list_namespaced_config_map(namespace).items] == [
        ROOT_CA]


def test_server_side_apply(api_client, namespace):
    core = client.CoreV1Api(api_client)
    manifest = {"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "ssa", "namespace": namespace}, "data": {"k": "v"}}
    applied = core.patch_namespaced_config_map(
        "ssa", namespace, manifest, field_manager="tester",
        _content_type="application/apply-patch+yaml")
    assert applied.data == {"k": "v"}
    assert any(m.manager == "tester" for m in applied.metadata.managed_fields)


def test_watch_stream_sees_changes(api_client, namespace):
    core = client.CoreV1Api(api_client)
    for i in range(3):
        core.create_namespaced_config_map(namespace, client.V1ConfigMap(
            metadata=client.V1ObjectMeta(name=f"c{i}")))
    w = watch.Watch()
    seen = [(e["type"], e["object"].metadata.name)
            for e in w.stream(core.list_namespaced_config_map, namespace, timeout_seconds=1)]
    assert seen == [("ADDED", "c0"), ("ADDED", "c1"), ("ADDED", "c2"), ("ADDED", ROOT_CA)]


def test_dynamic_client_uses_legacy_discovery(api_client, namespace):
    from kubernetes.dynamic import DynamicClient

    dyn = DynamicClient(api_client)
    deployments = dyn.resources.get(api_version="apps/v1", kind="Deployment")
    dyn_created = deployments.create(body=client.ApiClient().sanitize_for_serialization(
        _deployment("dyn")), namespace=namespace)
    assert dyn_created.metadata.name == "dyn"
    assert [d.metadata.name for d in deployments.get(namespace=namespace).items] == ["dyn"]


def test_autoscaling_v1_is_served_by_conversion(api_client, namespace):
    """kubectl 1.32's ``autoscale`` and the v1 client use autoscaling/v1;
    the stored object is autoscaling/v2."""
    apps = client.AppsV1Api(api_client)
    apps.create_namespaced_deployment(namespace, _deployment("web"))
    v1 = client.AutoscalingV1Api(api_client)
    hpa = client.V1HorizontalPodAutoscaler(
        metadata=client.V1ObjectMeta(name="web"),
        spec=client.V1HorizontalPodAutoscalerSpec(
            scale_target_ref=client.V1CrossVersionObjectReference(
                api_version="apps/v1", kind="Deployment", name="web"),
            min_replicas=2, max_replicas=5, target_cpu_utilization_percentage=80))
    created = v1.create_namespaced_horizontal_pod_autoscaler(namespace, hpa)
    assert created.spec.target_cpu_utilization_percentage == 80
    patched = v1.patch_namespaced_horizontal_pod_autoscaler(
        "web", namespace, {"spec": {"targetCPUUtilizationPercentage": 60}})
    assert (patched.spec.target_cpu_utilization_percentage, patched.spec.max_replicas) == (60, 5)
    listed = v1.list_namespaced_horizontal_pod_autoscaler(namespace).items
    assert [h.metadata.name for h in listed] == ["web"]
    v2 = client.AutoscalingV2Api(api_client).read_namespaced_horizontal_pod_autoscaler(
        "web", namespace)
    assert v2.spec.metrics[0].resource.target.average_utilization == 60
    v1.delete_namespaced_horizontal_pod_autoscaler("web", namespace)
