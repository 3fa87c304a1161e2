"""A label update's validation shortcuts decide exactly as the plain code.

``meta_update_and_meta_errors`` answers at once for metadata whose checks
find nothing (``objectmeta.quiet_meta_update``), ``validate_pod_update``
skips the pod-specific annotation checks when neither pod has annotations
(``core._annotated``) and takes a shared spec's bytes from
:mod:`engine.api.jsonbytes`. Random metadata pairs (valid and invalid names,
namespaces, identities, generations, labels, annotations, finalizers, owner
references, deletion fields; fresh label values) are validated with the
shortcuts and without; errors must be the same, in the same order."""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.api import jsonbytes
from engine.api.validation import core, kinds, names, objectmeta
from tests.api.validation import builders as b

Obj = dict[str, Any]


class _Str(str):
    """A str subclass: the checks tell it from a plain string."""


_REF = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "0a1b",
        "controller": True}
_LABEL_TEXT = st.text(alphabet="ab-_.Z9/", max_size=70)
_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "name": st.sampled_from(["pod-0", "web", "Bad_Name", "", None, 5, _Str("pod-0"),
                             "x" * 254, "a.b"]),
    "generateName": st.sampled_from(["", "web-", "Bad_", None, 3, "x" * 300]),
    "namespace": st.sampled_from(["default", "", None, "Bad_NS", 7, _Str("default"), "a.b"]),
    "uid": st.sampled_from(["u1", "u2", None, 1, _Str("u1")]),
    "creationTimestamp": st.sampled_from(["2025-01-01T00:00:00Z", "2025-01-01T00:00:01Z",
                                          None, "", 0]),
    "deletionTimestamp": st.sampled_from([None, None, "2025-01-01T00:00:09Z", ""]),
    "deletionGracePeriodSeconds": st.sampled_from([None, None, 30, 0, 30.0]),
    "generation": st.sampled_from([None, 0, 1, 3, -1, True, 2.0, "1"]),
    "resourceVersion": st.sampled_from(["4", "5", 4]),
    "labels": st.one_of(
        st.sampled_from([None, {}, {"bad key!": "v"}, {"app": 5}, "x", [], {"a": "x" * 64}]),
        st.dictionaries(st.sampled_from(["app", "i", "x/y", "bad key", "-a", "k" * 64]),
                        st.one_of(_LABEL_TEXT, st.none()), max_size=3)),
    "annotations": st.sampled_from([None, {}, {"a": "b"}, {"kubernetes.io/config.mirror": "m"},
                                    {"Bad Key!": "v"}, "x", {"a": 1}]),
    "finalizers": st.sampled_from([None, [], ["example.com/x"], ["bad"], "x"]),
    "ownerReferences": st.sampled_from([None, [], [_REF], [{**_REF, "uid": ""}]]),
    "managedFields": st.sampled_from([None, [], [{"operation": "Get"}]]),
    "selfLink": st.sampled_from(["", "/x", 5]),
}


_USUAL = {"name": "pod-0", "namespace": "default", "uid": "u1", "resourceVersion": "4",
          "creationTimestamp": "2025-01-01T00:00:00Z", "labels": {"app": "bench", "i": "1"}}


@st.composite
def _changed(draw: st.DrawFn, meta: Obj) -> Obj:
    """``meta`` with up to three fields set (any field, valid or not) or removed."""
    meta = copy.deepcopy(meta)
    for key in draw(st.lists(st.sampled_from(sorted(_FIELDS)), max_size=3)):
        if draw(st.integers(0, 6)) == 0:
            meta.pop(key, None)
        else:
            meta[key] = draw(_FIELDS[key])
    return meta


@st.composite
def _meta_pair(draw: st.DrawFn) -> tuple[Any, Any]:
    """(new, old): a label update's metadata, either side changed a little
    (so that most pairs are one finding away from none), or odd shapes."""
    if draw(st.integers(0, 30)) == 0:
        odd = st.sampled_from([None, "x", [], {}, _USUAL])
        return draw(odd), draw(odd)
    old = draw(_changed(_USUAL))
    new = copy.deepcopy(old)
    new["labels"] = draw(_FIELDS["labels"])
    return draw(_changed(new)), old


