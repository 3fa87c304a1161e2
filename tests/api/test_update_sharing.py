"""Pod updates whose unchanged parts are shared with the stored object
(``decoding._copy_sharing``, ``Strategy.shares_unchanged_parts``) are those
of the plain path, which copies the whole body: the same stored bytes, the
same returned objects, the same errors and warnings, whatever the update
changes, whatever order its parts come in, and whichever step mutates."""

from __future__ import annotations

import copy
import threading
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from engine.api import decoding, errors, jsonbytes, meta
from engine.api.server import APIServer
from engine.api.strategies.pods import PodStrategy
from engine.clock import VirtualClock
from engine.store import Store


def _server() -> APIServer:
    clock = VirtualClock()
    clock.new_event_loop()
    api = APIServer(Store(), clock, identity=meta.IdentitySource(seed=5))
    api.create("namespaces", {"metadata": {"name": "default"}})
    return api


def _pod(spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "labels": {"app": "web"}}, "spec": spec}


SPECS = [
    {"containers": [{"name": "app", "image": "nginx:1.14.2",
                     "resources": {"requests": {"cpu": "100m"}}}]},
    {"containers": [{"name": "app", "image": "nginx"}],
     "tolerations": [{"key": "k", "operator": "Exists"}]},
    {"containers": [{"name": "app", "image": "nginx", "ports": [{"containerPort": 80}]}],
     "hostNetwork": True},
]


def _drop_default_tolerations(obj: dict[str, Any]) -> None:
    """DefaultTolerationSeconds puts them back (on the shared spec: a copy)."""
    obj["spec"]["tolerations"] = [t for t in obj["spec"].get("tolerations", [])
                                  if t.get("tolerationSeconds") != 300]


def _reorder(obj: dict[str, Any]) -> None:
    status = obj.pop("spec")
    obj["spec"] = status
    obj["kind"] = obj.pop("kind")


# Each edit changes the caller's copy of the object before it is sent.
EDITS: dict[str, Any] = {
    "label": lambda o, i: o["metadata"]["labels"].__setitem__("i", str(i)),
    "image": lambda o, i: o["spec"]["containers"][0].__setitem__("image", f"nginx:{i}"),
    "forbidden": lambda o, i: o["spec"].__setitem__("restartPolicy", "Never"),
    "tolerations": lambda o, i: _drop_default_tolerations(o),
    "status-ip": lambda o, i: o.setdefault("status", {}).update(
        podIPs=[{"ip": f"10.0.0.{i % 200}"}], podIP=None),
    "status-same": lambda o, i: None,
    "reorder": lambda o, i: _reorder(o),
    "no-type": lambda o, i: (o.pop("apiVersion"), o.pop("kind")),
    "nan": lambda o, i: o["spec"].__setitem__("activeDeadlineSeconds", float("nan")),
    "set": lambda o, i: o["spec"]["containers"][0].__setitem__("args", {1, 2}),
    "unknown": lambda o, i: o["spec"].__setitem__("bogus", i),
    "stale": lambda o, i: o["metadata"].__setitem__("resourceVersion", "1"),
    "int-key": lambda o, i: o.__setitem__(i, "x"),
    "int-key-first": lambda o, i: _bad_key_first(o),
    "string-status": lambda o, i: o.__setitem__("status", "Running"),
    "deep": lambda o, i: o["metadata"].setdefault("annotations", {}).__setitem__(
        "x", _deep(i % 3 + 252)),
}


