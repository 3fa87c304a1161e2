"""The pod-template-hash reproduces a real cluster's ReplicaSet names.

``data/spew_golden.json`` holds templates (as this API server defaults
them) with the FNV-32a sums real go-spew v1.1.1 printed for them with
``dump.ForHash``'s configuration, over Go structs generated from the same
v1.32 type table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.controllers.deployment.gospew import dump_pod_template
from engine.controllers.deployment.hash import compute_hash, fnv32a, safe_encode_string
from engine.controllers.deployment.quantity import parse_quantity
from tests.controllers.test_deployment_walkthrough import nginx_deployment

GOLDEN = json.loads((Path(__file__).parent / "data" / "spew_golden.json").read_text())


@pytest.mark.parametrize("case", GOLDEN, ids=[str(i) for i in range(len(GOLDEN))])
def test_dump_matches_go_spew(case: dict) -> None:
    assert fnv32a(dump_pod_template(case["template"]).encode()) == case["sum"]


def test_seed_names_match_real_clusters(kcm) -> None:  # noqa: ANN001
    created = kcm.client.create("deployments", nginx_deployment())
    template = created["spec"]["template"]
    assert compute_hash(template, None) == "647677fc66"
    template["spec"]["containers"][0]["image"] = "nginx:1.16.1"
    assert compute_hash(template, None) == "8d94c585f"


def test_collision_count_changes_the_hash() -> None:
    template = GOLDEN[0]["template"]
    hashes = {compute_hash(template, n) for n in (None, 0, 1, 2)}
    assert len(hashes) == 4
    assert compute_hash(template, 1) == compute_hash(template, 1)


def test_dump_shape() -> None:
    dump = dump_pod_template(GOLDEN[0]["template"])
    assert dump.startswith("(v1.PodTemplateSpec){ObjectMeta:(v1.ObjectMeta){Name:(string) ")
    assert "Labels:(map[string]string)map[app:nginx]" in dump
    assert "SecurityContext:(*v1.PodSecurityContext){SELinuxOptions:(*v1.SELinuxOptions)<nil>" \
        in dump
    assert "TerminationGracePeriodSeconds:(*int64)30" in dump


def test_safe_encode_and_quantities() -> None:
    assert safe_encode_string("0123456789") == "456789bcdf"
    q = parse_quantity("100m")
    assert (q.value, q.scale, q.cached, q.format) == (100, -3, "100m", "DecimalSI")
    q = parse_quantity("64Mi")
    assert (q.value, q.scale, q.cached, q.format) == (64 << 20, 0, "", "BinarySI")  # 64 & 7 == 0
    assert parse_quantity("1Ki").cached == "1Ki"
    assert parse_quantity("1000Ki").cached == ""  # 1000 & 7 == 0: not canonical
