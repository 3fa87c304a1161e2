"""Pod and pod template defaults, with upstream's values
(pkg/apis/core/v1/defaults.go and zz_generated.defaults.go)."""

from __future__ import annotations

import pytest

from engine.api.defaults.podspec import image_pull_policy

from ._helpers import defaulted, dig, pod_with

POD_DEFAULTS = [
    ("spec.restartPolicy", "Always"),
    ("spec.dnsPolicy", "ClusterFirst"),
    ("spec.schedulerName", "default-scheduler"),
    ("spec.terminationGracePeriodSeconds", 30),
    ("spec.securityContext", {}),
    ("spec.enableServiceLinks", True),
    ("spec.containers.0.terminationMessagePath", "/dev/termination-log"),
    ("spec.containers.0.terminationMessagePolicy", "File"),
    ("spec.containers.0.imagePullPolicy", "IfNotPresent"),
    ("spec.containers.0.resources", {}),
]


@pytest.mark.parametrize(("path", "expected"), POD_DEFAULTS)
def test_pod_spec_defaults(path: str, expected: object) -> None:
    assert dig(defaulted("pods", pod_with()), path) == expected


def test_explicit_values_are_kept() -> None:
    pod = pod_with(imagePullPolicy="Never", terminationMessagePolicy="FallbackToLogsOnError")
    pod["spec"].update(
        restartPolicy="Never",
        dnsPolicy="Default",
        schedulerName="mine",
        terminationGracePeriodSeconds=0,
        enableServiceLinks=False,
    )
    out = defaulted("pods", pod)
    assert out["spec"]["restartPolicy"] == "Never"
    assert out["spec"]["dnsPolicy"] == "Default"
    assert out["spec"]["schedulerName"] == "mine"
    assert out["spec"]["terminationGracePeriodSeconds"] == 0
    assert out["spec"]["enableServiceLinks"] is False
    assert out["spec"]["containers"][0]["imagePullPolicy"] == "Never"
    assert out["spec"]["containers"][0]["terminationMessagePolicy"] == "FallbackToLogsOnError"


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.25", "IfNotPresent"),
        ("docker.io/library/nginx:1.25", "IfNotPresent"),
        ("registry.k8s.io/pause:3.10", "IfNotPresent"),
        ("localhost:5000/app", "Always"),
        ("localhost:5000/app:v1", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
        ("nginx:latest@sha256:" + "a" * 64, "Always"),
        ("Nginx:1.0", "IfNotPresent"),  # does not parse: upstream ignores the error
        ("", "IfNotPresent"),
    ],
)
def test_image_pull_policy(image: str, policy: str) -> None:
    assert (
        dig(defaulted("pods", pod_with(image=image)), "spec.containers.0.imagePullPolicy") == policy
    )
    if image:
        assert image_pull_policy(image) == policy


def test_ports_protocol_tcp() -> None:
    out = defaulted(
        "pods", pod_with(ports=[{"containerPort": 80}, {"containerPort": 53, "protocol": "UDP"}])
    )
    assert [p["protocol"] for p in out["spec"]["containers"][0]["ports"]] == ["TCP", "UDP"]
    assert "hostPort" not in out["spec"]["containers"][0]["ports"][0]


def test_host_network_pods_get_host_ports() -> None:
    pod = pod_with(ports=[{"containerPort": 8080}])
    pod["spec"]["hostNetwork"] = True
    assert dig(defaulted("pods", pod), "spec.containers.0.ports.0.hostPort") == 8080


@pytest.mark.parametrize("probe", ["livenessProbe", "readinessProbe", "startupProbe"])
def test_probe_defaults(probe: str) -> None:
    out = defaulted("pods", pod_with(**{probe: {"httpGet": {"port": 80}}}))
    p = out["spec"]["containers"][0][probe]
    assert (
        p["timeoutSeconds"],
        p["periodSeconds"],
        p["successThreshold"],
        p["failureThreshold"],
    ) == (1, 10, 1, 3)
    assert p["httpGet"] == {"port": 80, "path": "/", "scheme": "HTTP"}


def test_grpc_probe_service_defaults_to_empty_string() -> None:
    out = defaulted("pods", pod_with(readinessProbe={"grpc": {"port": 9000}}))
    assert dig(out, "spec.containers.0.readinessProbe.grpc") == {"port": 9000, "service": ""}


def test_lifecycle_http_get_defaults() -> None:
    out = defaulted("pods", pod_with(lifecycle={"preStop": {"httpGet": {"port": 80}}}))
    assert dig(out, "spec.containers.0.lifecycle.preStop.httpGet.scheme") == "HTTP"


def test_requests_default_from_limits_in_pods() -> None:
    out = defaulted(
        "pods",
        pod_with(resources={"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}),
    )
    assert dig(out, "spec.containers.0.resources.requests") == {"cpu": "500m", "memory": "1Gi"}


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("0.5", "500m"),
        ("1000m", "1"),
        ("1024Mi", "1Gi"),
        ("1.5Gi", "1536Mi"),
        ("0.0001", "1m"),
        ("100M", "100M"),
        ("1e3", "1e3"),
        (2, "2"),
        ("1000", "1k"),
    ],
)
def test_resource_lists_are_rounded_and_canonical(given: object, stored: str) -> None:
    out = defaulted("pods", pod_with(resources={"requests": {"cpu": given}}))
    assert dig(out, "spec.containers.0.resources.requests.cpu") == stored


