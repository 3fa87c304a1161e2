"""The managedFields shortcuts give exactly the plain path's entries.

An in-process write's old object is the one the previous write stored (its
``fieldsV1`` dicts known by identity, kept as they are when their set is), its
spec shared and its metadata copied one level; the plain path sees deep copies
with every memo cleared and the top-level reset shortcut off. Also: the one-pass
FieldsV1 writer against the trie writer, one-key list elements, json_equal on
containers that share members.
"""

from __future__ import annotations

import collections
import copy
import random
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.api.patch import _json, fieldpath, managed_fields, typed
from engine.api.patch.schema_walk import root_node
from tests.helpers import pod

POD = "io.k8s.api.core.v1.Pod"
CREATED = "2025-01-01T00:00:00Z"


def _created_live(name: str, *, spec: dict[str, Any] | None = None,
                  **metadata: Any) -> dict[str, Any]:
    """A pod as the controller manager's create leaves it: with its entry."""
    created = pod(name, app="web")
    created["metadata"].update(metadata)
    created["spec"].update(spec or {})
    return managed_fields.update_managed_fields(None, created, "kube-controller-manager",
                                                "Update", definition=POD, now="t0")


def _clear_memos() -> None:
    for table in (fieldpath._BY_IDENTITY, fieldpath._PARSED, fieldpath._ENCODED,
                  fieldpath._KNOWN_NORMAL, managed_fields._DECODED, typed._KEY_PES,
                  typed._ONE_KEY_PES, managed_fields._ENCODINGS):
        table.clear()


def _plain(monkeypatch: pytest.MonkeyPatch, old: dict[str, Any] | None, new: dict[str, Any],
           manager: str, **kw: Any) -> bytes:
    """The write without any shortcut: private copies, cold memos, reset filtered after,
    entries read one by one and every set written again."""
    _clear_memos()
    with monkeypatch.context() as m:
        m.setattr(managed_fields, "_top_level_names", lambda reset: None)
        m.setattr(managed_fields, "decode_keeping",
                  lambda entries: (managed_fields._decode(entries), None))
        m.setattr(managed_fields, "kept_fields", lambda *objs: {})
        m.setattr(managed_fields, "_with_encoded_last", _plain_with_encoded)
        out = managed_fields.update_managed_fields(
            copy.deepcopy(old), copy.deepcopy(new), manager, "Update", definition=POD,
            now=kw.pop("now"), **kw)
    _clear_memos()
    return orjson.dumps(out)


def _plain_with_encoded(obj: dict[str, Any], encoded: list[Any] | None) -> dict[str, Any]:
    """The encoded entries set on the object without its entries (they go last)."""
    out = managed_fields.without_managed_fields(obj)
    out["metadata"] = dict(out.get("metadata") or {})
    if encoded is not None:
        out["metadata"]["managedFields"] = encoded
    return out


def _shuffled(fields: Any, rng: random.Random) -> Any:
    """A fieldsV1 with its keys in another order (not what the server writes)."""
    if not isinstance(fields, dict):
        return fields
    items = [(k, _shuffled(v, rng)) for k, v in fields.items()]
    rng.shuffle(items)
    return dict(items)


conditions = st.lists(st.tuples(
    st.sampled_from(["Ready", "Initialized", "ContainersReady", "PodScheduled", "X<&>"]),
    st.sampled_from(["True", "False", "Unknown"]),
    st.sampled_from(["2025-01-01T00:00:00Z", "2025-01-01T00:00:07Z", None]),
    st.sampled_from([None, "ContainersNotReady", ""])), max_size=5)
statuses = st.fixed_dictionaries({
    "phase": st.sampled_from(["Pending", "Running"]),
    "conditions": conditions,
    "ip": st.sampled_from([None, "10.0.0.1", "10.0.0.2", "fd00::1"]),
    "ready": st.booleans(),
    "restarts": st.sampled_from([0, 1, True, 1.0]),
    "host": st.sampled_from([None, "172.18.0.2"]),
})


