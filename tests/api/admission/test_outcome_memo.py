"""Pod creates from one template reuse the admission outcome (outcome.py):
the results are those of running every plugin, a change to anything the
plugins read misses, quota is charged per pod, and no two pods share a subtree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from engine.api import errors, meta
from engine.api.admission import outcome
from engine.api.server import APIServer
from engine.clock import VirtualClock
from engine.store import Store
from tests.helpers import pod


def _server(memo: bool, monkeypatch: pytest.MonkeyPatch) -> APIServer:
    if not memo:
        monkeypatch.setattr(outcome, "memoable", lambda admit, validate: False)
    api = APIServer(Store(), VirtualClock(), identity=meta.IdentitySource(seed=7))
    api.create("namespaces", {"metadata": {"name": "default"}})
    api.create("pods", pod("warm"), namespace="default")  # routes the chain now
    return api


@pytest.fixture
def pair(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[APIServer, APIServer]]:
    plain = _server(False, monkeypatch)
    monkeypatch.undo()
    memo = _server(True, monkeypatch)
    yield plain, memo
    plain.close()
    memo.close()


def _template(name: str) -> dict[str, Any]:
    obj = pod(name, app="web")
    obj["metadata"]["annotations"] = {"note": "x"}
    obj["spec"]["containers"].append({"name": "side", "image": "busybox"})
    return obj


def _both(pair: tuple[APIServer, APIServer], method: str, *args: Any, **kw: Any) -> list[Any]:
    results = []
    for api in pair:
        try:
            results.append(orjson.dumps(getattr(api, method)(*args, **kw)))
        except errors.StatusError as err:
            results.append(repr(err.status))
    assert results[0] == results[1]
    return results


def _hits(api: APIServer) -> int:
    return len(api.admission._outcomes._table)


def test_creates_match_running_every_plugin(pair: tuple[APIServer, APIServer]) -> None:
    plain, memo = pair
    for i in range(4):
        _both(pair, "create", "pods", _template(f"p{i}"), namespace="default")
    generated = _template("")
    del generated["metadata"]["name"]
    generated["metadata"]["generateName"] = "web-"
    for _ in range(3):
        _both(pair, "create", "pods", generated, namespace="default")
    assert _hits(memo) >= 1
    a, b = (api.get("pods", "p3", "default") for api in pair)
    assert a == b
    volumes = {api.get("pods", f"p{i}", "default")["spec"]["volumes"][0]["name"]
               for api in pair for i in range(4)}
    assert len(volumes) == 4  # a name drawn per pod, the same draws in both


def test_changed_objects_the_plugins_read_miss(pair: tuple[APIServer, APIServer]) -> None:
    n = 0

    def create(miss: bool = True) -> None:
        nonlocal n
        n += 1
        before = _hits(pair[1])
        _both(pair, "create", "pods", _template(f"p{n}"), namespace="default")
        assert _hits(pair[1]) == before + miss  # a miss remembers a new outcome

    create()
    create(miss=False)
    _both(pair, "create", "limitranges", {"metadata": {"name": "lr"}, "spec": {"limits": [
        {"type": "Container", "default": {"cpu": "300m"}, "defaultRequest": {"cpu": "200m"}}]}},
        namespace="default")
    create()
    created = pair[1].get("pods", f"p{n}", "default")
    assert created["spec"]["containers"][0]["resources"]["limits"] == {"cpu": "300m"}
    assert "kubernetes.io/limit-ranger" in created["metadata"]["annotations"]
    _both(pair, "create", "serviceaccounts",
          {"metadata": {"name": "default"}, "automountServiceAccountToken": False},
          namespace="default")
    create()
    assert "volumes" not in pair[1].get("pods", f"p{n}", "default")["spec"]
    _both(pair, "create", "priorityclasses", {"apiVersion": "scheduling.k8s.io/v1",
          "kind": "PriorityClass", "metadata": {"name": "high"}, "value": 1000,
          "globalDefault": True})
    create()
    assert pair[1].get("pods", f"p{n}", "default")["spec"]["priority"] == 1000
    # A LimitRange maximum the template now breaks: refused, as without the memo.
    _both(pair, "create", "limitranges", {"metadata": {"name": "max"}, "spec": {"limits": [
        {"type": "Container", "max": {"cpu": "250m"}}]}}, namespace="default")
    with pytest.raises(errors.StatusError):
        pair[1].create("pods", _template("refused"), namespace="default")
    # The mutating phase passed and is remembered; the validating phase that
    # refused is not, so it runs (and refuses) again.
    create(miss=False)
    assert isinstance(_both(pair, "create", "pods", _template("again"),
                            namespace="default")[1], str)


def test_quota_is_charged_for_every_pod(pair: tuple[APIServer, APIServer]) -> None:
    _both(pair, "create", "resourcequotas",
          {"metadata": {"name": "q"}, "spec": {"hard": {"pods": "3"}}}, namespace="default")
    outcomes = [_both(pair, "create", "pods", _template(f"p{i}"), namespace="default")[1]
                for i in range(5)]
    assert _hits(pair[1]) >= 1
    refused = [o for o in outcomes if isinstance(o, str)]
    assert refused and all("exceeded quota: q" in o for o in refused)
    assert len(refused) < 5
    _both(pair, "get", "resourcequotas", "q", "default")


def test_pods_share_no_subtree(api: APIServer) -> None:
    first = api.create("pods", _template("a"), namespace="default")
    second = api.create("pods", _template("b"), namespace="default")
    third = api.create("pods", _template("c"), namespace="default")
    assert len(api.admission._outcomes._table) >= 1
    for x, y in ((first, second), (second, third), (first, third)):
        assert x["spec"] is not y["spec"]
        assert x["metadata"]["annotations"] is not y["metadata"]["annotations"]
        for cx, cy in zip(x["spec"]["containers"], y["spec"]["containers"], strict=True):
            assert cx is not cy and cx["volumeMounts"] is not cy["volumeMounts"]
        assert x["spec"]["tolerations"] is not y["spec"]["tolerations"]
    third["spec"]["tolerations"].clear()
    fourth = api.create("pods", _template("d"), namespace="default")
    assert len(fourth["spec"]["tolerations"]) == 2


def test_a_refused_create_is_not_remembered(api: APIServer) -> None:
    api.create("serviceaccounts", {"metadata": {"name": "other"}}, namespace="default")
    for name in ("a", "b"):
        obj = pod(name)
        obj["spec"]["serviceAccountName"] = "missing"
        with pytest.raises(errors.StatusError, match="serviceaccount \"missing\" not found"):
            api.create("pods", obj, namespace="default")
    assert len(api.admission._outcomes._table) == 0