def test_env_field_ref_api_version() -> None:
    env = [
        {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
        {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
    ]
    out = defaulted("pods", pod_with(env=env))
    assert dig(out, "spec.containers.0.env.0.valueFrom.fieldRef.apiVersion") == "v1"
    assert dig(out, "spec.containers.0.env.1.valueFrom.resourceFieldRef.divisor") == "0"


VOLUMES = [
    ({"name": "v"}, {"name": "v", "emptyDir": {}}),
    (
        {"name": "v", "secret": {"secretName": "s"}},
        {"name": "v", "secret": {"secretName": "s", "defaultMode": 420}},
    ),
    (
        {"name": "v", "configMap": {"name": "c"}},
        {"name": "v", "configMap": {"name": "c", "defaultMode": 420}},
    ),
    (
        {
            "name": "v",
            "downwardAPI": {"items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name"}}]},
        },
        {
            "name": "v",
            "downwardAPI": {
                "defaultMode": 420,
                "items": [
                    {"path": "n", "fieldRef": {"fieldPath": "metadata.name", "apiVersion": "v1"}}
                ],
            },
        },
    ),
    (
        {"name": "v", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]}},
        {
            "name": "v",
            "projected": {
                "defaultMode": 420,
                "sources": [{"serviceAccountToken": {"path": "t", "expirationSeconds": 3600}}],
            },
        },
    ),
    (
        {"name": "v", "hostPath": {"path": "/data"}},
        {"name": "v", "hostPath": {"path": "/data", "type": ""}},
    ),
    (
        {"name": "v", "emptyDir": {"sizeLimit": "1024Mi"}},
        {"name": "v", "emptyDir": {"sizeLimit": "1Gi"}},
    ),
    (
        {"name": "v", "ephemeral": {"volumeClaimTemplate": {"spec": {"accessModes": ["RWO"]}}}},
        {
            "name": "v",
            "ephemeral": {
                "volumeClaimTemplate": {
                    "spec": {"accessModes": ["RWO"], "volumeMode": "Filesystem"}
                }
            },
        },
    ),
    (
        {"name": "v", "iscsi": {"targetPortal": "t", "iqn": "q", "lun": 0}},
        {
            "name": "v",
            "iscsi": {"targetPortal": "t", "iqn": "q", "lun": 0, "iscsiInterface": "default"},
        },
    ),
]


@pytest.mark.parametrize(("volume", "expected"), VOLUMES)
def test_volume_defaults(volume: dict, expected: dict) -> None:
    pod = pod_with()
    pod["spec"]["volumes"] = [volume]
    assert defaulted("pods", pod)["spec"]["volumes"] == [expected]


def test_service_account_alias_is_kept_in_sync() -> None:
    pod = pod_with()
    pod["spec"]["serviceAccount"] = "builder"
    out = defaulted("pods", pod)["spec"]
    assert (out["serviceAccountName"], out["serviceAccount"]) == ("builder", "builder")


def test_pod_ip_lists_follow_the_singular_field() -> None:
    pod = pod_with()
    pod["status"] = {"podIP": "10.244.1.5", "hostIPs": [{"ip": "172.18.0.3"}]}
    status = defaulted("pods", pod)["status"]
    assert status["podIPs"] == [{"ip": "10.244.1.5"}]
    assert status["hostIP"] == "172.18.0.3"


TEMPLATE_OWNERS = [
    ("deployments", "spec.template"),
    ("replicasets", "spec.template"),
    ("statefulsets", "spec.template"),
    ("daemonsets", "spec.template"),
    ("jobs", "spec.template"),
    ("replicationcontrollers", "spec.template"),
    ("cronjobs", "spec.jobTemplate.spec.template"),
    ("podtemplates", "template"),
]


def _owner(path: str) -> dict:
    obj: dict = {"metadata": {"name": "x"}}
    node = obj
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = {
        "metadata": {"labels": {"app": "x"}},
        "spec": {
            "containers": [{"name": "c", "image": "busybox", "resources": {"limits": {"cpu": "1"}}}]
        },
    }
    return obj


@pytest.mark.parametrize(("resource", "path"), TEMPLATE_OWNERS)
def test_pod_templates_get_pod_spec_defaults_only(resource: str, path: str) -> None:
    out = defaulted(resource, _owner(path))
    spec = dig(out, path + ".spec")
    assert spec["restartPolicy"] == "Always"
    assert spec["dnsPolicy"] == "ClusterFirst"
    assert spec["terminationGracePeriodSeconds"] == 30
    assert spec["containers"][0]["imagePullPolicy"] == "Always"
    # Pod-only defaults do not reach templates.
    assert "enableServiceLinks" not in spec
    assert "requests" not in spec["containers"][0]["resources"]


def test_defaulting_is_idempotent() -> None:
    once = defaulted("pods", pod_with(ports=[{"containerPort": 1}]))
    assert defaulted("pods", once) == once
