"""kubectl apply's semantics: the seed's deployment / update / scale, three-way
merges that keep a scale and drop removed fields, server-side apply, dry runs,
namespaces, kinds of input, and the all-or-nothing undo."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from engine.api import patch as patches
from engine.apply import (
    CONFIGURED,
    CREATED,
    ERROR,
    ROLLED_BACK,
    UNCHANGED,
    ApplyOptions,
    ApplySession,
)
from engine.apply.objects import LAST_APPLIED
from engine.cluster import Cluster

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
NGINX = SAMPLES / "nginx"


def apply(cluster: Cluster, *paths: str | Path, **options) -> list:
    return ApplySession(cluster.client, [str(p) for p in paths],
                        ApplyOptions(**options)).apply_all()


def actions(results: list) -> list[tuple[str, str]]:
    return [(r.ref, r.action) for r in results]


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def deployment(cluster: Cluster, name: str = "nginx-deployment", ns: str = "default") -> dict:
    return cluster.client.get("deployments", name, ns)


def replica_sets(cluster: Cluster, ns: str = "default") -> dict[str, int]:
    items = cluster.client.list("replicasets", ns)["items"]
    return {rs["metadata"]["name"]: rs["spec"]["replicas"] for rs in items}


# -- the seed walkthrough ------------------------------------------------------------------
LAST_APPLIED_1 = (
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},'
    '"name":"nginx-deployment","namespace":"default"},"spec":{"replicas":2,"selector":'
    '{"matchLabels":{"app":"nginx"}},"template":{"metadata":{"labels":{"app":"nginx"}},'
    '"spec":{"containers":[{"image":"nginx:1.14.2","name":"nginx","ports":'
    '[{"containerPort":80}]}]}}}}\n')


def test_seed_deployment_update_scale(vcluster: Cluster) -> None:
    r = apply(vcluster, NGINX / "deployment.yaml")
    assert [x.message for x in r] == ["deployment.apps/nginx-deployment created"]
    vcluster.advance(5)
    live = deployment(vcluster)
    assert live["metadata"]["annotations"][LAST_APPLIED] == LAST_APPLIED_1
    assert live["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert replica_sets(vcluster) == {"nginx-deployment-647677fc66": 2}

    r = apply(vcluster, NGINX / "steps" / "deployment-update.yaml")
    assert [x.message for x in r] == ["deployment.apps/nginx-deployment configured"]
    vcluster.advance(5)
    live = deployment(vcluster)
    assert live["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.16.1"
    assert live["metadata"]["annotations"][LAST_APPLIED] == LAST_APPLIED_1.replace(
        "1.14.2", "1.16.1")
    assert live["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert "nginx-deployment-8d94c585f" in replica_sets(vcluster)

    r = apply(vcluster, NGINX / "steps" / "deployment-scale.yaml")
    assert [x.message for x in r] == ["deployment.apps/nginx-deployment configured"]
    vcluster.advance(5)
    live = deployment(vcluster)
    assert live["spec"]["replicas"] == 4
    assert live["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.14.2"
    assert live["metadata"]["annotations"][LAST_APPLIED] == LAST_APPLIED_1.replace(
        '"replicas":2', '"replicas":4')
    # Back to the first template: its ReplicaSet is reused (revision 3, as in the seed).
    assert live["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    assert set(replica_sets(vcluster)) == {"nginx-deployment-647677fc66",
                                           "nginx-deployment-8d94c585f"}
    # Defaults the server filled in are kept, not fought over.
    assert live["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": "25%",
                                                         "maxUnavailable": "25%"}
    r = apply(vcluster, NGINX / "steps" / "deployment-scale.yaml")
    assert [x.message for x in r] == ["deployment.apps/nginx-deployment unchanged"]


# -- three-way merge -------------------------------------------------------------------------
NO_REPLICAS = (NGINX / "deployment.yaml").read_text().replace(
    "  replicas: 2 # tells deployment to run 2 pods matching the template\n", "")


def tui_scale(cluster: Cluster, replicas: int) -> None:
    """What the TUI's scale does: a patch of spec.replicas through the client."""
    cluster.client.patch("deployments", "nginx-deployment", {"spec": {"replicas": replicas}},
                         patches.STRATEGIC_MERGE_PATCH, namespace="default",
                         field_manager="k9py-tui")


