"""Update validation's shortcuts decide exactly as the plain code.

``validate_pod_update`` works out the spec's bytes once (for the spec memo,
the tolerations and the "may not change" comparison), ObjectMeta update
validation skips ``semantic_equal`` for equal plain strings and absent
values, and managed fields are checked without building paths when all is
well. Every pair of (new, old) below is validated with the shortcuts and with
them off; the errors must be the same, in the same order."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from engine.api.memo import LRU
from engine.api.validation import core, kinds, objectmeta, podspec
from tests.api.validation import builders as b

Obj = dict[str, Any]


class _Str(str):
    """A str subclass: ``semantic_equal`` tells it from a plain string."""


def _stored() -> Obj:
    pod = b.pod()
    pod["metadata"].update({
        "uid": "af399ca9", "resourceVersion": "4", "creationTimestamp": "2025-01-01T00:00:00Z",
        "generation": 3,
        "managedFields": [{"manager": "kubectl", "operation": "Update", "apiVersion": "v1",
                           "time": "2025-01-01T00:00:00Z", "fieldsType": "FieldsV1",
                           "fieldsV1": {"f:metadata": {}}}]})
    pod["spec"]["tolerations"] = [{"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                                   "effect": "NoExecute", "tolerationSeconds": 300}]
    pod["spec"]["nodeName"] = "node-1"
    pod["status"] = {"phase": "Running", "qosClass": "BestEffort",
                     "podIPs": [{"ip": "10.244.0.5"}], "hostIP": "10.0.0.1",
                     "hostIPs": [{"ip": "10.0.0.1"}],
                     "conditions": [{"type": "Ready", "status": "True"}]}
    return pod


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Obj], None]:
    def change(obj: Obj) -> None:
        holder = obj
        for step in path[:-1]:
            holder = holder[step]
        if value is _DELETE:
            holder.pop(path[-1], None)
        else:
            holder[path[-1]] = copy.deepcopy(value)
    return change


_DELETE = object()
_META = ("metadata",)
_SPEC = ("spec",)
_CHANGES: list[Callable[[Obj], None]] = [
    _set((*_META, "name"), "other"), _set((*_META, "name"), _Str("web")),
    _set((*_META, "namespace"), _Str("default")), _set((*_META, "uid"), "x"),
    _set((*_META, "uid"), _DELETE), _set((*_META, "namespace"), None),
    _set((*_META, "creationTimestamp"), "2025-01-01T00:00:01Z"),
    _set((*_META, "creationTimestamp"), None), _set((*_META, "creationTimestamp"), ""),
    _set((*_META, "creationTimestamp"), _Str("2025-01-01T00:00:00Z")),
    _set((*_META, "creationTimestamp"), float("nan")),
    _set((*_META, "deletionTimestamp"), "2025-01-01T00:00:09Z"),
    _set((*_META, "deletionTimestamp"), ""), _set((*_META, "deletionTimestamp"), {}),
    _set((*_META, "deletionGracePeriodSeconds"), 30),
    _set((*_META, "deletionGracePeriodSeconds"), float("nan")),
    _set((*_META, "generation"), 1), _set((*_META, "generation"), True),
    _set((*_META, "generation"), _DELETE), _set((*_META, "generation"), -1),
    _set((*_META, "labels"), {"bad key!": "v"}),
    _set((*_META, "managedFields"), [{"operation": "Patch", "fieldsType": "FieldsV2"}]),
    _set((*_META, "managedFields"), ["x", {"operation": "Apply", "fieldsType": "FieldsV1",
                                           "subresource": "s" * 257}]),
    _set((*_META, "managedFields"), [{"operation": _Str("Apply"), "fieldsType": "FieldsV1",
                                      "subresource": 5}]),
    _set((*_META, "managedFields"), {"not": "a list"}),
    _set((*_SPEC, "containers", 0, "image"), "busybox"),
    _set((*_SPEC, "containers", 0, "image"), " busybox"),
    _set((*_SPEC, "containers", 0, "image"), ""),
    _set((*_SPEC, "containers", 0, "name"), "Bad_Name"),
    _set((*_SPEC, "tolerations"), []),
    _set((*_SPEC, "tolerations", 0, "tolerationSeconds"), 10),
    _set((*_SPEC, "tolerations", 0, "tolerationSeconds"), None),
    _set((*_SPEC, "tolerations", 0, "effect"), "NoSchedule"),
    _set((*_SPEC, "tolerations"), "not a list"),
    _set((*_SPEC, "activeDeadlineSeconds"), 10), _set((*_SPEC, "activeDeadlineSeconds"), -1),
    _set((*_SPEC, "terminationGracePeriodSeconds"), 30.0),
    _set((*_SPEC, "terminationGracePeriodSeconds"), None),
    _set((*_SPEC, "nodeName"), "node-2"), _set((*_SPEC, "nodeName"), "Bad_Node"),
    _set((*_SPEC, "enableServiceLinks"), 1), _set(_SPEC, _DELETE), _set(_SPEC, []),
    _set(("status", "qosClass"), "Guaranteed"), _set(("status", "qosClass"), _Str("BestEffort")),
    _set(("status", "qosClass"), None), _set(("status", "qosClass"), _DELETE),
    _set(("status", "podIPs"), [{"ip": "x"}]),
    _set(("status", "podIPs"), [{"ip": "10.244.0.5"}, {"ip": "10.244.0.5"}]),
    _set(("status", "podIPs"), [{"ip": "10.244.0.5"}, {"ip": "fd00::5"}]),
    _set(("status", "hostIP"), "10.0.0.2"), _set(("status", "hostIPs"), [{"ip": "10.0.0.9"}]),
    _set(("status", "hostIPs"), _DELETE), _set(("status", "podIPs"), [{"ip": 7}]),
    _set(("status", "conditions", 0, "type"), "bad type!"),
]


def _pairs() -> Iterator[tuple[Obj, Obj]]:
    base = _stored()
    yield base, copy.deepcopy(base)
    for change in _CHANGES:
        changed = copy.deepcopy(base)
        change(changed)
        yield changed, base  # the change in new
        yield base, changed  # the change in old (as stored before)
    deleting = copy.deepcopy(base)
    deleting["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:09Z"
    finalized = copy.deepcopy(deleting)
    finalized["metadata"]["finalizers"] = ["example.com/keep"]
    yield finalized, deleting  # a new finalizer while being deleted
    yield deleting, finalized
    for one, two in itertools.combinations(_CHANGES[::4], 2):
        changed = copy.deepcopy(base)
        one(changed)
        two(changed)
        yield changed, base


class _Never:
    """A memo table that never holds anything."""

    def get(self, key: Any, default: Any = None) -> Any:
        return default

    def put(self, key: Any, value: Any) -> None:
        pass

    def clear(self) -> None:
        pass


class _Counting(LRU):
    """An LRU that counts its hits."""

    hits = 0

    def get(self, key: Any, default: Any = None) -> Any:
        found = super().get(key, default)
        self.hits += found is not default
        return found


def _slow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(podspec, "spec_bytes", lambda spec: None)
    monkeypatch.setattr(objectmeta, "_same_str", lambda a, b: False)
    monkeypatch.setattr(objectmeta, "_plain_identity", lambda new, old: False)
    monkeypatch.setattr(objectmeta, "_valid_managed_entry", lambda entry: False)
    monkeypatch.setattr(objectmeta, "validate_labels", objectmeta._validate_labels)
    monkeypatch.setattr(core, "_unchanged", lambda new, old, keys: False)
    monkeypatch.setattr(core, "_same_qos", lambda qos, old_qos: False)
    monkeypatch.setattr(core, "_SAME_SPEC_CLEAN", _Never())
    monkeypatch.setattr(core, "meta_update_and_meta_errors", _plain_meta_errors)


def _plain_meta_errors(new: Obj, old: Obj, namespaced: bool, name_fn: Any) -> Any:
    errs = kinds.meta_update_errors(new, old)
    errs.extend(kinds.meta_errors(new, namespaced, name_fn))
    return errs


def _errors(fn: Callable[[Obj, Obj], Any], new: Obj, old: Obj) -> list[tuple[str, str]]:
    podspec._CLEAN_SPECS.clear()
    core._SAME_SPEC_CLEAN.clear()
    first = [(repr(e), str(e)) for e in fn(copy.deepcopy(new), copy.deepcopy(old))]
    again = [(repr(e), str(e)) for e in fn(copy.deepcopy(new), copy.deepcopy(old))]
    assert again == first  # with whatever the first call remembered
    return first


@pytest.mark.parametrize("fn", [core.validate_pod_update, core.validate_pod_status_update],
                         ids=["update", "status"])
def test_shortcuts_decide_as_the_plain_code(fn: Callable[[Obj, Obj], Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = list(_pairs())
    fast = [_errors(fn, new, old) for new, old in pairs]
    _slow(monkeypatch)
    slow = [_errors(fn, new, old) for new, old in pairs]
    assert fast == slow
    assert sum(1 for errs in fast if errs) > len(pairs) // 2  # the pairs do reach errors


def test_managed_fields_fast_path_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    cases: list[Any] = [
        [], None, "x", [{}], ["x"], [{"operation": "Update", "fieldsType": "FieldsV1"}],
        [{"operation": "Apply", "fieldsType": "FieldsV1", "subresource": None}],
        [{"operation": "Apply", "fieldsType": "FieldsV1", "subresource": "s" * 256}],
        [{"operation": "Apply", "fieldsType": "FieldsV1", "subresource": "s" * 257}],
        [{"operation": _Str("Update"), "fieldsType": _Str("FieldsV1"), "subresource": 7}],
        [{"operation": "Update", "fieldsType": "FieldsV1"}, {"operation": "Get"}]]
    fast = [objectmeta.validate_managed_fields(f, "metadata.managedFields") for f in cases]
    monkeypatch.setattr(objectmeta, "_valid_managed_entry", lambda entry: False)
    slow = [objectmeta.validate_managed_fields(f, "metadata.managedFields") for f in cases]
    assert fast == slow
    assert [bool(errs) for errs in fast] == [False, False, False, True, True, False, False,
                                             False, True, False, True]


# -- the same-spec memo of pod updates, over a sequence ---------------------------------

_NAMES = ["web", "other", "x" * 250]  # a long name fails an ephemeral volume's claim name


def _spec_variants() -> list[Obj]:
    base = _stored()["spec"]
    ephemeral = copy.deepcopy(base)
    ephemeral["volumes"] = [{"name": "scratch", "ephemeral": {"volumeClaimTemplate": {
        "spec": {"accessModes": ["ReadWriteOnce"],
                 "resources": {"requests": {"storage": "1Gi"}}}}}}]
    variants = [base, ephemeral]
    for path, value in [(("nodeName",), "Bad_Node"), (("nodeName",), _DELETE),
                        (("containers", 0, "image"), " busybox"),
                        (("containers", 0, "image"), "busybox"),
                        (("tolerations", 0, "tolerationSeconds"), 10),
                        (("tolerations", 0, "effect"), "NoSchedule"),
                        (("activeDeadlineSeconds",), 10), (("activeDeadlineSeconds",), 5.0),
                        (("terminationGracePeriodSeconds",), None),
                        (("enableServiceLinks",), 1), (("enableServiceLinks",), True),
                        (("serviceAccountName",), _DELETE)]:
        changed = copy.deepcopy(base)
        _set(path, value)(changed)
        variants.append(changed)
    return variants


def _meta_variants() -> list[Obj]:
    base = _stored()["metadata"]
    variants = []
    for name in _NAMES:
        for labels in ({"app": "web", "i": "1"}, {"app": "web", "i": "2"}, {"bad key!": "v"}):
            for notes in (None, {"kubernetes.io/config.mirror": "m"}):
                meta = copy.deepcopy(base)
                meta["name"], meta["labels"] = name, labels
                if notes is not None:
                    meta["annotations"] = notes
                variants.append(meta)
    return variants


def test_same_spec_memo_decides_as_the_plain_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """Random (new, old) pairs of pod updates, validated one after the other
    with the same-spec memo kept throughout (so later pairs hit what earlier
    ones left: the same spec with another old spec, another name, other
    metadata), decide as the plain code does."""
    import random

    rng = random.Random(7)
    specs, metas = _spec_variants(), _meta_variants()
    pairs = []
    for _ in range(600):
        spec = rng.choice(specs)
        old_spec = spec if rng.random() < 0.7 else rng.choice(specs)
        meta = rng.choice(metas)
        old_meta = dict(rng.choice(metas) if rng.random() < 0.2 else meta, name=meta["name"])
        pairs.append(({"metadata": meta, "spec": spec}, {"metadata": old_meta, "spec": old_spec}))
    memo = _Counting(2048)
    monkeypatch.setattr(core, "_SAME_SPEC_CLEAN", memo)
    podspec._CLEAN_SPECS.clear()
    # Copied together: a spec old and new share stays shared (an owned update's).
    fast = [[(repr(e), str(e)) for e in core.validate_pod_update(*copy.deepcopy((new, old)))]
            for new, old in pairs]
    _slow(monkeypatch)
    slow = [[(repr(e), str(e)) for e in core.validate_pod_update(copy.deepcopy(new),
                                                                 copy.deepcopy(old))]
            for new, old in pairs]
    assert any(new["spec"] is old["spec"] for new, old in pairs)
    assert fast == slow
    assert memo.hits > 100 and sum(1 for errs in slow if not errs) > 50


# -- events: the fields the checks read ---------------------------------------------------


def _plain_event_fields(event: Obj) -> dict[str, Any]:
    """The fields as built from the whole internal event (the plain code)."""
    from engine.api.validation.common import as_map, as_str

    internal = core._internal_event(event)
    fields: dict[str, Any] = {k: as_str(internal[k]) for k in (
        "reportingController", "reportingInstance", "action", "reason", "message", "type")}
    meta = event.get("metadata")
    namespace = meta.get("namespace") if isinstance(meta, dict) else None
    fields["namespace"] = namespace if isinstance(namespace, str) else ""
    fields["involved"] = as_map(internal["involvedObject"])
    fields["eventTime"] = internal["eventTime"]
    return fields


def test_event_fields_are_those_of_the_internal_event() -> None:
    import random

    rng = random.Random(11)
    names = sorted({name for keys in core._EVENT_KEYS for name in keys[1:]} | {"apiVersion"})
    values: list[Any] = [None, "", "x", "events.k8s.io/v1", "v1", 5, {"namespace": "a"}, [],
                         "2025-01-01T00:00:00Z"]
    checked = 0
    for _ in range(2000):
        event: Obj = {name: rng.choice(values) for name in rng.sample(names, rng.randint(0, 12))}
        if rng.random() < 0.8:
            event["metadata"] = rng.choice([{"namespace": "default"}, {}, None, {"namespace": 3}])
        assert core._event_fields(event) == _plain_event_fields(event), event
        checked += core._is_new_shape(event)
    assert 200 < checked < 1800  # both shapes


def test_plain_owner_references_decide_as_the_checks() -> None:
    """Owner references accepted at once are those the checks accept."""
    import random

    rng = random.Random(5)
    fields: dict[str, list[Any]] = {
        "apiVersion": ["apps/v1", "v1", "apps/", "", "/", "a/b/c", None, 5, _Str("v1")],
        "kind": ["ReplicaSet", "Event", "", None, 3, _Str("Pod")],
        "name": ["web", "", None, 7], "uid": ["0a1b", "", None, []],
        "controller": [True, False, None, 1, "true"], "blockOwnerDeletion": [True, None]}
    banned = {"apiVersion": "v1", "kind": "Event", "name": "e", "uid": "u"}
    cases: list[Any] = [None, "x", {}, [], [None], ["x"], [{}], [banned],
                        [{**banned, "kind": "Pod"}]]
    for _ in range(3000):
        refs = [{k: v[0] if rng.random() < 0.85 else rng.choice(v)
                 for k, v in fields.items() if rng.random() < 0.95}
                for _ in range(rng.randint(1, 3))]
        cases.append(refs)
    accepted = 0
    for refs in cases:
        want = objectmeta._validate_owner_references(refs, "metadata.ownerReferences")
        assert objectmeta.validate_owner_references(refs, "metadata.ownerReferences") == want
        accepted += not want
    assert 100 < accepted < len(cases) - 100
