"""The compare walk's and record_update's shortcuts give exactly the plain walk's results.

``typed.compare`` walks two non-empty dicts and two non-empty lists without
asking ``_pick``/``_is_leaf``, compares same-typed scalars inline, and matches
the items of one-string-key lists by the key's value (working out an item's
path element only when the item differs). ``record_update`` keeps the writer's
set as the same object when it gains back all it loses. Each is checked here
against the walk and the set algebra as written before the shortcuts
(structured-merge-diff compare.go and ``Updater.Update``), on random pairs of
pod-shaped values that share, copy or replace each other's parts.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.api.patch import managed_fields, typed
from engine.api.patch._json import MISSING, json_equal
from engine.api.patch.fieldpath import Path
from engine.api.patch.managed_fields import STRIPPED, Entry, cap_update_managers
from engine.api.patch.schema_walk import MAP, TypeNode, root_node
from engine.api.patch.typed import Comparison, _group, _is_leaf, _one_side, _pick

POD = "io.k8s.api.core.v1.Pod"
ROOT = root_node(POD)


# -- the plain walk (compare.go's, as typed.py had it before the shortcuts) ------------
def plain_compare(lhs: Any, rhs: Any, node: TypeNode) -> Comparison:
    out = Comparison()
    _plain_cmp(lhs, rhs, node, (), out)
    return out


def _plain_cmp(lhs: Any, rhs: Any, node: TypeNode, path: Path, out: Comparison) -> None:
    if lhs is MISSING:
        if rhs is MISSING:
            out.added.add(path)
        else:
            _one_side(rhs, node, path, out.added)
        return
    if rhs is MISSING:
        _one_side(lhs, node, path, out.removed)
        return
    if json_equal(lhs, rhs):
        return
    node = _pick(node, lhs, rhs)
    if _is_leaf(node, lhs, rhs):
        out.modified.add(path)
        return
    if node.kind == MAP:
        left = lhs if isinstance(lhs, dict) else {}
        right = rhs if isinstance(rhs, dict) else {}
        for key in (*left, *(k for k in right if k not in left)):
            _plain_cmp(left.get(key, MISSING), right.get(key, MISSING), node.child(key).node,
                       (*path, "f:" + key), out)
        return
    lhs, rhs = (lhs if isinstance(lhs, list) else []), (rhs if isinstance(rhs, list) else [])
    order: list[str] = []
    left, right = _group(lhs, node, order), _group(rhs, node, order)
    for pe in dict.fromkeys(order):
        ll, rl = left.get(pe, []), right.get(pe, [])
        sub = (*path, pe)
        if len(ll) <= 1 and len(rl) <= 1:
            _plain_cmp(ll[0] if ll else MISSING, rl[0] if rl else MISSING, node.elem, sub, out)
        elif len(ll) >= 2 and len(rl) >= 2:
            if not json_equal(ll, rl):
                out.modified.add(sub)
        elif len(ll) >= 2:
            if rl:
                _plain_cmp(MISSING, rl[0], node.elem, sub, out)
            out.removed.add(sub)
        else:
            if ll:
                _plain_cmp(ll[0], MISSING, node.elem, sub, out)
            out.added.add(sub)


def plain_record_update(old: dict[str, Any], new: dict[str, Any], managed: managed_fields.Managed,
                        ident: str, reset: tuple[Path, ...], now: str) -> managed_fields.Managed:
    """``record_update`` as the set algebra reads plainly: everyone loses what
    changed or went, then the writer gains what it changed."""
    diff = plain_compare(typed.with_zero_structs(old, new, ROOT), new, ROOT).without(reset)
    changed = frozenset(diff.modified | diff.added)
    out: managed_fields.Managed = {}
    for name, entry in managed.items():
        fields = entry.fields - (changed | diff.removed)
        if fields:
            out[name] = Entry(fields, entry.api_version, entry.applied, entry.time)
    gained = frozenset(p for p in changed if not any(p[:len(q)] == q for q in reset)) - STRIPPED
    if gained:
        previous = out.get(ident)
        out[ident] = Entry(gained | (previous.fields if previous else frozenset()), "v1", False,
                           now)
    return cap_update_managers(out)


# -- pairs of values -------------------------------------------------------------------
SCALARS = ("a", "b", "", "True", None, True, False, 0, 1, 1.0, 2.5)
scalars = st.sampled_from(SCALARS)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["a", "b", "type"]), inner, max_size=3), max_leaves=6)
KEYS = ("Ready", "Initialized", "PodScheduled", "X<&>", "é")
keys = st.sampled_from(KEYS)
good_condition = st.fixed_dictionaries(
    {"type": keys}, optional={"status": st.sampled_from(["True", "False"]),
                              "lastProbeTime": st.none(),
                              "lastTransitionTime": st.sampled_from(["t0", "t1"]),
                              "reason": scalars, "x": json_values})
condition = st.one_of(
    good_condition,
    st.fixed_dictionaries({"type": st.sampled_from([1, None, True])}),  # not a string key
    st.fixed_dictionaries({"status": st.just("True")}),  # no key at all
    json_values)  # not a dict, or any other item
conditions = st.one_of(
    st.lists(good_condition, max_size=4, unique_by=lambda c: c["type"]),  # the usual
    st.lists(condition, max_size=4))
status = st.fixed_dictionaries({"conditions": conditions}, optional={
    "phase": scalars, "podIP": scalars,
    "podIPs": st.lists(st.fixed_dictionaries({"ip": st.sampled_from(["10.0.0.1", "fd00::1"])}),
                       max_size=2),
    "containerStatuses": st.lists(st.fixed_dictionaries(
        {"name": st.sampled_from(["app", "side"])},
        optional={"ready": st.booleans(), "restartCount": scalars,
                  "state": st.dictionaries(st.sampled_from(["running", "waiting"]), json_values,
                                           max_size=1)}), max_size=2),
    "unknownField": json_values, "startTime": scalars})
objects = st.fixed_dictionaries({"apiVersion": st.just("v1"), "kind": st.just("Pod"),
                                 "status": status}, optional={
    "metadata": st.fixed_dictionaries({}, optional={
        "labels": st.dictionaries(st.sampled_from(["app", "tier"]), scalars, max_size=2),
        "name": st.just("p")}),
    "spec": st.fixed_dictionaries({}, optional={
        "containers": st.lists(st.fixed_dictionaries({"name": keys},
                                                     optional={"image": scalars}), max_size=2),
        "nodeName": scalars})})


def _edit(value: Any, rng: random.Random, depth: int = 0) -> Any:
    """A new value as a writer builds it from ``value``: each part kept as the
    same object, copied, or edited (a scalar changed, maybe to a look-alike of
    another type; map members dropped or added; list items dropped, added -
    sometimes under a key already there - or reordered; a container replaced)."""
    roll = rng.random() if depth > 2 else rng.uniform(0.35, 1)  # the top is always edited
    if roll < 0.08:
        return rng.choice([*SCALARS, {}, [], {"type": "Ready"}, [{"type": "é"}]])
    if roll < 0.35:
        return value if roll < 0.2 else copy.deepcopy(value)
    if type(value) is dict:
        out = {k: _edit(v, rng, depth + 1) for k, v in value.items() if rng.random() > 0.1}
        if rng.random() < 0.25:
            out[rng.choice(["type", "status", "reason", "ip", "a"])] = rng.choice(
                [*SCALARS, {"a": 1}, [1]])
        return out
    if type(value) is list:
        out = [_edit(v, rng, depth + 1) for v in value if rng.random() > 0.1]
        if rng.random() < 0.3:
            out.append({"type": rng.choice(KEYS), "status": rng.choice(SCALARS)})
        if rng.random() < 0.1 and out:
            out.append(copy.deepcopy(rng.choice(out)))  # a duplicate
        if rng.random() < 0.3:
            rng.shuffle(out)
        return out
    if rng.random() < 0.5:
        return value
    if type(value) in (bool, int, float) and value in (0, 1) and rng.random() < 0.7:
        # Equal in Python; Go tells true from 1 (not 1 from 1.0).
        return rng.choice((True, 1, 1.0) if value else (False, 0, 0.0))
    return rng.choice(SCALARS)


def _sets(c: Comparison) -> tuple[set[Path], set[Path], set[Path]]:
    return c.added, c.modified, c.removed


SETTINGS = settings(max_examples=400, deadline=None)


@SETTINGS
@given(old=objects, seed=st.integers(0, 1 << 16))
def test_compare_matches_the_plain_walk(old: dict[str, Any], seed: int) -> None:
    new = _edit(old, random.Random(seed))
    assert _sets(typed.compare(old, new, ROOT)) == _sets(plain_compare(old, new, ROOT))
    status_node = ROOT.child("status").node
    a, b = old.get("status", MISSING), new.get("status", MISSING)
    assert _sets(typed.compare(a, b, status_node)) == _sets(plain_compare(a, b, status_node))


@SETTINGS
@given(old=json_values, seed=st.integers(0, 1 << 16))
def test_compare_of_deduced_values_matches_the_plain_walk(old: Any, seed: int) -> None:
    new = _edit(old, random.Random(seed))
    deduced = root_node(None)
    assert _sets(typed.compare(old, new, deduced)) == _sets(plain_compare(old, new, deduced))


def _owned(old: dict[str, Any], new: dict[str, Any], rng: random.Random) -> frozenset[Path]:
    """Some paths of ``old`` and ``new`` (as writes of all of them would own
    them), or some or all of what changes from one to the other."""
    roll = rng.random()
    if roll < 0.4:
        diff = plain_compare(old, new, ROOT)
        paths = sorted(diff.added | diff.modified | (diff.removed if roll < 0.2 else set()))
    else:
        paths = sorted(plain_compare({}, old, ROOT).added | plain_compare({}, new, ROOT).added)
    keep = rng.choice([1, 0.9, 0.5])
    return frozenset(p for p in paths if rng.random() < keep)


@SETTINGS
@given(old=objects, seed=st.integers(0, 1 << 16), subresource=st.sampled_from(["", "status"]))
def test_record_update_matches_the_plain_set_algebra(old: dict[str, Any], seed: int,
                                                     subresource: str) -> None:
    rng = random.Random(seed)
    new = _edit(old, rng)
    mine = managed_fields.manager_id("kubelet", "Update", "v1", subresource)
    managed = {}
    for name in rng.sample(["kubectl", "kubelet", "other"], 3):
        ident = managed_fields.manager_id(name, "Update", "v1", subresource if name ==
                                          "kubelet" else "")
        if rng.random() < 0.8:
            managed[ident] = Entry(_owned(old, new, rng), "v1", False, "2025-01-01T00:00:00Z")
    reset = managed_fields.reset_paths(subresource, None)
    got = managed_fields.record_update(old, new, managed, mine, "v1", ROOT, reset, "now")
    expected = plain_record_update(old, new, managed, mine, reset, "now")
    assert list(got.items()) == list(expected.items())  # the same entries, in the same order


def test_a_status_write_keeps_the_writers_set_object() -> None:
    old = {"status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False"}]}}
    new = {"status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}}
    owned = frozenset(plain_compare({}, old, ROOT).added)
    mine = managed_fields.manager_id("kubelet", "Update", "v1", "status")
    managed = {mine: Entry(owned, "v1", False, "t0")}
    reset = managed_fields.reset_paths("status", None)
    got = managed_fields.record_update(old, new, managed, mine, "v1", ROOT, reset, "t1")
    assert got[mine].fields is owned and got[mine].time == "t1"
    assert orjson.dumps(sorted(got[mine].fields)) == orjson.dumps(sorted(owned))


def test_look_alike_members_of_list_items_and_maps_are_changes() -> None:
    old = {"status": {"conditions": [{"type": "Ready", "status": True}], "x": {"a": [1]}}}
    new = {"status": {"conditions": [{"type": "Ready", "status": 1}], "x": {"a": [True]}}}
    got = typed.compare(old, new, ROOT)
    assert _sets(got) == _sets(plain_compare(old, new, ROOT))
    assert got.modified == {("f:status", "f:conditions", 'k:{"type":"Ready"}', "f:status"),
                            ("f:status", "f:x", "f:a")}


def test_a_writer_that_owned_only_what_it_changes_again_moves_last() -> None:
    """Upstream's writer loses its whole set, then gains it anew: a new entry, last."""
    mine = managed_fields.manager_id("kubelet", "Update", "v1", "status")
    other = managed_fields.manager_id("kubectl", "Update", "v1")
    phase = (("f:status", "f:phase"),)
    managed = {mine: Entry(frozenset(phase), "v1", False, "t0"),
               other: Entry(frozenset({("f:metadata", "f:labels", "f:app")}), "v1", False, "t0")}
    old, new = {"status": {"phase": "Pending"}}, {"status": {"phase": "Running"}}
    reset = managed_fields.reset_paths("status", None)
    got = managed_fields.record_update(old, new, managed, mine, "v1", ROOT, reset, "t1")
    assert list(got.items()) == list(plain_record_update(old, new, managed, mine, reset,
                                                         "t1").items())
    assert list(got) == [other, mine]
