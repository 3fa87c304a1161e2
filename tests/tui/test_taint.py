"""The taint dialog names the pods a NoExecute taint evicts, and keeps listing
them while they terminate (the eviction controller deletes them before the
taint's write returns, so the dialog works the set out beforehand)."""

from __future__ import annotations

from textual.pilot import Pilot

from engine.cluster import Cluster
from k9py.app import K9pyApp
from k9py.dialogs.nodes import TaintDialog
from k9py.ops import nodes as ops
from tests.tui.conftest import drive
from tests.tui.helpers import deployment, flash, screen_text, wait_for

NODE = "k9py-worker"
TAINT = "dedicated=gpu:NoExecute"


def pinned(name: str, tolerations: list[dict]) -> dict:
    """A bare pod bound to NODE with the given tolerations."""
    return {"metadata": {"name": name}, "spec": {
        "nodeName": NODE, "tolerations": tolerations,
        "terminationGracePeriodSeconds": 30,
        "containers": [{"name": "c", "image": "nginx"}]}}


def refs(pods: list[dict]) -> list[str]:
    return sorted(f"{p['metadata']['namespace']}/{p['metadata']['name']}" for p in pods)


def staying_on_node(cluster: Cluster) -> list[str]:
    """The pods on NODE not being deleted."""
    return refs([p for p in ops.pods_on(cluster.client, NODE)
                 if not p["metadata"].get("deletionTimestamp")])


def setup(cluster: Cluster) -> list[str]:
    """Four web replicas over both workers, a pod tolerating the taint for an hour
    and one tolerating it forever; returns the pods on NODE."""
    c = cluster.client
    c.create("deployments", deployment("web", replicas=4), namespace="default")
    for name, tol in (("patient", {"key": "dedicated", "operator": "Exists",
                                   "effect": "NoExecute", "tolerationSeconds": 3600}),
                      ("tolerant", {"key": "dedicated", "operator": "Equal", "value": "gpu"})):
        c.create("pods", pinned(name, [tol]), namespace="default")
    cluster.advance(10)
    before = staying_on_node(cluster)
    assert any(r.startswith("default/web-") for r in before)
    assert before == refs(ops.pods_on(c, NODE))
    return before


def test_eviction_plan_is_computed_before_the_write() -> None:
    """tolerationSeconds delays an eviction, an untolerated taint evicts at once,
    a pod already leaving because of an older taint is not counted twice."""
    def pod(name: str, *tols: dict) -> dict:
        return {"metadata": {"name": name, "namespace": "ns", "uid": name},
                "spec": {"tolerations": list(tols)}, "status": {"phase": "Running"}}

    taint = ops.parse_taint(TAINT)
    later = {"key": "dedicated", "operator": "Exists", "tolerationSeconds": 60}
    forever = {"operator": "Exists"}
    gone = {**pod("gone"), "metadata": {"name": "gone", "namespace": "ns", "uid": "g",
                                        "deletionTimestamp": "2025-01-01T00:00:00Z"}}
    plan = ops.taint_evictions([pod("now"), pod("later", later), pod("stays", forever), gone],
                               [], taint)
    assert plan == [ops.Eviction("ns/now", "now", 0.0), ops.Eviction("ns/later", "later", 60.0)]
    old = [{"key": "other", "effect": "NoExecute"}]
    assert ops.taint_evictions([pod("now")], old, taint) == []
    assert ops.taint_evictions([pod("now")], [], ops.parse_taint("a=b:NoSchedule")) == []
    assert ops.eviction_summary(taint, NODE, plan) == (
        "it evicts 1 pod(s) at once: ns/now; 1 pod(s) after their tolerationSeconds: ns/later")


def test_noexecute_taint_names_the_pods_it_evicts(cluster: Cluster) -> None:
    before = setup(cluster)

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TaintDialog))
        await pilot.press(*list(TAINT), "enter")
        await wait_for(pilot, lambda: f"added taint {TAINT}" in screen_text(app))
        # the cluster evicted them at once: gone or Terminating (the kubelet finishes)
        victims = sorted(set(before) - set(staying_on_node(cluster)))
        assert any(v.startswith("default/web-") for v in victims)
        assert not {"default/patient", "default/tolerant"} & set(victims)
        result = str(app.screen.query_one("#result").render())
        assert f"it evicts {len(victims)} pod(s) at once" in result, result
        assert "1 pod(s) after their tolerationSeconds: default/patient" in result, result
        assert "no running pod is evicted" not in screen_text(app)
        terminating = set(victims) & set(refs(ops.pods_on(cluster.client, NODE)))
        assert terminating, "no victim left Terminating to show"
        await wait_for(pilot, lambda: all(f"{v}  Terminating" in screen_text(app)
                                          for v in terminating), what="Terminating victims")
        text = screen_text(app)
        assert f"evicted by {TAINT}:" in text
        assert "default/patient  Running (evicted 3600s after the taint" in text
        assert "default/tolerant" not in text
        cluster.advance(40)  # the kubelet finishes the deletions
        await wait_for(pilot, lambda: all(f"{v}  evicted (deleted)" in screen_text(app)
                                          for v in victims), what="deleted victims")
        assert not set(victims) & set(refs(ops.pods_on(cluster.client, NODE)))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TaintDialog))
        assert f"added taint {TAINT}" in flash(app)
        assert app.internal_errors == []

    drive(cluster, steps, command="nodes", select=NODE)


def test_taint_every_pod_tolerates_evicts_none(cluster: Cluster) -> None:
    """A first taint clears the node of the pods without tolerations; a second
    one every remaining pod tolerates evicts nothing."""
    cluster.client.create("pods", pinned("tolerant", [{"operator": "Exists"}]),
                          namespace="default")
    cluster.advance(5)
    ops.add_taint(cluster.client, NODE, ops.parse_taint("first=x:NoExecute"))
    cluster.advance(5)
    left = staying_on_node(cluster)
    assert "default/tolerant" in left

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TaintDialog))
        await pilot.press(*list(TAINT), "enter")
        await wait_for(pilot, lambda: f"added taint {TAINT}" in screen_text(app))
        result = str(app.screen.query_one("#result").render())
        assert f"no pod on {NODE} is evicted by it" in result, result
        await wait_for(pilot, lambda: f"no pod on {NODE} is evicted by {TAINT}" in
                       screen_text(app))
        assert staying_on_node(cluster) == left
        assert app.internal_errors == []

    drive(cluster, steps, command="nodes", select=NODE)
