"""The garbage collector's graph skips ``referencesDiffs`` when an update keeps
the owner references equal: that must be exactly the case where the diff is
empty, duplicates and reordering included."""

from __future__ import annotations

import copy
import itertools

from engine.controllers.garbagecollector.graph import _references_diff


def _ref(uid: str, name: str = "rs", controller: bool = True) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "name": name,
        "uid": uid,
        "controller": controller,
    }


REFS = [_ref("a"), _ref("b"), _ref("a", "other"), _ref("b", controller=False)]


def test_equal_reference_lists_have_an_empty_diff() -> None:
    for n in range(4):
        for refs in itertools.permutations(REFS, n):
            old, new = list(refs), copy.deepcopy(list(refs))
            assert old == new
            assert _references_diff(old, new) == ([], [], [])


def test_lists_that_differ_still_get_their_diff() -> None:
    assert _references_diff([_ref("a")], [_ref("b")]) == ([_ref("b")], [_ref("a")], [])
    assert _references_diff([_ref("a")], [_ref("a", "x")]) == ([], [], [_ref("a")])
    # reordered: not equal, yet nothing added, removed or changed
    assert _references_diff([_ref("a"), _ref("b")], [_ref("b"), _ref("a")]) == ([], [], [])
