"""A create's managed fields remembered by the object's shape give exactly what
working them out gives (engine/api/patch/managed_fields.py ``_created_fields``).

Upstream (structured-merge-diff ``Updater.Update`` against an empty live object)
gives a create's manager every field it sets; which fields those are depends on
keys, nesting and nulls only, never on scalar values, unless a list names its
items by their values - then the memo must stand aside.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.api.patch import managed_fields
from engine.api.patch.schema_walk import root_node
from tests.helpers import pod

EVENT = "io.k8s.api.core.v1.Event"
POD = "io.k8s.api.core.v1.Pod"


def _event(name: str, **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": name, "namespace": "default"},
            "involvedObject": {"kind": "Pod", "namespace": "default", "name": name.split(".")[0],
                               "uid": f"uid-{name}", "apiVersion": "v1",
                               "resourceVersion": "12", "fieldPath": "spec.containers{app}"},
            "reason": "Pulled", "message": f"Container image for {name}", "type": "Normal",
            "source": {"component": "kubelet", "host": "k9py-worker"},
            "firstTimestamp": "2025-01-01T00:00:01Z", "lastTimestamp": "2025-01-01T00:00:01Z",
            "count": 1, "reportingComponent": "kubelet", "reportingInstance": "k9py-worker",
            **extra}


def _write(obj: dict[str, Any], definition: str | None, *, memo: bool,
           monkeypatch: pytest.MonkeyPatch, cold: bool = True) -> bytes:
    if cold:
        managed_fields._CREATED.clear()
        managed_fields._LISTY.clear()
    with monkeypatch.context() as m:
        if not memo:
            m.setattr(managed_fields, "_created_fields", lambda *a: None)
        out = managed_fields.update_managed_fields(None, obj, "kubelet", "Update",
                                                   definition=definition,
                                                   now="2025-01-01T00:00:02Z")
    return orjson.dumps(out)


def test_events_of_one_shape_share_the_remembered_set(monkeypatch: pytest.MonkeyPatch) -> None:
    first = _write(_event("a.1"), EVENT, memo=True, monkeypatch=monkeypatch)
    assert first == _write(_event("a.1"), EVENT, memo=False, monkeypatch=monkeypatch)
    managed_fields._CREATED.clear()
    one = managed_fields._created_fields(_event("a.1"), root_node(EVENT), ())
    again = managed_fields._created_fields(_event("c.3"), root_node(EVENT), ())
    assert one is again  # the same shape: the remembered set itself
    # ObjectReference is atomic (+structType=atomic in core/v1 types.go): one leaf.
    assert b'"f:involvedObject":{},' in first
    assert b'"f:source":{"f:component":{},"f:host":{}}' in first
    nulled = _event("b.2", message=None)
    assert _write(nulled, EVENT, memo=True, monkeypatch=monkeypatch) == \
        _write(nulled, EVENT, memo=False, monkeypatch=monkeypatch)


def test_a_kind_with_lists_is_worked_out_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    obj = pod("web", image="nginx:1.14.2")
    assert managed_fields._shape(obj) is None
    assert _write(obj, POD, memo=True, monkeypatch=monkeypatch) == \
        _write(obj, POD, memo=False, monkeypatch=monkeypatch)


_keys = st.sampled_from(["reason", "message", "type", "count", "series", "related", "action",
                         "source", "involvedObject", "metadata", "note", "x-unknown"])
_scalars = st.one_of(st.none(), st.text(max_size=3), st.integers(-2, 2), st.booleans())
_values = st.recursive(_scalars, lambda inner: st.dictionaries(
    st.sampled_from(["name", "kind", "uid", "component", "host", "labels", "a", "b"]), inner,
    max_size=4), max_leaves=12)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(_keys, _values, max_size=8), st.sampled_from([EVENT, POD, None]))
def test_any_list_free_object_gets_what_the_walk_gives(
        monkeypatch: pytest.MonkeyPatch, body: dict[str, Any], definition: str | None) -> None:
    obj = {"apiVersion": "v1", "kind": "Event", **body}
    obj["metadata"] = {"name": "e", "namespace": "default"} if type(
        obj.get("metadata")) is not dict else {**obj["metadata"], "name": "e"}
    # Warm: the table keeps what earlier examples (other shapes) left in it.
    memo = _write(obj, definition, memo=True, monkeypatch=monkeypatch, cold=False)
    assert memo == _write(obj, definition, memo=False, monkeypatch=monkeypatch, cold=False)
