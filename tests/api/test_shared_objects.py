"""Objects the API server shares with the watch cache instead of copying.

* a hint: an owned create/update and a bind hand the object they built to the
  watch cache, which gives it to the watchers instead of decoding the stored
  bytes;
* the latest decoded object of an updated key is an owned update's (and a
  bind's) old object, instead of a decode of the store's bytes;
* ``owned`` updates copy only the top level, metadata and status of the body,
  so a body such as ``{**cached_pod, "status": new}`` leaves the cached pod as
  it was;
* check mode (``K9PY_CHECK_SHARED=1``) names a key whose shared object was
  mutated.

Each shortcut must give byte-identical results to the copying path.
"""

from __future__ import annotations

import copy

import orjson
import pytest

from engine.api import meta
from engine.api.server import APIServer
from engine.api.watchcache import SharedObjectMutated, WatchEvent
from engine.client import LocalClient
from engine.clock import VirtualClock
from engine.events.recorder import EventRecorder
from engine.store import Store
from tests.helpers import pod

Obj = dict


class _Informer:
    """A sink watch on pods: the latest object of each pod, and every event."""

    def __init__(self, api: APIServer, resource: str = "pods") -> None:
        info = api.info(resource)
        self.objs: dict[str, Obj] = {}
        self.events: list[WatchEvent] = []
        self.watch = api.cache.watch(info, info.key_prefix, None, since=api.store.revision,
                                     initial=None, bookmarks=False, sink=self._on)

    def _on(self, event: WatchEvent) -> None:
        self.events.append(event)
        self.objs[event.object["metadata"]["name"]] = event.object


def _server(check: bool = False) -> tuple[APIServer, _Informer]:
    api = APIServer(Store(), VirtualClock(), identity=meta.IdentitySource(seed=7))
    api.cache.check = check
    api.create("namespaces", {"metadata": {"name": "default"}})
    return api, _Informer(api)


def _status(i: int) -> Obj:
    ready = "True" if i % 2 else "False"
    return {"phase": "Running", "podIP": "10.244.0.5", "hostIP": "10.0.0.1",
            "conditions": [{"type": "Ready", "status": ready, "lastProbeTime": None,
                            "lastTransitionTime": f"2025-01-01T00:00:{i:02d}Z"}],
            "containerStatuses": [{"name": "app", "ready": ready == "True",
                                   "restartCount": i, "image": "nginx:1.14.2", "imageID": "",
                                   "state": {"running": {"startedAt": "2025-01-01T00:00:05Z"}}}]}


def _stored(api: APIServer, name: str) -> Obj:
    kv = api.store.get(api.info("pods").key("default", name))
    return meta.decode(kv.value, kv.mod_revision)


def _dump(obj: Obj) -> bytes:
    return orjson.dumps(obj)


def _status_writes(api: APIServer, informer: _Informer, owned: bool) -> list[bytes]:
    """Kubelet-style status writes from the informer's pod; what each returned."""
    client = LocalClient(api, field_manager="kubelet")
    api.create("pods", pod("p", app="web"), namespace="default", field_manager="kubectl")
    out = []
    for i in range(4):
        cached = informer.objs["p"]
        written = client.update_status("pods", {**cached, "status": _status(i)}, owned=owned)
        out.append(_dump(written))
    return out


def test_owned_status_writes_give_what_copied_ones_do() -> None:
    (copied, inf_c), (owned, inf_o) = _server(), _server()
    assert _status_writes(copied, inf_c, False) == _status_writes(owned, inf_o, True)
    assert [(e.type, _dump(e.object)) for e in inf_c.events] == \
        [(e.type, _dump(e.object)) for e in inf_o.events]
    assert [kv.value for kv in copied.store.range("/registry/")[0]] == \
        [kv.value for kv in owned.store.range("/registry/")[0]]


def test_watchers_get_the_hinted_object_as_a_decode_would_build_it() -> None:
    api, informer = _server(check=True)  # check mode also compares hints with their bytes
    client = LocalClient(api, field_manager="kubelet")
    api.create("pods", pod("p"), namespace="default")
    written = client.update_status("pods", {**informer.objs["p"], "status": _status(1)},
                                   owned=True)
    shared = informer.events[-1].object
    assert shared["status"] is written["status"]  # the hint, not a decode
    assert _dump(shared) == _dump(_stored(api, "p"))  # same keys, same order