def _plain_meta_errors(new: Obj, old: Obj, namespaced: bool, name_fn: Any) -> Any:
    errs = kinds.meta_update_errors(new, old)
    errs.extend(kinds.meta_errors(new, namespaced, name_fn))
    return errs


def _shown(errs: Any) -> list[tuple[str, str]]:
    return [(repr(e), str(e)) for e in errs]


_SETTINGS = settings(max_examples=1500, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(pair=_meta_pair(), namespaced=st.booleans(),
       name_fn=st.sampled_from([names.validate_pod_name, names.name_is_dns_label]))
def test_quiet_metadata_decides_as_the_plain_code(pair: tuple[Any, Any], namespaced: bool,
                                                  name_fn: Any) -> None:
    new_meta, old_meta = pair
    new, old = {"metadata": new_meta}, {"metadata": old_meta}
    want = _shown(_plain_meta_errors(copy.deepcopy(new), copy.deepcopy(old), namespaced,
                                     name_fn))
    assert _shown(kinds.meta_update_and_meta_errors(new, old, namespaced, name_fn)) == want
    if objectmeta.quiet_meta_update(new_meta, old_meta, namespaced, name_fn):
        assert want == []


def test_quiet_metadata_answers_for_a_label_update() -> None:
    """The shortcut is taken where it matters (a label update), so the
    comparison above is not only of the plain code with itself."""
    old = {"name": "pod-0", "namespace": "default", "uid": "u1", "resourceVersion": "4",
           "creationTimestamp": "2025-01-01T00:00:00Z", "labels": {"app": "bench", "i": "1"}}
    new = copy.deepcopy(old)
    new["labels"]["i"] = "fresh-value-7"
    assert objectmeta.quiet_meta_update(new, old, True, names.validate_pod_name)
    new["labels"]["i"] = "-bad"
    assert not objectmeta.quiet_meta_update(new, old, True, names.validate_pod_name)


class _Never:
    """A memo table that never holds anything."""

    def get(self, key: Any, default: Any = None) -> Any:
        return default

    def put(self, key: Any, value: Any) -> None:
        pass


def _pod(meta: Any, spec: Obj) -> Obj:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


@_SETTINGS
@given(pair=_meta_pair(), shared=st.booleans(), known=st.booleans(),
       image=st.sampled_from(["nginx", " nginx", ""]))
def test_pod_update_decides_as_the_plain_code(pair: tuple[Any, Any], shared: bool,
                                              known: bool, image: str) -> None:
    new_meta, old_meta = pair
    old_spec = b.pod()["spec"]
    spec = old_spec if shared else copy.deepcopy(old_spec)
    spec["containers"][0]["image"] = image
    new, old = _pod(new_meta, spec), _pod(old_meta, old_spec)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(core, "_annotated", lambda new, old: True)
        mp.setattr(core, "meta_update_and_meta_errors", _plain_meta_errors)
        mp.setattr(core, "_SAME_SPEC_CLEAN", _Never())
        want = _shown(core.validate_pod_update(copy.deepcopy(new), copy.deepcopy(old)))
    if known:
        jsonbytes.remember(spec, orjson.dumps(spec))
    try:
        for _ in range(2):  # the second with what the first remembered
            assert _shown(core.validate_pod_update(new, old)) == want
    finally:
        jsonbytes.forget()


def test_shared_spec_bytes_are_the_remembered_ones() -> None:
    spec = b.pod()["spec"]
    encoded = orjson.dumps(spec)
    jsonbytes.remember(spec, encoded)
    try:
        assert core._json_bytes(spec) is encoded
    finally:
        jsonbytes.forget()
    assert core._json_bytes(spec) == encoded
