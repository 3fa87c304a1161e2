"""Protobuf request bodies, encoded here by hand with the field numbers of
k8s.io/api's generated.proto (written as literals, independent of the
decoder's table)."""

from __future__ import annotations

import pytest

from engine.api import errors
from engine.rest import protobuf


def varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def f_varint(num: int, value: int) -> bytes:
    return varint(num << 3) + varint(value)


def f_bytes(num: int, value: bytes | str) -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    return varint(num << 3 | 2) + varint(len(raw)) + raw


def entry(key: str, value: bytes | str) -> bytes:
    return f_bytes(1, key) + f_bytes(2, value)


def envelope(api_version: str, kind: str, raw: bytes) -> bytes:
    type_meta = f_bytes(1, api_version) + f_bytes(2, kind)
    return b"k8s\x00" + f_bytes(1, type_meta) + f_bytes(2, raw) + f_bytes(3, "") + f_bytes(4, "")


ZERO_TIME = b""  # Go marshals a zero metav1.Time as an empty message


def test_deployment_from_kubectl_create():
    labels = f_bytes(11, entry("app", "web"))
    meta = f_bytes(1, "web") + f_bytes(2, "") + f_bytes(3, "") + f_varint(7, 0) + f_bytes(
        8, ZERO_TIME) + labels
    container = (f_bytes(1, "nginx") + f_bytes(2, "nginx:1.25")
                 + f_bytes(6, f_varint(3, 80) + f_bytes(4, "TCP"))  # ports: containerPort, proto
                 + f_bytes(8, b"") + f_bytes(13, "") + f_bytes(14, "") + f_varint(16, 0))
    pod_spec = f_bytes(2, container) + f_bytes(3, "") + f_varint(11, 0)
    template = f_bytes(1, f_bytes(8, ZERO_TIME) + labels) + f_bytes(2, pod_spec)
    selector = f_bytes(1, entry("app", "web"))
    strategy = f_bytes(1, "") + b""
    spec = (f_varint(1, 3) + f_bytes(2, selector) + f_bytes(3, template) + f_bytes(4, strategy)
            + f_varint(5, 0) + f_varint(7, 0))
    status = f_varint(1, 0) + f_varint(2, 0)
    raw = f_bytes(1, meta) + f_bytes(2, spec) + f_bytes(3, status)
    obj = protobuf.decode(envelope("apps/v1", "Deployment", raw))
    assert obj == {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{
                                  "name": "nginx", "image": "nginx:1.25",
                                  "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}},
    }


def test_pointer_zero_is_kept():
    spec = f_varint(1, 0) + f_bytes(3, f_bytes(2, b""))
    obj = protobuf.decode(envelope("apps/v1", "Deployment", f_bytes(2, spec)))
    assert obj["spec"] == {"replicas": 0}


def test_secret_bytes_and_service_int_or_string():
    secret = f_bytes(1, f_bytes(1, "s")) + f_bytes(2, entry("pw", b"\x00\xffx")) + f_bytes(3,
                                                                                          "Opaque")
    assert protobuf.decode(envelope("v1", "Secret", secret))["data"] == {"pw": "AP94"}
    port = f_bytes(1, "http") + f_bytes(2, "TCP") + f_varint(3, 80) + f_bytes(
        4, f_varint(1, 0) + f_varint(2, 8080) + f_bytes(3, ""))
    named = f_bytes(4, f_varint(1, 1) + f_varint(2, 0) + f_bytes(3, "web"))
    svc = f_bytes(2, f_bytes(1, port) + f_bytes(1, f_varint(3, 443) + named))
    ports = protobuf.decode(envelope("v1", "Service", svc))["spec"]["ports"]
    assert ports == [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080},
                     {"port": 443, "targetPort": "web"}]


def test_time_and_negative_numbers():
    stamp = f_varint(1, 1735689600) + f_varint(2, 0)
    meta = f_bytes(1, "x") + f_bytes(8, stamp)
    ssar_spec = f_bytes(1, f_bytes(1, "default") + f_bytes(2, "create") + f_bytes(5, "pods"))
    obj = protobuf.decode(envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview",
                                   f_bytes(1, meta) + f_bytes(2, ssar_spec)))
    assert obj["metadata"]["creationTimestamp"] == "2025-01-01T00:00:00Z"
    assert obj["spec"]["resourceAttributes"] == {"namespace": "default", "verb": "create",
                                                 "resource": "pods"}
    job_spec = f_varint(7, -1)
    job = protobuf.decode(envelope("batch/v1", "Job", f_bytes(2, job_spec)))
    assert job["spec"]["backoffLimit"] == -1


def test_unknown_kind_and_garbage():
    with pytest.raises(errors.StatusError) as err:
        protobuf.decode(envelope("example.com/v1", "Widget", b""))
    assert err.value.code == 415
    with pytest.raises(errors.StatusError) as err:
        protobuf.decode(b"not protobuf")
    assert err.value.code == 400