def test_an_owned_update_reads_the_shared_old_object(monkeypatch: pytest.MonkeyPatch) -> None:
    api, informer = _server()
    client = LocalClient(api, field_manager="kubelet")
    api.create("pods", pod("p"), namespace="default")
    client.update_status("pods", {**informer.objs["p"], "status": _status(0)}, owned=True)
    decodes = []
    real = meta.decode
    monkeypatch.setattr(meta, "decode", lambda v, r: decodes.append(r) or real(v, r))
    client.update_status("pods", {**informer.objs["p"], "status": _status(1)}, owned=True)
    assert decodes == []  # neither the old object nor the watchers' one was decoded
    client.update_status("pods", {**informer.objs["p"], "status": _status(2)})
    assert len(decodes) == 2  # not owned: the old object and the watchers' one


def test_an_owned_update_leaves_the_cached_pod_and_the_status_alone() -> None:
    api, informer = _server(check=True)
    client = LocalClient(api, field_manager="kubelet")
    api.create("pods", pod("p"), namespace="default")
    cached = informer.objs["p"]
    before = _dump(cached)
    status = _status(3)
    status.pop("podIP")  # the server mirrors podIPs into podIP: in its own copy
    status["podIPs"] = [{"ip": "10.244.0.5"}]
    sent = copy.deepcopy(status)
    written = client.update_status("pods", {**cached, "status": status}, owned=True)
    assert _dump(cached) == before
    assert status == sent
    assert written["status"]["podIP"] == "10.244.0.5"
    api.close()  # check mode: nothing shared was mutated


def test_bind_reuses_the_shared_pod_and_hands_the_bound_one_over() -> None:
    (plain, inf_p), (held, inf_h) = _server(check=True), _server(check=True)
    for api, informer in ((plain, inf_p), (held, inf_h)):
        api.create("pods", pod("p"), namespace="default")
        if api is held:  # an update makes the watch cache hold the pod
            api.update("pods", {**informer.objs["p"], "status": _status(0)},
                       subresource="status")
        else:
            api.update("pods", {**informer.objs["p"], "status": _status(0)},
                       subresource="status", owned=False)
            api.cache._latest.clear()  # noqa: SLF001 - force the decoding path
    cached = inf_h.objs["p"]
    before = _dump(cached)
    bound_p = plain.bind("p", "n1", namespace="default", annotations={"a": "b"})
    bound_h = held.bind("p", "n1", namespace="default", annotations={"a": "b"})
    assert _dump(bound_p) == _dump(bound_h)
    assert _dump(cached) == before  # the copy-on-write left the shared pod alone
    assert inf_h.events[-1].object["spec"] is bound_h["spec"]
    assert _dump(inf_h.events[-1].object) == _dump(_stored(held, "p"))
    assert _dump(inf_p.events[-1].object) == _dump(inf_h.events[-1].object)
    plain.close()
    held.close()


def test_check_mode_names_a_mutated_shared_object() -> None:
    api, informer = _server(check=True)
    client = LocalClient(api, field_manager="kubelet")
    api.create("pods", pod("p"), namespace="default")
    client.update_status("pods", {**informer.objs["p"], "status": _status(0)}, owned=True)
    informer.objs["p"]["spec"]["nodeName"] = "oops"  # an informer's object changed in place
    with pytest.raises(SharedObjectMutated, match="/registry/pods/default/p"):
        client.update_status("pods", {**informer.objs["p"], "status": _status(1)}, owned=True)


def test_check_mode_reports_at_close() -> None:
    api, informer = _server(check=True)
    api.create("pods", pod("p"), namespace="default")
    informer.objs["p"]["metadata"]["labels"] = {"changed": "yes"}
    with pytest.raises(SharedObjectMutated, match="/registry/pods/default/p"):
        api.close()


def test_check_mode_refuses_a_hint_that_is_not_what_is_stored() -> None:
    api, _ = _server(check=True)
    obj = {"metadata": {"name": "x"}, "spec": {"list": (1, 2)}}
    with pytest.raises(SharedObjectMutated, match="/registry/x"):
        api.cache.hint("/registry/x", orjson.dumps(obj), obj)  # a tuple decodes as a list