def _bad_key_first(obj: dict[str, Any]) -> None:
    """A key orjson refuses before a part it refuses too: its error comes first."""
    parts = dict(obj)
    obj.clear()
    obj[0] = "x"  # type: ignore[index]
    obj.update(parts)
    obj["spec"]["containers"][0]["args"] = {1, 2}


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def _store_undefaulted(api: APIServer) -> dict[str, Any]:
    """Put the pod back in the store as an older server might have left it
    (without some defaults and the default tolerations, a status with
    podIPs alone), so the
    next update's unchanged parts are ones defaulting and admission change:
    they must copy the shared parts, not change them in place."""
    key = "/registry/pods/default/p"
    stored = orjson.loads(api.store.get(key).value)
    _drop_default_tolerations(stored)
    for field in ("enableServiceLinks", "schedulerName"):
        stored["spec"].pop(field, None)
    status = stored.setdefault("status", {})
    status["podIPs"] = [{"ip": "10.0.0.9"}]
    status.pop("podIP", None)
    api.store.put(key, meta.encode(stored))
    return api.get("pods", "p", "default")


def _run(steps: list[tuple[int, str, str]], share: bool) -> list[Any]:
    """The outcome of each step and the stored bytes, with sharing on or off."""
    original = PodStrategy.shares_unchanged_parts
    PodStrategy.shares_unchanged_parts = share
    try:
        api = _server()
        current = api.create("pods", _pod(copy.deepcopy(SPECS[0])), namespace="default")
        seen: list[Any] = []
        for i, (spec_index, edit, target) in enumerate(steps):
            if edit == "raw":
                current = _store_undefaulted(api)
                continue
            if edit == "recreate":
                api.delete("pods", "p", namespace="default", grace_period_seconds=0)
                current = api.create("pods", _pod(copy.deepcopy(SPECS[spec_index])),
                                     namespace="default")
                continue
            body = copy.deepcopy(current)
            EDITS[edit](body, i)
            warnings: list[str] = []
            try:
                current = api.update("pods", body, subresource=target, warnings=warnings)
                seen.append(orjson.dumps(current))
            except errors.StatusError as err:
                seen.append(repr(err.status))
                current = api.get("pods", "p", "default")
            seen.append(warnings)
            seen.append(api.store.get("/registry/pods/default/p").value)
        return seen
    finally:
        PodStrategy.shares_unchanged_parts = original


STEP = st.tuples(st.integers(0, len(SPECS) - 1),
                 st.sampled_from([*EDITS, "recreate", "raw"]), st.sampled_from(["", "status"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEP, min_size=1, max_size=12))
@example([(0, "raw", ""), (0, "status-same", "")])  # only admission changes the spec
@example([(0, "raw", ""), (0, "label", "status")])
@example([(0, "int-key", "")])  # a key orjson refuses at the top level only
@example([(0, "int-key-first", "")])
def test_updates_match_the_plain_copy(steps: list[tuple[int, str, str]]) -> None:
    assert _run(steps, share=True) == _run(steps, share=False)


def test_a_label_update_shares_spec_and_status_and_forgets_their_bytes() -> None:
    api = _server()
    current = api.create("pods", _pod(copy.deepcopy(SPECS[0])), namespace="default")
    seen: list[dict[str, Any]] = []
    real = decoding._copy_sharing

    def spy(body: Any, stored: bytes, revision: int) -> Any:
        obj, old = real(body, stored, revision)
        seen.append({name: obj[name] is old[name] for name in obj})
        assert jsonbytes.known(obj["spec"]) == orjson.dumps(body["spec"])
        assert old == meta.decode(stored, revision)
        return obj, old

    decoding._copy_sharing = spy
    try:
        current["metadata"]["labels"]["app"] = "db"
        api.update("pods", current)
    finally:
        decoding._copy_sharing = real
    assert seen == [{"apiVersion": False, "kind": False, "metadata": False,
                     "spec": True, "status": True}]
    assert jsonbytes._TABLE.known == {}


STORED = orjson.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                       "spec": {"a": 1}, "status": {"phase": "Running"}})


