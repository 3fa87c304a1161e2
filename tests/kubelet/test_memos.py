"""The kubelet's shortcuts give exactly what the slow paths give.

Quantity strings are parsed once, admission reuses the requests the pod's
worker already computed, image references keep their derived names, and the
volume check looks keys up without merging ``data`` and ``binaryData``: each
is compared here with the computation it replaces."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from engine.bootstrap.nodes import NodeSpec
from engine.kubelet import admission, images, usage, volumes

QUANTITIES = [
    "100m",
    "0.5",
    "2",
    "128Mi",
    "1Gi",
    "1e3",
    " 250m ",
    "1.5Ki",
    "",
    "bogus",
    "-1",
    "10Gi",
    "3000m",
    "1k",
]


@pytest.mark.parametrize("milli", [True, False])
def test_quantity_memo_matches_a_fresh_parse(milli: bool) -> None:
    for value in [*QUANTITIES, 3, 2.5, None, True, [1]]:
        fresh = usage._quantity(value, milli)
        assert usage.quantity(value, milli) == fresh
        assert usage.quantity(value, milli) == fresh  # the remembered answer


def test_quantity_memo_keeps_cpu_and_bytes_apart() -> None:
    assert usage.quantity("2", True) == 2000.0
    assert usage.quantity("2", False) == 2.0


def test_quantity_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(usage, "_QUANTITIES", {})
    monkeypatch.setattr(usage, "_QUANTITIES_MAX", 3)
    for i in range(10):
        assert usage.quantity(f"{i}Mi", False) == float(i * 1024 * 1024)
    assert len(usage._QUANTITIES) == 3


def _pod(cpu: str, memory: str, **spec: Any) -> dict:
    container = {"name": "c", "resources": {"requests": {"cpu": cpu, "memory": memory}}}
    return {
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {"containers": [container], **spec},
    }


def _kubelet(pods: str = "110") -> Any:
    spec = NodeSpec("kind-worker", 1)
    spec = SimpleNamespace(
        cpu=spec.cpu, memory=spec.memory, pods=pods, ephemeral_storage=spec.ephemeral_storage
    )
    node = {"metadata": {"labels": {"disk": "ssd"}}}
    return SimpleNamespace(spec=spec, current_node=lambda: node)


@pytest.mark.parametrize(
    "pod",
    [
        _pod("100m", "64Mi"),
        _pod("100", "64Mi"),
        _pod("1", "1000Gi"),
        _pod("100m", "64Mi", nodeSelector={"disk": "hdd"}),
        _pod(
            "100m",
            "64Mi",
            overhead={"cpu": "250m"},
            initContainers=[{"name": "i", "resources": {"requests": {"cpu": "3"}}}],
        ),
    ],
)
@pytest.mark.parametrize("running", [0, 3, 110])
def test_admission_with_the_workers_requests_decides_as_without(pod: dict, running: int) -> None:
    kubelet = _kubelet()
    active = [admission.pod_requests(_pod("500m", "1Gi"))] * running
    slow = admission.check(kubelet, pod, active)
    fast = admission.check(kubelet, pod, active, admission.pod_requests(pod))
    assert fast == slow


@pytest.mark.parametrize(
    "image",
    [
        "nginx",
        "nginx:1.27",
        "registry.k8s.io/pause:3.10",
        "localhost:5000/app@sha256:" + "a" * 64,
        "quay.io/x/y",
    ],
)
def test_image_ref_derived_names_are_computed_as_before(image: str) -> None:
    ref = images.parse(image)
    fresh = images.ImageRef(ref.original, ref.domain, ref.path, ref.tag, ref.digest)
    repository = f"{fresh.domain}/{fresh.path}"
    normalized = f"{repository}@{fresh.digest}" if fresh.digest else f"{repository}:{fresh.tag}"
    image_id = f"{repository}@{fresh.digest or 'sha256:' + images._hex(normalized)}"
    for _ in range(2):  # computed, then remembered
        assert (ref.repository, ref.normalized, ref.image_id) == (repository, normalized, image_id)
    assert ref == fresh and hash(ref) == hash(fresh)


def _merged_object_check(lookup: Any, kind: str, ns: str, ref: dict) -> str:
    """The check as it was: keys looked up in ``data`` and ``binaryData`` merged."""
    name = ref.get("name", "")
    obj = lookup(kind, ns, name)
    if obj is None:
        return "" if ref.get("optional") else f'{kind} "{name}" not found'
    data = {**(obj.get("data") or {}), **(obj.get("binaryData") or {})}
    for item in ref.get("items") or ():
        if item.get("key") not in data and not ref.get("optional"):
            return f"{kind} references non-existent config key: {item.get('key')}"
    return ""


@pytest.mark.parametrize(
    "obj",
    [
        None,
        {},
        {"data": {"a": "1"}},
        {"binaryData": {"b": "AA=="}},
        {"data": {"a": "1"}, "binaryData": {"b": "AA=="}},
    ],
)
@pytest.mark.parametrize(
    "ref",
    [
        {"name": "cm"},
        {"name": "cm", "items": []},
        {"name": "cm", "items": [{"key": "a"}]},
        {"name": "cm", "items": [{"key": "b"}, {"key": "a"}]},
        {"name": "cm", "items": [{"key": "zz"}]},
        {"name": "cm", "items": [{"key": "zz"}], "optional": True},
        {"name": "cm", "optional": True},
        {"items": [{}]},
    ],
)
def test_volume_object_check_matches_the_merged_lookup(obj: dict | None, ref: dict) -> None:
    def lookup(kind: str, ns: str, name: str) -> dict | None:
        return obj

    for kind in ("configmap", "secret"):
        assert volumes._object(lookup, kind, "default", ref) == _merged_object_check(
            lookup, kind, "default", ref
        )


def _ready_condition_as_before(worker: Any, old: dict, containers_ready: tuple) -> tuple:
    """``_ready_condition`` as it was: the present conditions always collected."""
    if not containers_ready[0]:
        return containers_ready
    present = {c.get("type"): c for c in old.get("conditions") or ()}
    problems = []
    for gate in worker.pod["spec"].get("readinessGates") or ():
        kind = gate.get("conditionType", "")
        cond = present.get(kind)
        if cond is None:
            problems.append(
                f'corresponding condition of pod readiness gate "{kind}" does not exist.'
            )
        elif cond.get("status") != "True":
            problems.append(
                f'the status of pod readiness gate "{kind}" is not "True", but {cond.get("status")}'
            )
    if problems:
        return False, "ReadinessGatesNotReady", ", ".join(problems)
    return True, "", ""


@pytest.mark.parametrize(
    "gates",
    [None, [], [{"conditionType": "a"}], [{"conditionType": "a"}, {"conditionType": "b"}, {}]],
)
@pytest.mark.parametrize(
    "conditions",
    [
        None,
        [],
        [{"type": "a", "status": "True"}],
        [{"type": "a", "status": "False"}, {"type": "b", "status": "True"}],
    ],
)
@pytest.mark.parametrize("containers_ready", [(True, "", ""), (False, "ContainersNotReady", "x")])
def test_ready_condition_matches_the_eager_version(
    gates: Any, conditions: Any, containers_ready: tuple
) -> None:
    from engine.kubelet import status

    spec: dict = {} if gates is None else {"readinessGates": gates}
    worker = SimpleNamespace(pod={"spec": spec})
    old: dict = {} if conditions is None else {"conditions": conditions}
    assert status._ready_condition(worker, old, containers_ready) == _ready_condition_as_before(
        worker, old, containers_ready
    )


@pytest.mark.parametrize("annotations", [None, {"kubernetes.io/config.mirror": "x"}])
@pytest.mark.parametrize("owned", [False, True])
@pytest.mark.parametrize("node", [None, {"metadata": {"uid": "node-uid"}}])
def test_mirror_owner_is_set_exactly_when_it_was(annotations: Any, owned: bool, node: Any) -> None:
    from engine.kubelet import mirror

    patches: list[tuple] = []
    client = SimpleNamespace(patch=lambda *args, **kw: patches.append((args, kw)))
    kubelet = SimpleNamespace(name="kind-worker", client=client, current_node=lambda: node)
    meta: dict = {"name": "etcd", "namespace": "kube-system", "resourceVersion": "5"}
    if annotations:
        meta["annotations"] = annotations
    if owned:
        meta["ownerReferences"] = [{"uid": "x"}]
    mirror.ensure_owner(kubelet, {"metadata": meta})
    expected = node is not None and annotations is not None and not owned
    assert len(patches) == (1 if expected else 0)
    if expected:
        (resource, name, body, _), kw = patches[0]
        assert (resource, name, kw) == ("pods", "etcd", {"namespace": "kube-system"})
        assert body["metadata"]["ownerReferences"][0]["uid"] == "node-uid"
        assert body["metadata"]["resourceVersion"] == "5"


def test_behaviour_without_knobs_matches_the_knob_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pod with no ``k9py.dev/`` annotation skips the seven knob lookups."""
    import random

    from engine.kubelet import behaviour

    rng = random.Random(3)
    knobs = ["exit-code", "crash-after", "oom-after", "slow-start", "fail-readiness",
             "fail-liveness", "load"]
    values = ["3", "-1", "5s", "1m", "true", "no", "0.5", "bogus", ""]
    cases = []
    for i in range(300):
        notes: dict[str, str] = {}
        for _ in range(rng.randrange(3)):
            key = rng.choice([*knobs, "other.io/x"])
            scope = rng.choice(["", ".app", ".init"])
            prefix = "" if key.startswith("other") else behaviour.PREFIX
            notes[f"{prefix}{key}{scope}"] = rng.choice(values)
        meta: dict[str, Any] = {"name": f"p{i}"}
        if notes or rng.random() < 0.5:
            meta["annotations"] = notes
        spec = {"containers": [{"name": "app", "image": rng.choice(["nginx", "busybox"])}],
                "initContainers": [{"name": "init", "image": "busybox"}]}
        cases.append(({"metadata": meta, "spec": spec}, rng.choice(spec["containers"] +
                                                                 spec["initContainers"])))
    fast = [behaviour.behaviour_for(pod, c, {}) for pod, c in cases]
    monkeypatch.setattr(behaviour, "_apply_annotations", behaviour._apply_knobs)
    plain = [behaviour.behaviour_for(pod, c, {}) for pod, c in cases]
    assert fast == plain
    knobbed = [f for f in fast if f.fail_readiness_after is not None or f.load is not None
               or f.fail_liveness_after is not None or f.ready_after]
    assert len(knobbed) > 10
