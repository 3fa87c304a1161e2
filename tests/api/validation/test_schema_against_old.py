"""``validate_schema(obj, definition, old=stored)`` decides exactly as without ``old``.

An update's object is checked against the stored object it replaces: parts
identical to old's are clean without a walk. Every field of several stored
objects is mutated in every way the decoder tells apart (a value of another
JSON type, an int sent as a float or a bool, null and NaN, an unknown field, a
bad quantity or time, a removed or added field); the errors (message, path,
value) and unknown fields with ``old`` must be those without it."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from engine.api.validation import structural
from tests.api.validation import builders as b

Obj = dict[str, Any]

_POD_STATUS = {
    "phase": "Running", "hostIP": "10.0.0.1", "podIP": "10.244.0.5",
    "podIPs": [{"ip": "10.244.0.5"}], "startTime": "2025-01-01T00:00:01Z",
    "qosClass": "Burstable",
    "conditions": [
        {"type": "Ready", "status": "True", "lastProbeTime": None,
         "lastTransitionTime": "2025-01-01T00:00:03Z"},
        {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
         "lastTransitionTime": "2025-01-01T00:00:00Z"}],
    "containerStatuses": [{"name": "app", "ready": True, "restartCount": 0,
                           "image": "nginx:1.14.2", "imageID": "", "started": True,
                           "state": {"running": {"startedAt": "2025-01-01T00:00:05Z"}}}],
}

_MANAGED = [{"manager": "kubelet", "operation": "Update", "apiVersion": "v1",
             "time": "2025-01-01T00:00:00Z", "fieldsType": "FieldsV1",
             "fieldsV1": {"f:status": {"f:phase": {}, "f:podIP": {}}},
             "subresource": "status"}]


def _stored_pod() -> Obj:
    pod = b.pod()
    pod["metadata"].update({"uid": "af399ca9", "resourceVersion": "4",
                            "creationTimestamp": "2025-01-01T00:00:00Z",
                            "managedFields": copy.deepcopy(_MANAGED),
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                                 "name": "web-1", "uid": "0a1b",
                                                 "controller": True}]})
    pod["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "100m", "memory": 64}}
    pod["spec"]["nodeName"] = "node-1"
    pod["spec"]["tolerations"] = [{"key": "k", "operator": "Exists", "effect": "NoExecute",
                                   "tolerationSeconds": 300}]
    pod["status"] = copy.deepcopy(_POD_STATUS)
    return pod


_STORED = [
    ("io.k8s.api.core.v1.Pod", _stored_pod),
    ("io.k8s.api.apps.v1.Deployment", b.deployment),
    ("io.k8s.api.core.v1.Service", b.service),
    ("io.k8s.api.core.v1.Node", b.node),
    ("io.k8s.api.core.v1.Secret", b.secret),
    ("io.k8s.api.batch.v1.Job", b.job),
]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every position (dict key or list index) below ``value``."""
    if isinstance(value, dict):
        for key, sub in value.items():
            yield (*path, key)
            yield from _paths(sub, (*path, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield (*path, i)
            yield from _paths(sub, (*path, i))


def _replacements(value: Any) -> list[Any]:
    """Values the decoder may judge differently from ``value``."""
    out: list[Any] = [None, float("nan"), "x", "2025-13-01T00:00:00Z", "1Gi", "bad quantity",
                      "!!", {}, {"unknownField": 1}, [], [None], True, False, 0, 1, 1.0, 0.0,
                      -1, 2**31, 2**63, 1.5]
    if isinstance(value, bool):
        out += [int(value), float(value)]
    elif isinstance(value, int):
        out += [float(value), value == 1, value + 1, str(value)]
    elif isinstance(value, str):
        out += [value + "x", value.upper()]
    elif isinstance(value, dict):
        extended = dict(value)
        extended["unknownField"] = "x"
        out += [extended, list(value.values())]
    elif isinstance(value, list):
        out += [[*value, *value[:1]], value[:1] * 2, value[1:]]
    return out


def _mutants(obj: Obj) -> Iterator[Obj]:
    for path in _paths(obj):
        parent_path, last = path[:-1], path[-1]
        parent = obj
        for step in parent_path:
            parent = parent[step]
        for replacement in _replacements(parent[last]):
            new = copy.deepcopy(obj)
            holder = new
            for step in parent_path:
                holder = holder[step]
            holder[last] = copy.deepcopy(replacement)
            yield new
        if isinstance(parent, dict):
            new = copy.deepcopy(obj)
            holder = new
            for step in parent_path:
                holder = holder[step]
            del holder[last]
            holder["unknownSibling"] = {"a": 1}
            yield new


def _result(obj: Obj, definition: str, old: Any) -> tuple[list[tuple[str, str, str]], list[str]]:
    type_errors, unknown = structural.validate_schema(obj, definition, old=old)
    return [(str(e), e.path, repr(e.value)) for e in type_errors], unknown


def _same_either_way(obj: Obj, definition: str, old: Any) -> None:
    before = orjson.dumps(obj)
    want = _result(obj, definition, None)
    got = _result(obj, definition, old)
    assert got == want
    assert orjson.dumps(obj) == before  # checking changes nothing


@pytest.mark.parametrize(("definition", "builder"), _STORED, ids=[d for d, _ in _STORED])
def test_every_mutation_decides_as_without_old(definition: str, builder: Any) -> None:
    old = builder()
    assert structural.validate_schema(old, definition) == ([], [])  # stored: clean
    structural._CLEAN_SUBTREES.clear()
    count = 0
    for new in _mutants(old):
        _same_either_way(new, definition, old)
        count += 1
    assert count > 100


@pytest.mark.parametrize(("definition", "builder"), _STORED, ids=[d for d, _ in _STORED])
def test_mutations_against_a_changed_old_decide_as_without_old(definition: str,
                                                               builder: Any) -> None:
    """``old`` differs elsewhere too (an older revision): still the same results."""
    stored = builder()
    stored["metadata"]["labels"] = {"rev": "1"}
    stored["metadata"]["annotations"] = {"a": "b"}
    for new in _mutants(builder()):
        _same_either_way(new, definition, stored)


def test_old_of_another_shape_is_only_a_hint() -> None:
    new = _stored_pod()
    for old in (None, [], "x", {}, {"spec": []}, {"spec": {"containers": {}}},
                {"metadata": None}, {"status": {"conditions": "x"}}):
        _same_either_way(new, "io.k8s.api.core.v1.Pod", old)


def test_an_unchanged_status_update_is_clean_and_a_changed_one_checked() -> None:
    old = _stored_pod()
    new = copy.deepcopy(old)
    new["status"]["conditions"][0]["status"] = "False"
    new["status"]["containerStatuses"][0]["ready"] = False
    assert structural.validate_schema(new, "io.k8s.api.core.v1.Pod", old=old) == ([], [])
    new["status"]["containerStatuses"][0]["restartCount"] = 1.0
    errors, _ = structural.validate_schema(new, "io.k8s.api.core.v1.Pod", old=old)
    assert [str(e) for e in errors] == [
        "json: cannot unmarshal number 1.0 into Go struct field "
        "ContainerStatus.status.containerStatuses.restartCount of type int32"]


def test_python_equal_numbers_of_another_json_type_are_not_identical() -> None:
    """``1 == 1.0 == True`` in Python; the decoder accepts only the int."""
    old = _stored_pod()
    for value in (30.0, True):
        new = copy.deepcopy(old)
        new["spec"]["terminationGracePeriodSeconds"] = 30 if value is True else value
        new["spec"]["enableServiceLinks"] = 1 if value is True else True
        assert new == old
        _same_either_way(new, "io.k8s.api.core.v1.Pod", old)
        assert structural.validate_schema(new, "io.k8s.api.core.v1.Pod", old=old)[0]


def test_looseness_of_a_recursive_definition_is_worked_out() -> None:
    """JSONSchemaProps holds itself: the walk that finds number fields ends."""
    name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"
    assert structural._loose(structural._definition_node(name))
    meta = structural._definition_node("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
    assert not structural._loose(meta.props["managedFields"])  # strings, times and any JSON
    assert not structural._loose(meta.props["labels"])
    assert structural._loose(meta.props["ownerReferences"])  # controller: a bool


@pytest.mark.parametrize(("definition", "builder"), _STORED, ids=[d for d, _ in _STORED])
def test_nan_free_copies_decide_as_without_old(definition: str, builder: Any) -> None:
    """A request's copy (through JSON: NaN became null) checked with
    ``nan_free``: same bytes as old's are clean without ``==``. Its mutants,
    and copies of olds that hold NaN where the copy holds null, decide as
    without ``old``."""
    stored = builder()
    count = 0
    for mutant in _mutants(stored):
        pairs = [(orjson.loads(orjson.dumps(mutant)), stored)]
        if structural.validate_schema(mutant, definition) == ([], []):  # may have been stored
            pairs.append((orjson.loads(orjson.dumps(mutant)), mutant))
        for new, old in pairs:
            want = _result(new, definition, None)
            type_errors, unknown = structural.validate_schema(new, definition, old=old,
                                                              nan_free=True)
            assert ([(str(e), e.path, repr(e.value)) for e in type_errors], unknown) == want
            count += 1
    assert count > 200


def _walker_finds_nothing(obj: Obj, definition: str) -> bool:
    """The plain walk's verdict: no type error and no unknown field."""
    walker = structural._Walker(collect_unknown=True)
    try:
        walker.walk_struct(obj, structural._definition_node(definition), "", "")
    except structural._Abort:
        return False
    return walker.saved is None and not walker.unknown


@pytest.mark.parametrize(("definition", "builder"), _STORED, ids=[d for d, _ in _STORED])
def test_the_fast_verdicts_are_the_walks(definition: str, builder: Any) -> None:
    """``_clean_struct`` and ``_clean_top`` (with their inline scalar tests)
    answer exactly whether the walker finds nothing, for every mutant."""
    node = structural._definition_node(definition)
    verdicts = set()
    for new in _mutants(builder()):
        structural._CLEAN_SUBTREES.clear()
        want = _walker_finds_nothing(new, definition)
        assert structural._clean_struct(new, node) == want
        assert structural._clean_top(new, node) == want
        verdicts.add(want)
    assert verdicts == {True, False}


def _sharing(new: Obj, old: Obj) -> Obj:
    """``new`` with each top-level part the same JSON as old's replaced by
    old's own object, as an update's copy shares the stored object's
    unchanged parts (``decoding._copy_sharing``)."""
    shared = {}
    for key, value in new.items():
        prev = old.get(key)
        try:
            same = prev is not None and orjson.dumps(value) == orjson.dumps(prev) and (
                value == prev)
        except (TypeError, orjson.JSONEncodeError):
            same = False
        shared[key] = prev if same else value
    return shared


@pytest.mark.parametrize(("definition", "builder"), _STORED, ids=[d for d, _ in _STORED])
def test_parts_shared_with_old_decide_as_without_old(definition: str, builder: Any) -> None:
    """Mutants sharing old's unchanged top-level parts (old's own objects:
    clean at once) and an unknown top-level field set to null decide as
    without ``old``, and the fast verdict is the walk's."""
    old = builder()
    node = structural._definition_node(definition)
    count = shared = 0
    for mutant in [*_mutants(old), {**old, "unknownTop": None}]:
        new = _sharing(mutant, old)
        shared += any(new[k] is old.get(k) for k in new)
        _same_either_way(new, definition, old)
        assert structural._clean_top_against(new, old, node) == _walker_finds_nothing(
            new, definition)
        count += 1
    assert count > 100 and shared > 100