def _status(drawn: dict[str, Any]) -> dict[str, Any]:
    status: dict[str, Any] = {"phase": drawn["phase"], "qosClass": "BestEffort"}
    if drawn["conditions"]:
        status["conditions"] = []
        for kind, value, at, reason in drawn["conditions"]:
            item: dict[str, Any] = {"type": kind, "status": value, "lastProbeTime": None}
            if at is not None:
                item["lastTransitionTime"] = at
            if reason is not None:
                item["reason"] = reason
            status["conditions"].append(item)
    if drawn["ip"]:
        status["podIP"], status["podIPs"] = drawn["ip"], [{"ip": drawn["ip"]}]
    if drawn["host"]:
        status["hostIP"], status["hostIPs"] = drawn["host"], [{"ip": drawn["host"]}]
    status["containerStatuses"] = [{"name": "app", "ready": drawn["ready"],
                                    "restartCount": drawn["restarts"], "state": {}}]
    return status


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(st.tuples(st.sampled_from(["status", "status", "labels"]), statuses),
                       min_size=1, max_size=5),
       seed=st.integers(0, 1 << 16), shuffle=st.booleans())
def test_writes_as_the_server_hands_them_match_the_plain_path(
        monkeypatch: pytest.MonkeyPatch, writes: list[tuple[str, dict[str, Any]]], seed: int,
        shuffle: bool) -> None:
    rng = random.Random(seed)
    created = pod(f"web-{seed}", app="web")
    created["metadata"].update(uid=f"u{seed}", creationTimestamp=CREATED, generateName="web-")
    created["spec"]["volumes"] = [{"name": f"kube-api-access-{seed}", "projected": {}}]
    live = managed_fields.update_managed_fields(None, created, "kube-controller-manager",
                                                "Update", definition=POD, now="t0")
    assert orjson.dumps(live) == _plain(monkeypatch, None, created, "kube-controller-manager",
                                        now="t0")
    if shuffle:  # entries some other writer stored: not in the server's key order
        live = copy.deepcopy(live)
        for entry in live["metadata"]["managedFields"]:
            entry["fieldsV1"] = _shuffled(entry["fieldsV1"], rng)
    for step, (kind, drawn) in enumerate(writes):
        now = f"2025-01-01T00:00:{step:02d}Z"
        if kind == "status":
            new = {**live, "metadata": dict(live["metadata"]), "status": _status(drawn)}
            kw: dict[str, Any] = {"subresource": "status", "now": now}
            manager = "kubelet"
        else:
            metadata = dict(live["metadata"])
            metadata["labels"] = {**metadata.get("labels", {}), f"step{step}": drawn["phase"]}
            new = {**live, "metadata": metadata}
            kw = {"now": now}
            manager = rng.choice(["kubectl", "kube-controller-manager"])
        expected = _plain(monkeypatch, live, new, manager, **dict(kw))
        live = managed_fields.update_managed_fields(live, new, manager, "Update",
                                                    definition=POD, **kw)
        assert orjson.dumps(live) == expected


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(st.tuples(st.sampled_from(["status", "status", "labels", "same"]),
                                 statuses, st.sampled_from(["kubelet", "kubectl"]),
                                 st.integers(0, 2)), min_size=1, max_size=8),
       seed=st.integers(0, 1 << 16))
def test_writes_of_copies_from_storage_match_the_plain_path(
        monkeypatch: pytest.MonkeyPatch, writes: list[tuple[str, dict[str, Any], str, int]],
        seed: int) -> None:
    """Every old and new object a private copy (the API server's writes that
    are not in-process): no entry known by identity, encodings remembered by
    what they encode. Managers, times and sets repeat, so the memo is hit."""
    live = _created_live(f"web-{seed}", uid=f"u{seed}", creationTimestamp=CREATED,
                         spec={"nodeName": "k9py-worker"})
    done = []
    for kind, drawn, manager, second in writes:
        now = f"2025-01-01T00:00:0{second}Z"
        new = orjson.loads(orjson.dumps(live))
        kw: dict[str, Any] = {"now": now}
        if kind == "status":
            new["status"] = _status(drawn)
            kw["subresource"] = "status"
        elif kind == "labels":
            new["metadata"].setdefault("labels", {})["phase"] = drawn["phase"]
        sent = copy.deepcopy(new)
        out = managed_fields.update_managed_fields(orjson.loads(orjson.dumps(live)), new,
                                                   manager, "Update", definition=POD, **kw)
        done.append((live, sent, manager, kw, orjson.dumps(out)))
        live = out
    for old, new, manager, kw, got in done:  # (the plain path clears the memos)
        assert got == _plain(monkeypatch, old, new, manager, **dict(kw))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(st.tuples(st.sampled_from(["status", "status", "labels", "sent"]),
                                 statuses, st.sampled_from(["kubelet", "kubectl"]),
                                 st.integers(0, 3)), min_size=1, max_size=8),
       seed=st.integers(0, 1 << 16))
