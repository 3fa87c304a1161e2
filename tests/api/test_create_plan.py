"""Pod creates served by a remembered plan (engine/api/createplan.py) are
those of the plain path: the same stored bytes, the same returned objects,
the same errors in the same order, the same random draws, whatever the pods
and whatever changes to the objects admission reads in between."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.api import createplan, errors, meta
from engine.api.server import APIServer
from engine.clock import VirtualClock
from engine.store import Store

_ABSENT: Any = object()
APPARMOR = "container.apparmor.security.beta.kubernetes.io/"


def _server(plans: bool) -> APIServer:
    clock = VirtualClock()
    clock.new_event_loop()
    api = APIServer(Store(), clock, identity=meta.IdentitySource(seed=11))
    if not plans:
        api._pod_plans.find = lambda *args: None  # type: ignore[method-assign]
    for ns in ("default", "other"):
        api.create("namespaces", {"metadata": {"name": ns}})
    return api


def _container(name: str = "app", **extra: Any) -> dict[str, Any]:
    return {"name": name, "image": "nginx:1.14.2", **extra}


# Pod specs: ordinary ones, and ones whose creates read more than the key or fail.
SPECS: list[dict[str, Any]] = [
    {"containers": [_container(resources={"requests": {"cpu": "100m", "memory": "64Mi"}})]},
    {"containers": [_container()]},
    {"containers": [_container(resources={"limits": {"cpu": "1", "memory": "1Gi"}})]},
    {"containers": [_container(), _container("side")],
     "securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}},
    {"containers": [_container(securityContext={"appArmorProfile": {
        "type": "Localhost", "localhostProfile": "prof"}})]},
    {"containers": [_container()], "schedulingGates": [{"name": "gate"}]},
    {"containers": [_container()], "affinity": {"podAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [{
            "labelSelector": {"matchLabels": {"tier": "x"}}, "topologyKey": "zone",
            "matchLabelKeys": ["app"]}]}}},
    {"containers": [_container()], "volumes": [{"name": "eph", "ephemeral": {
        "volumeClaimTemplate": {"spec": {"accessModes": ["ReadWriteOnce"],
                                         "resources": {"requests": {"storage": "1Gi"}}}}}}]},
    {"containers": [_container()], "serviceAccountName": "robot"},
    {"containers": [_container()], "automountServiceAccountToken": False},
    {"containers": [_container(volumeMounts=[{"name": "kube-api-access-abcde",
                                              "mountPath": "/x"}])],
     "volumes": [{"name": "kube-api-access-abcde", "emptyDir": {}}]},
    {"containers": [_container()], "restartPolicy": "Sometimes"},
    {"containers": [_container(image="nginx ")]},
    {"containers": [_container()], "priorityClassName": "high"},
    {"containers": [_container()], "nodeName": "n1", "schedulingGates": [{"name": "g"}]},
    {"containers": [_container(ports=[{"containerPort": 80}])], "hostNetwork": True},
    {"initContainers": [_container("init")], "containers": [_container()],
     "tolerations": [{"key": "k", "operator": "Exists"}]},
    {"containers": [_container()], "ephemeralContainers": [
        {"name": "dbg", "image": "busybox"}]},
    {"containers": [_container()], "nodeSelector": None},
    {"containers": [_container(resources={"requests": {"cpu": "300m"}})]},
]
VALID_SPECS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 13, 15, 16, 19]
ANNOTATIONS: list[Any] = [
    _ABSENT, {}, {"note": "x"}, {APPARMOR + "app": "runtime/default"},
    {APPARMOR + "app": "localhost/prof"}, {"seccomp.security.alpha.kubernetes.io/pod": "bogus"},
    {"controller.kubernetes.io/pod-deletion-cost": "abc"}, {"kubernetes.io/config.mirror": "x"},
    {"Bad Key": "x"},
]
LABELS: list[Any] = [_ABSENT, {}, {"app": "web"}, {"app": "db", "tier": "x"}, {"bad key!": "x"},
                     {"app": "x" * 70}]
NAMES = ["", "ok", "Bad_Name", "x" * 260, "y" * 250]
GENERATE = [_ABSENT, "web-", "Bad_"]
FINALIZERS: list[Any] = [_ABSENT, ["example.com/f"], ["bad"]]
STATUSES: list[Any] = [_ABSENT, {"qosClass": "Guaranteed"}, {"phase": "Running"}]

# Changes to what admission reads, between creates.
CHANGES: list[tuple[str, dict[str, Any]]] = [
    ("limitranges", {"metadata": {"name": "lr"}, "spec": {"limits": [{
        "type": "Container", "default": {"cpu": "300m"}, "defaultRequest": {"cpu": "200m"}}]}}),
    ("limitranges", {"metadata": {"name": "max"}, "spec": {"limits": [{
        "type": "Container", "max": {"cpu": "250m"}}]}}),
    ("serviceaccounts", {"metadata": {"name": "default"}, "automountServiceAccountToken": False}),
    ("serviceaccounts", {"metadata": {"name": "robot"}}),
    ("priorityclasses", {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                         "metadata": {"name": "high"}, "value": 1000}),
    ("priorityclasses", {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                         "metadata": {"name": "everyone"}, "value": 7, "globalDefault": True}),
    ("resourcequotas", {"metadata": {"name": "q"}, "spec": {"hard": {"pods": "12"}}}),
]



def _mostly(common: list[Any], rare: int) -> st.SearchStrategy[Any]:
    """Indexes: the ``common`` ones (a template repeats, so plans are hit)
    four times as likely as any of ``range(rare)``."""
    return st.sampled_from(common * 4 + list(range(rare)))


_pods = st.fixed_dictionaries({
    "spec": _mostly([0, 3], len(SPECS)),
    "annotations": _mostly([0, 3], len(ANNOTATIONS)),
    "labels": _mostly([2, 3], len(LABELS)),
    "name": _mostly([1, 1], len(NAMES)),
    "generate": _mostly([0, 1], len(GENERATE)),
    "finalizers": _mostly([0, 0], len(FINALIZERS)),
    "status": _mostly([0, 0], len(STATUSES)),
    "namespace": st.sampled_from(["default"] * 12 + ["other", "missing"]),
    "resource_version": st.sampled_from([False] * 12 + [True]),
    "dry_run": st.sampled_from([False] * 8 + [True]),
    "field_manager": st.sampled_from([None] * 3 + ["kubectl"]),
})


@st.composite
def _steps(draw: st.DrawFn) -> list[Any]:
    """Creates from a few templates (so plans are made and hit), each pod's
    metadata and request drawn afresh, and now and then a change to what
    admission reads."""
    templates = draw(st.lists(st.tuples(_mostly(VALID_SPECS, len(SPECS)),
                                        _mostly([0, 1, 2, 3, 4], len(ANNOTATIONS))),
                              min_size=1, max_size=4))
    steps = []
    for _ in range(draw(st.integers(10, 60))):
        if draw(st.integers(0, 11)) == 0:
            steps.append((draw(st.sampled_from(["change", "delete"])),
                          draw(st.integers(0, len(CHANGES) - 1))))
            continue
        pod = draw(_pods)
        pod["spec"], pod["annotations"] = draw(st.sampled_from(templates))
        steps.append(("create", pod))
    return steps


def _set(obj: dict[str, Any], key: str, value: Any) -> None:
    if value is not _ABSENT:
        obj[key] = copy.deepcopy(value)


def _pod(params: dict[str, Any], n: int) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    name = NAMES[params["name"]]
    metadata["name"] = f"{name}-{n}" if name == "ok" else name
    _set(metadata, "generateName", GENERATE[params["generate"]])
    _set(metadata, "labels", LABELS[params["labels"]])
    _set(metadata, "annotations", ANNOTATIONS[params["annotations"]])
    _set(metadata, "finalizers", FINALIZERS[params["finalizers"]])
    if params["resource_version"]:
        metadata["resourceVersion"] = "5"
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
           "spec": copy.deepcopy(SPECS[params["spec"]])}
    _set(pod, "status", STATUSES[params["status"]])
    return pod


def _outcome(api: APIServer, method: str, *args: Any, **kw: Any) -> Any:
    try:
        return orjson.dumps(getattr(api, method)(*args, **kw))
    except errors.StatusError as err:
        return repr(err.status)


def _stored(api: APIServer) -> list[tuple[str, bytes, int]]:
    kvs, _, _ = api.store.range("/")
    return [(kv.key, kv.value, kv.mod_revision) for kv in kvs]


def _run(steps: list[Any], pair: tuple[APIServer, APIServer]) -> None:
    for n, (kind, arg) in enumerate(steps):
        if kind == "create":
            pod, ns = _pod(arg, n), arg["namespace"]
            results = [_outcome(api, "create", "pods", copy.deepcopy(pod), namespace=ns,
                                dry_run=arg["dry_run"], field_manager=arg["field_manager"])
                       for api in pair]
        else:
            resource, obj = CHANGES[arg]
            if kind == "change":
                results = [_outcome(api, "create", resource, copy.deepcopy(obj),
                                    namespace="default") for api in pair]
            else:
                results = [_outcome(api, "delete", resource, obj["metadata"]["name"],
                                    namespace="default") for api in pair]
        assert results[0] == results[1], (n, kind, arg)
    assert _stored(pair[0]) == _stored(pair[1])
    plain, planned = pair
    assert plain.identity.uid() == planned.identity.uid()  # the same draws so far


@pytest.fixture
def pair() -> Iterator[tuple[APIServer, APIServer]]:
    servers = (_server(False), _server(True))
    yield servers
    for api in servers:
        api.close()
        api.clock.loop.close()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=_steps(), compile_after=st.sampled_from([1, createplan.COMPILE_AFTER]))
def test_planned_creates_match_the_plain_path(steps: list[Any], compile_after: int) -> None:
    """Randomized: plans built by decoding and by their compiled literal."""
    plain, planned = _server(False), _server(True)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(createplan, "COMPILE_AFTER", compile_after)
            _run(steps, (plain, planned))
    finally:
        for api in (plain, planned):
            api.close()
            api.clock.loop.close()


def test_a_compiled_plan_builds_what_decoding_builds(
        pair: tuple[APIServer, APIServer]) -> None:
    steps = [("create", {**step, "name": 1 + (i % 3 == 0) * 3, "generate": i % 2})
             for i, (_, step) in enumerate(_many(3, 0) * (createplan.COMPILE_AFTER // 4 + 4))]
    _run(steps, pair)
    (plan,) = pair[1]._pod_plans._table._data.values()
    assert plan.build.compiled is not None


def _many(spec: int, annotations: int = 0, **params: Any) -> list[Any]:
    base = {"spec": spec, "annotations": annotations, "labels": 2, "name": 1, "generate": 0,
            "finalizers": 0, "status": 0, "namespace": "default", "resource_version": False,
            "dry_run": False, "field_manager": None}
    return [("create", {**base, **params}) for _ in range(4)]  # seen, planned, two hits


def test_templates_are_planned_once_and_hit_after(
        pair: tuple[APIServer, APIServer]) -> None:
    planned = pair[1]
    # Among them: annotations PrepareForCreate adds (AppArmor) after the
    # system fields, and ones LimitRanger adds before them.
    _run(_many(0) + _many(3, 2) + _many(5) + _many(0, 3, generate=1, name=0) + _many(4), pair)
    _run([("change", 0), *_many(4)], pair)
    assert len(planned._pod_plans) == 6
    assert planned._pod_plans.hits == 12
    # Creates whose remembered steps would read more than the key: never planned.
    for spec in (6, 7, 10):
        _run(_many(spec), pair)
    _run(_many(1, status=1), pair)
    assert len(planned._pod_plans) == 6


@pytest.mark.parametrize(("spec", "params"), [(6, {"labels": 3}), (7, {"name": 4})])
def test_creates_that_read_more_than_the_key(pair: tuple[APIServer, APIServer], spec: int,
                                             params: dict[str, Any]) -> None:
    """Affinity terms with matchLabelKeys read the labels; ephemeral volumes'
    claim names are checked with the pod's name: these pods differ."""
    first = _many(spec)[0]
    _run([first, ("create", {**first[1], **params}), first], pair)
    assert len(pair[1]._pod_plans) == 0