@pytest.mark.parametrize("body, shared", [
    # The same parts are shared; a changed or reordered part is not.
    ({"metadata": {"name": "q"}, "spec": {"a": 1}, "status": {"phase": "Running"}},
     {"spec", "status"}),
    ({"metadata": {}, "spec": {"a": 2}, "status": {"phase": "Running"}}, {"status"}),
    # Parts before a changed one are compared with old's after all.
    ({"metadata": {}, "spec": {"a": 1}, "status": {"phase": "Pending"}}, {"spec"}),
    ({"metadata": {}, "status": {"phase": "Running"}, "spec": {"a": 1}}, {"spec", "status"}),
    ({"metadata": {"name": "p"}, "spec": {"a": 1}, "status": {}}, {"spec"}),
    # Same JSON text, other types: 1.0 and true are not 1.
    ({"metadata": {}, "spec": {"a": 1.0}, "status": {"phase": "Running"}}, {"status"}),
    ({"metadata": {}, "spec": {"a": True}, "status": {"phase": "Running"}}, {"status"}),
    # A nested member with the same text is not the top-level one.
    ({"metadata": {}, "spec": {"x": {"a": 1}}, "status": {"phase": "Running"}}, {"status"}),
    ({"metadata": {}, "status": {"phase": "Running"}}, {"status"}),
])
def test_only_byte_identical_trailing_parts_are_shared(body: dict[str, Any],
                                                       shared: set[str]) -> None:
    try:
        obj, old = decoding._copy_sharing(body, STORED, 7)
    finally:
        jsonbytes.forget()
    assert orjson.dumps(obj) == orjson.dumps(body)
    assert orjson.dumps(old) == orjson.dumps(meta.decode(STORED, 7))
    assert {name for name in obj if name in old and obj[name] is old[name]} == shared


def test_a_lookalike_nested_in_an_annotation_is_not_taken_for_the_spec() -> None:
    spec = {"a": 1}
    sneaky = {"note": {"z": 0, "spec": spec, "status": {"phase": "Running"}}}
    stored = orjson.dumps({"metadata": {"annotations": sneaky}, "spec": {"a": 2},
                           "status": {"phase": "Running"}, "x": sneaky})
    body = {"metadata": {}, "spec": spec, "status": {"phase": "Running"}}
    try:
        obj, old = decoding._copy_sharing(body, stored, 7)
    finally:
        jsonbytes.forget()
    assert obj["spec"] == spec and obj["spec"] is not old["spec"]
    assert old == meta.decode(stored, 7)


def test_a_request_inside_another_keeps_the_outer_ones_entries() -> None:
    """A write made while an update runs (a watch callback, a hook) ends
    inside it: the outer update's shared parts must stay known."""
    outer, inner = {"a": 1}, {"b": 2}
    jsonbytes.enter()
    try:
        assert jsonbytes.remember(outer, b'{"a":1}')
        jsonbytes.enter()
        assert jsonbytes.remember(inner, b'{"b":2}')
        jsonbytes.leave()
        assert jsonbytes.known(outer) == b'{"a":1}'
    finally:
        jsonbytes.leave()
    assert jsonbytes.known(outer) is None and jsonbytes.known(inner) is None


def test_a_full_table_takes_no_more_and_the_part_is_copied() -> None:
    parts = [{"n": i} for i in range(jsonbytes._LIMIT)]
    jsonbytes.enter()
    try:
        assert all(jsonbytes.remember(part, b"{}") for part in parts)
        obj, old = decoding._copy_sharing(
            {"metadata": {}, "spec": {"a": 1}, "status": {"phase": "Running"}}, STORED, 7)
        assert obj["spec"] == old["spec"] and obj["spec"] is not old["spec"]
        assert jsonbytes.known(parts[0]) == b"{}"
    finally:
        jsonbytes.leave()


def test_the_table_is_per_thread() -> None:
    part = {"a": 1}
    jsonbytes.enter()
    try:
        jsonbytes.remember(part, b'{"a":1}')
        seen: list[Any] = []
        thread = threading.Thread(target=lambda: seen.append(jsonbytes.known(part)))
        thread.start()
        thread.join()
        assert seen == [None] and jsonbytes.known(part) == b'{"a":1}'
    finally:
        jsonbytes.leave()