def test_entries_read_by_their_bytes_match_the_plain_path(
        monkeypatch: pytest.MonkeyPatch, writes: list[tuple[str, dict[str, Any], str, int]],
        seed: int) -> None:
    """Storage copies, each written twice (the second time its entries' bytes
    were seen before, and the dicts of canonical ones are kept); some entries
    stored by another writer in another key order (never kept), or sent with
    the update instead of the live ones."""
    rng = random.Random(seed)
    live = _created_live(f"web-{seed}", uid=f"u{seed}", creationTimestamp=CREATED)
    done = []
    for kind, drawn, manager, shuffle in writes:
        now = f"2025-01-01T00:00:0{shuffle}Z"
        stored = orjson.loads(orjson.dumps(live))
        if shuffle == 3:  # entries another writer stored: not in the server's key order
            for entry in stored["metadata"]["managedFields"]:
                if rng.random() < 0.5:
                    entry["fieldsV1"] = _shuffled(entry["fieldsV1"], rng)
        kw: dict[str, Any] = {"now": now}
        new = orjson.loads(orjson.dumps(stored))
        if kind == "status":
            new["status"] = _status(drawn)
            kw["subresource"] = "status"
            if shuffle == 2:  # a spec change the write may not own
                new["spec"]["nodeName"] = drawn["phase"]
        elif kind == "labels":
            new["metadata"].setdefault("labels", {})["phase"] = drawn["phase"]
        else:  # the entries sent, one of them shuffled, annotations after them
            new["metadata"]["annotations"] = {"a": drawn["phase"]}
            entry = rng.choice(new["metadata"]["managedFields"])
            entry["fieldsV1"] = _shuffled(entry["fieldsV1"], rng)
        for _ in range(2):
            old, sent = orjson.loads(orjson.dumps(stored)), orjson.loads(orjson.dumps(new))
            out = managed_fields.update_managed_fields(old, sent, manager, "Update",
                                                       definition=POD, **kw)
            done.append((stored, new, manager, kw, orjson.dumps(out)))
        live = out
    for old, new, manager, kw, got in done:  # (the plain path clears the memos)
        assert got == _plain(monkeypatch, old, new, manager, **dict(kw))


def test_an_entry_read_by_its_bytes_again_is_kept_as_the_old_objects_dict() -> None:
    _clear_memos()
    live = _created_live("web-bytes", uid="u-bytes")
    for _ in range(2):  # the first read learns the bytes, the second keeps the dict
        old = orjson.loads(orjson.dumps(live))
        mine = old["metadata"]["managedFields"][0]["fieldsV1"]
        new = {**old, "metadata": dict(old["metadata"]), "status": {"phase": "Running"}}
        out = managed_fields.update_managed_fields(old, new, "kubelet", "Update",
                                                   definition=POD, now="t1",
                                                   subresource="status")
    kept = [e for e in out["metadata"]["managedFields"] if e["manager"] != "kubelet"]
    assert kept[0]["fieldsV1"] is mine