def test_scale_survives_a_file_that_never_set_replicas(vcluster: Cluster,
                                                       tmp_path: Path) -> None:
    f = write(tmp_path / "d.yaml", NO_REPLICAS)
    apply(vcluster, f)
    assert deployment(vcluster)["spec"]["replicas"] == 1  # the default
    tui_scale(vcluster, 5)
    assert actions(apply(vcluster, f)) == [("deployment.apps/nginx-deployment", UNCHANGED)]
    assert deployment(vcluster)["spec"]["replicas"] == 5
    write(f, NO_REPLICAS.replace("nginx:1.14.2", "nginx:1.16.1"))
    assert actions(apply(vcluster, f)) == [("deployment.apps/nginx-deployment", CONFIGURED)]
    live = deployment(vcluster)
    assert live["spec"]["replicas"] == 5
    assert live["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.16.1"


def test_scale_is_reset_by_a_file_that_sets_replicas(vcluster: Cluster) -> None:
    apply(vcluster, NGINX / "deployment.yaml")
    tui_scale(vcluster, 5)
    assert actions(apply(vcluster, NGINX / "deployment.yaml")) == [
        ("deployment.apps/nginx-deployment", CONFIGURED)]
    assert deployment(vcluster)["spec"]["replicas"] == 2


def test_field_dropped_from_the_file_is_removed(vcluster: Cluster, tmp_path: Path) -> None:
    full = (NGINX / "deployment.yaml").read_text().replace(
        "  name: nginx-deployment\n",
        "  name: nginx-deployment\n  labels:\n    team: web\n    tier: front\n").replace(
        "        - containerPort: 80\n",
        "        - containerPort: 80\n        env:\n        - name: A\n          value: a\n"
        "        - name: B\n          value: b\n")
    f = write(tmp_path / "d.yaml", full)
    apply(vcluster, f)
    # Someone else adds a label; the file never had it, so it stays.
    vcluster.client.patch("deployments", "nginx-deployment",
                          {"metadata": {"labels": {"owner": "ops"}}},
                          patches.STRATEGIC_MERGE_PATCH, namespace="default")
    write(f, full.replace("    tier: front\n", "").replace(
        "        - name: B\n          value: b\n", "").replace(
        "  replicas: 2 # tells deployment to run 2 pods matching the template\n", ""))
    assert actions(apply(vcluster, f)) == [("deployment.apps/nginx-deployment", CONFIGURED)]
    live = deployment(vcluster)
    assert live["metadata"]["labels"] == {"team": "web", "owner": "ops"}
    assert live["spec"]["template"]["spec"]["containers"][0]["env"] == [
        {"name": "A", "value": "a"}]
    assert live["spec"]["replicas"] == 1  # dropped: back to the default


def test_missing_annotation_is_warned_and_added(vcluster: Cluster) -> None:
    obj = json.loads(json.dumps(__import__("yaml").safe_load(
        (NGINX / "deployment.yaml").read_text())))
    vcluster.client.create("deployments", obj, namespace="default")
    [result] = apply(vcluster, NGINX / "deployment.yaml")
    assert result.action == CONFIGURED
    assert result.warnings == (
        "Warning: resource deployments/nginx-deployment is missing the "
        "kubectl.kubernetes.io/last-applied-configuration annotation which is required by "
        "kubectl apply. kubectl apply should only be used on resources created declaratively "
        "by either kubectl create --save-config or kubectl apply. The missing annotation will "
        "be patched automatically.",)
    assert LAST_APPLIED in deployment(vcluster)["metadata"]["annotations"]


# -- options ------------------------------------------------------------------------------------
def test_server_dry_run_writes_nothing(vcluster: Cluster) -> None:
    revision = vcluster.store.revision
    r = apply(vcluster, SAMPLES / "services", dry_run=True)
    assert {x.message.split(" ")[1] for x in r} == {"created"}
    assert all(x.message.endswith(" (server dry run)") for x in r)
    assert vcluster.store.revision == revision


def test_server_side_apply_conflicts_and_force(vcluster: Cluster) -> None:
    r = apply(vcluster, NGINX / "deployment.yaml", server_side=True)
    assert [(x.action, x.message) for x in r] == [
        (CREATED, "deployment.apps/nginx-deployment serverside-applied")]
    live = deployment(vcluster)
    assert {m["manager"]: m["operation"] for m in live["metadata"]["managedFields"]}["k9py"] \
        == "Apply"
    assert LAST_APPLIED not in live["metadata"].get("annotations", {})
    r = apply(vcluster, NGINX / "deployment.yaml", server_side=True)
    assert r[0].action == UNCHANGED
    vcluster.client.patch("deployments", "nginx-deployment", {"spec": {"replicas": 3}},
                          patches.MERGE_PATCH, namespace="default", field_manager="k9py-tui")
    r = apply(vcluster, NGINX / "deployment.yaml", server_side=True)
    assert r[0].action == ERROR
    assert r[0].message.startswith(
        'Apply failed with 1 conflict: conflict with "k9py-tui" using apps/v1: .spec.replicas\n'
        "Please review the fields above--they currently have other managers.")
    r = apply(vcluster, NGINX / "deployment.yaml", server_side=True, force_conflicts=True)
    assert r[0].action == CONFIGURED
    assert deployment(vcluster)["spec"]["replicas"] == 2


def test_namespace_flag_and_document_namespace(vcluster: Cluster, tmp_path: Path) -> None:
    vcluster.client.create("namespaces", {"metadata": {"name": "team"}})
    f = write(tmp_path / "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    r = apply(vcluster, f, namespace="team")
    assert (r[0].ref, r[0].namespace) == ("configmap/c", "team")
    vcluster.client.get("configmaps", "c", "team")
    annotation = vcluster.client.get("configmaps", "c", "team")["metadata"]["annotations"]
    assert '"namespace":"team"' in annotation[LAST_APPLIED]


def test_json_list_and_stdin(vcluster: Cluster, tmp_path: Path) -> None:
    items = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"l{i}"}}
             for i in range(3)]
    f = write(tmp_path / "list.json", json.dumps({"apiVersion": "v1", "kind": "List",
                                                  "items": items}))
    assert [x.message for x in apply(vcluster, f)] == [
        "configmap/l0 created", "configmap/l1 created", "configmap/l2 created"]
    stdin = io.BytesIO(b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\n")
    r = ApplySession(vcluster.client, ["-"], stdin=stdin).apply_all()
    assert [(x.file, x.message) for x in r] == [("STDIN", "configmap/from-stdin created")]


def test_prerequisites_first(vcluster: Cluster) -> None:
    r = apply(vcluster, SAMPLES / "namespaces")
    assert [x.ref for x in r] == ["namespace/shop", "resourcequota/compute",
                                  "limitrange/defaults", "deployment.apps/api"]


# -- all or nothing ------------------------------------------------------------------------------
def test_failed_write_undoes_the_file(vcluster: Cluster, tmp_path: Path) -> None:
    """A Deployment in a namespace the file creates cannot be dry-run; when its real
    write fails, what the file created is deleted and what it changed restored."""
    write(tmp_path / "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n"
                                "data:\n  a: '1'\n")
    apply(vcluster, tmp_path / "cm.yaml")
    vcluster.client.patch("configmaps", "keep", {"metadata": {"labels": {"x": "y"}}},
                          patches.MERGE_PATCH, namespace="default")
    bad = write(tmp_path / "bad.yaml", """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: keep
data:
  a: '2'
---
apiVersion: v1
kind: Namespace
metadata:
  name: fresh
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: new-one
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: broken
  namespace: fresh
spec:
  replicas: -1
  selector:
    matchLabels: {app: b}
  template:
    metadata:
      labels: {app: b}
    spec:
      containers: [{name: c, image: nginx}]
""")
    r = apply(vcluster, bad)
    assert [(x.ref, x.action) for x in r] == [
        ("namespace/fresh", CREATED),
        ("configmap/keep", CONFIGURED),
        ("configmap/new-one", CREATED),
        ("deployment.apps/broken", ERROR),
        ("namespace/fresh", ROLLED_BACK),
        ("configmap/keep", ROLLED_BACK),
        ("configmap/new-one", ROLLED_BACK),
    ]
    assert r[3].message.startswith(
        f'Error from server (Invalid): error when creating "{bad}": Deployment.apps "broken" is '
        "invalid: spec.replicas: Invalid value: -1")
    keep = vcluster.client.get("configmaps", "keep", "default")
    assert keep["data"] == {"a": "1"}
    assert keep["metadata"]["labels"] == {"x": "y"}  # another writer's change survives
    assert '"a":"1"' in keep["metadata"]["annotations"][LAST_APPLIED]
    names = {c["metadata"]["name"] for c in vcluster.client.list("configmaps", "default")["items"]}
    assert "new-one" not in names
    ns = vcluster.client.get("namespaces", "fresh")
    assert ns["metadata"].get("deletionTimestamp") or ns["status"]["phase"] == "Terminating"


def test_continue_on_error_applies_the_good_documents(vcluster: Cluster,
                                                      tmp_path: Path) -> None:
    f = write(tmp_path / "f.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n"
                                   "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                   "  name: Not_OK\n")
    assert [x.action for x in apply(vcluster, f)] == ["skipped", ERROR]
    assert [x.action for x in apply(vcluster, f, continue_on_error=True)] == [CREATED, ERROR]


@pytest.mark.parametrize("dry_run", [False, True])
def test_other_files_still_apply(vcluster: Cluster, tmp_path: Path, dry_run: bool) -> None:
    write(tmp_path / "a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")
    write(tmp_path / "b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: b\n")
    write(tmp_path / "c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    r = apply(vcluster, tmp_path, dry_run=dry_run)
    assert [(Path(x.file).name, x.action) for x in r] == [
        ("b.yaml", ERROR), ("a.yaml", CREATED), ("c.yaml", CREATED)]