@pytest.mark.parametrize("change", range(len(CHANGES)))
def test_changes_to_what_admission_reads_miss(change: int) -> None:
    pair = (_server(False), _server(True))
    planned = pair[1]._pod_plans
    _run(_many(0)[:3], pair)  # seen, remembered, then a hit
    assert planned.hits == 1
    _run([("change", change), *_many(0)[:1]], pair)
    # A quota is not read by the remembered steps: it is charged on every create.
    assert planned.hits == (2 if CHANGES[change][0] == "resourcequotas" else 1)
    for api in pair:
        api.close()
        api.clock.loop.close()


def test_errors_on_hits_are_the_metadata_ones(pair: tuple[APIServer, APIServer]) -> None:
    _run(_many(0), pair)
    hits = pair[1]._pod_plans.hits
    bad = [("create", {**step, "labels": 4, "finalizers": 2, "name": 2})
           for _, step in _many(0)]
    _run(bad, pair)
    assert pair[1]._pod_plans.hits == hits + len(bad)
    with pytest.raises(errors.StatusError, match="metadata.labels"):
        pair[1].create("pods", _pod(bad[0][1], 0), namespace="default")


def test_hits_share_no_subtree(api: APIServer) -> None:
    created = []
    for i in range(4):
        pod = _pod(_many(3, 2)[0][1], i)
        created.append(api.create("pods", pod, namespace="default"))
    assert api._pod_plans.hits == 2
    _, first, second, third = created
    for x, y in ((first, second), (second, third)):
        assert x["spec"] is not y["spec"] and x["status"] is not y["status"]
        assert x["metadata"]["annotations"] is not y["metadata"]["annotations"]
        for cx, cy in zip(x["spec"]["containers"], y["spec"]["containers"], strict=True):
            assert cx is not cy and cx["volumeMounts"] is not cy["volumeMounts"]
    assert first["spec"]["volumes"][0]["name"] != second["spec"]["volumes"][0]["name"]


def test_a_key_blind_to_listers_is_caught(pair: tuple[APIServer, APIServer],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison has teeth: a key without the lister generations serves a
    stale plan after a LimitRange is added, and the results differ."""
    real = createplan._key

    def blind(api: APIServer, namespace: str, obj: dict[str, Any]) -> Any:
        key = real(api, namespace, obj)
        return None if key is None else (key[0], *key[2:])

    monkeypatch.setattr(createplan, "_key", blind)
    with pytest.raises(AssertionError):
        _run([*_many(0), ("change", 0), *_many(0)], pair)