def test_a_dict_subclass_with_the_same_bytes_is_written_again_not_kept() -> None:
    _clear_memos()
    live = _created_live("web-sub", uid="u-sub")
    for subclass in (False, True):  # the first read learns the bytes
        old = orjson.loads(orjson.dumps(live))
        entry = old["metadata"]["managedFields"][0]
        if subclass:
            entry["fieldsV1"] = collections.OrderedDict(entry["fieldsV1"])
        new = {**old, "metadata": dict(old["metadata"]), "status": {"phase": "Running"}}
        out = managed_fields.update_managed_fields(old, new, "kubelet", "Update",
                                                   definition=POD, now="t1",
                                                   subresource="status")
    assert all(type(e["fieldsV1"]) is dict for e in out["metadata"]["managedFields"])


def test_a_remembered_encoding_is_one_of_the_same_sets_and_times(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes from storage copies that repeat sets and times (so the decoded
    entries and the encodings are remembered), some with sets of one size."""
    live = _created_live("web-again", uid="u-again")
    done = []
    writes = [("Ready", "t1"), ("Ready", "t1"), ("Ready", "t1"), ("Ready", "t2"),
              ("Initialized", "t2"), ("Ready", "t2"), ("Initialized", "t2"), ("Ready", "t3"),
              ("Ready", "t1")]
    for i, (kind, now) in enumerate(writes):
        new = orjson.loads(orjson.dumps(live))
        new["status"] = {"phase": "Running", "conditions": [
            {"type": kind, "status": str(i % 2 == 0), "lastTransitionTime": f"t{i}"}]}
        before, sent = live, copy.deepcopy(new)
        live = managed_fields.update_managed_fields(
            orjson.loads(orjson.dumps(live)), new, "kubelet", "Update", definition=POD, now=now,
            subresource="status")
        done.append((before, sent, now, orjson.dumps(live)))
    for before, sent, now, got in done:  # (the plain path clears the memos)
        assert got == _plain(monkeypatch, before, sent, "kubelet", now=now, subresource="status")


def test_a_kept_entry_is_the_old_objects_dict_and_reads_back_without_bytes() -> None:
    _clear_memos()  # a set encoded before comes back as a copy, not known by identity
    live = _created_live("web-kept", uid="u-kept")
    mine = live["metadata"]["managedFields"][0]["fieldsV1"]
    assert fieldpath.known_fields_v1(mine)
    new = {**live, "metadata": dict(live["metadata"]), "status": {"phase": "Running"}}
    out = managed_fields.update_managed_fields(live, new, "kubelet", "Update", definition=POD,
                                               now="t1", subresource="status")
    kept = [e for e in out["metadata"]["managedFields"] if e["manager"] != "kubelet"]
    assert kept[0]["fieldsV1"] is mine


def test_a_non_canonical_entry_is_written_again_not_kept() -> None:
    live = _created_live("web-odd", uid="u-odd")
    live = copy.deepcopy(live)
    entry = live["metadata"]["managedFields"][0]
    entry["fieldsV1"] = dict(reversed(list(entry["fieldsV1"].items())))
    new = {**live, "metadata": dict(live["metadata"]), "status": {"phase": "Running"}}
    out = managed_fields.update_managed_fields(live, new, "kubelet", "Update", definition=POD,
                                               now="t1", subresource="status")
    written = [e for e in out["metadata"]["managedFields"] if e["manager"] != "kubelet"][0]
    assert written["fieldsV1"] is not entry["fieldsV1"]
    assert list(written["fieldsV1"]) == sorted(entry["fieldsV1"])


elements = st.one_of(
    st.sampled_from(["f:a", "f:b", "f:spec", "f:ä<&>", "f:"]),
    st.sampled_from(['k:{"name":"x"}', 'k:{"name":"y","port":80}', 'k:{"b":1,"a":2}']),
    st.sampled_from(['v:"x"', "v:1", 'v:"<"']))


@settings(max_examples=300, deadline=None)
@given(paths=st.frozensets(st.lists(elements, min_size=1, max_size=4).map(tuple), max_size=25))
def test_one_pass_writer_matches_the_trie_writer(paths: frozenset[tuple[str, ...]]) -> None:
    sorted_canonical, trie_canonical = [True], [True]
    one_pass = fieldpath._encode_sorted(paths, sorted_canonical)
    assert one_pass is not None
    trie = fieldpath._encode_trie(paths, trie_canonical)
    assert orjson.dumps(one_pass) == orjson.dumps(trie)
    assert sorted_canonical == trie_canonical


@pytest.mark.parametrize("value", ["app", "", "ä<&>\u2028", "a\"b", "10.0.0.1"])
def test_one_key_list_elements_are_key_pe(value: str) -> None:
    node = root_node(POD).child("spec").node.child("containers").node
    assert node.keys == ("name",)
    assert typed.item_pe(node, {"name": value, "image": "x"}) == \
        fieldpath.key_pe({"name": value})
    assert typed.item_pe(node, {"name": value}) == fieldpath.key_pe({"name": value})


def test_json_equal_on_shared_members_still_tells_booleans_from_numbers() -> None:
    shared = {"deep": [1, 2]}
    assert _json.json_equal({"a": shared, "b": True}, {"a": shared, "b": True})
    assert not _json.json_equal({"a": shared, "b": True}, {"a": shared, "b": 1})
    assert not _json.json_equal([shared, 1], [shared, True])
    assert _json.json_equal([shared, 1], [shared, 1.0])


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(["name", "ip", "uid", "type"]), value=st.text())
def test_string_key_elements_are_their_own_normal_form(name: str, value: str) -> None:
    pe = fieldpath.string_key_pe(name, value)
    assert pe == fieldpath.key_pe({name: value})
    assert fieldpath.normalize_pe(pe) == pe


times = st.sampled_from([None, "", "2025-01-01T00:00:00Z", "2025-01-01T00:00:00.5Z",
                         "2024-12-31T23:59:59Z", "2025-01-01T01:00:00+01:00", "not a time"])


@settings(max_examples=300, deadline=None)
@given(entries=st.lists(st.tuples(
    st.sampled_from(["", "kubelet", "kubectl", "z<&>"]), st.sampled_from(["Apply", "Update"]),
    st.sampled_from(["v1", "apps/v1"]), st.sampled_from(["", "status", "scale"]), times,
    st.booleans(), st.integers(0, 2)), max_size=6))
def test_encode_from_remembered_parts_matches_the_entry_by_entry_writer(
        entries: list[tuple[str, str, str, str, str | None, bool, int]]) -> None:
    """Times that tie to the second (the sort keeps their order), empty and
    unreadable times, managers and subresources absent or not; sets kept or not."""
    sets = [frozenset({("f:status", "f:phase")}), frozenset({("f:metadata", "f:labels")}),
            frozenset({("f:spec", "f:x"), ("f:spec",)})]
    managed: managed_fields.Managed = {}
    for manager, operation, version, sub, time, applied, which in entries:
        ident = managed_fields.manager_id(manager, operation, version, sub)
        managed[ident] = managed_fields.Entry(sets[which], version, applied, time)
    kept = {id(sets[0]): (sets[0], fieldpath.to_fields_v1(sets[0]))}
    for held in (None, kept):
        assert orjson.dumps(managed_fields.encode(managed, held)) == \
            orjson.dumps(managed_fields._encode_entries(managed, held))


objects = st.dictionaries(
    st.sampled_from(["apiVersion", "kind", "metadata", "spec", "status"]),
    st.one_of(st.none(), st.just("v"), st.dictionaries(
        st.sampled_from(["name", "managedFields", "labels", "uid"]),
        st.sampled_from([None, "x", [], [{"manager": "m"}]]))))


@settings(max_examples=300, deadline=None)
@given(obj=st.one_of(st.none(), objects),
       names=st.sampled_from([None, frozenset({"spec"}), frozenset({"status", "metadata"})]))
def test_the_compared_side_is_the_object_without_entries_and_reset_fields(
        obj: dict[str, Any] | None, names: frozenset[str] | None) -> None:
    sent = copy.deepcopy(obj)
    expected = managed_fields.without_managed_fields(obj)
    if names:
        expected = managed_fields._without_keys(expected, names)
    got = managed_fields._compared(obj, names)
    assert orjson.dumps(got) == orjson.dumps(expected)  # (keys in order)
    assert obj == sent  # (not mutated)