def test_a_failed_write_drops_its_hint() -> None:
    api, informer = _server()
    client = LocalClient(api, field_manager="kubelet")
    api.create("pods", pod("p"), namespace="default")
    stale = {**informer.objs["p"], "status": _status(0)}
    client.update_status("pods", {**informer.objs["p"], "status": _status(1)}, owned=True)
    with pytest.raises(Exception, match="modified"):
        client.update_status("pods", stale, owned=True)
    assert api.cache._hints == {}  # noqa: SLF001


class _Unowned:
    """A client that drops ``owned``: the copying path, for comparison."""

    def __init__(self, client: LocalClient) -> None:
        self._client = client
        self.clock = client.clock

    def create(self, resource: str, obj: Obj, *, owned: bool = False, **opts: object) -> Obj:
        return self._client.create(resource, obj, **opts)


def test_recorded_events_match_the_copying_path() -> None:
    results = []
    for wrap in (False, True):
        api, _ = _server()
        events = _Informer(api, "events")
        client = LocalClient(api, field_manager="kubelet")
        recorder = EventRecorder(_Unowned(client) if wrap else client, "kubelet", "node-1")
        target = api.create("pods", pod("p"), namespace="default")
        for i in range(3):  # same nanosecond: the recorder retries past taken names
            recorder.event(target, "Normal", "Pulled", f"pulled {i}")
        results.append([_dump(e.object) for e in events.events])
    assert results[0] == results[1] and len(results[0]) == 3


def test_an_update_checks_its_schema_against_the_stored_object_with_the_same_result() -> None:
    """update() reads the stored object before the schema check (validate_schema(old=)):
    warnings and errors are those of a check without it, in the same order."""
    api, informer = _server()
    api.create("pods", pod("p"), namespace="default")
    body = copy.deepcopy(informer.objs["p"])
    body["spec"]["containers"][0]["bogus"] = 1
    warnings: list[str] = []
    api.update("pods", body, warnings=warnings)
    assert warnings == ['unknown field "spec.containers[0].bogus"']
    bad = copy.deepcopy(informer.objs["p"])
    bad["spec"]["containers"][0]["image"] = 5
    bad["metadata"]["namespace"] = "elsewhere"
    with pytest.raises(Exception, match="cannot be handled as a Pod"):  # 400 before the 400
        api.update("pods", bad, namespace="default")  # of the namespace mismatch


class _NoLatest(dict):
    """A watch cache that holds no latest objects: every change decodes."""

    def __setitem__(self, key: str, value: object) -> None:
        pass


def test_deletions_and_selector_watches_read_the_held_object(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    for hold in (False, True):
        api, informer = _server(check=True)
        if not hold:
            api.cache._latest = _NoLatest()  # noqa: SLF001
        selected = api.watch("pods", "default", label_selector="app=web")
        api.create("pods", pod("p", app="web"), namespace="default")
        relabelled = copy.deepcopy(informer.objs["p"])
        relabelled["metadata"]["labels"] = {"app": "db"}  # leaves the selector: DELETED
        api.update("pods", relabelled)
        decodes: list[int] = []
        real = meta.decode

        def counting(v: bytes, r: int, decodes: list[int] = decodes, real=real) -> Obj:  # noqa: ANN001
            decodes.append(r)
            return real(v, r)

        monkeypatch.setattr(meta, "decode", counting)
        api.delete("pods", "p", namespace="default", grace_period_seconds=0)
        monkeypatch.setattr(meta, "decode", real)
        # delete() reads the pod itself; only the watchers' copy comes from the cache
        assert len(decodes) == (1 if hold else 2)
        seen.append(([(e.type, _dump(e.object)) for e in informer.events],
                     [(e.type, _dump(e.object)) for e in selected.drain()]))
        api.close()
    assert seen[0] == seen[1]
    assert [t for t, _ in seen[1][0]] == ["ADDED", "MODIFIED", "DELETED"]
    assert [t for t, _ in seen[1][1]] == ["ADDED", "DELETED"]
