"""The informer cache (thread_safe_store + index) and listers over it."""

from __future__ import annotations

import pytest

from engine.runtime.indexer import NAMESPACE_INDEX, Indexer, meta_namespace_index_func
from engine.runtime.keys import (
    DeletedFinalStateUnknown,
    deletion_handling_key,
    meta_namespace_key,
    split_meta_namespace_key,
)
from engine.runtime.lister import Lister


def pod(name: str, ns: str = "default", node: str = "", **labels: str) -> dict:
    return {
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {"nodeName": node},
    }


def by_node(obj: dict) -> list[str]:
    node = obj["spec"].get("nodeName")
    return [node] if node else []


def make() -> Indexer:
    return Indexer(indexers={NAMESPACE_INDEX: meta_namespace_index_func, "node": by_node})


def names(objs: list[dict]) -> list[str]:
    return [o["metadata"]["name"] for o in objs]


def test_keys() -> None:
    assert meta_namespace_key(pod("a", "ns")) == "ns/a"
    assert meta_namespace_key({"metadata": {"name": "n1"}}) == "n1"
    assert split_meta_namespace_key("ns/a") == ("ns", "a")
    assert split_meta_namespace_key("n1") == ("", "n1")
    assert deletion_handling_key(DeletedFinalStateUnknown("ns/a", {})) == "ns/a"
    with pytest.raises(ValueError):
        split_meta_namespace_key("a/b/c")


def test_indices_follow_add_update_delete() -> None:
    idx = make()
    idx.add(pod("a", node="n1"))
    idx.add(pod("b", node="n1"))
    idx.add(pod("c", "other", node="n2"))
    assert names(idx.by_index("node", "n1")) == ["a", "b"]
    assert names(idx.by_index(NAMESPACE_INDEX, "other")) == ["c"]
    idx.update(pod("a", node="n2"))
    assert names(idx.by_index("node", "n1")) == ["b"]
    assert names(idx.by_index("node", "n2")) == ["c", "a"]
    idx.delete(pod("b"))
    assert idx.by_index("node", "n1") == []
    assert sorted(idx.list_index_func_values("node")) == ["n2"]
    assert idx.index_keys("node", "n2") == ["other/c", "default/a"]
    assert names(idx.index("node", pod("x", node="n2"))) == ["c", "a"]
    with pytest.raises(KeyError):
        idx.by_index("nope", "x")


def test_replace_rebuilds_contents_and_indices() -> None:
    idx = make()
    idx.add(pod("old", node="n1"))
    idx.replace([pod("a", node="n2"), pod("b")], "42")
    assert idx.list_keys() == ["default/a", "default/b"]
    assert idx.by_index("node", "n1") == []
    assert idx.resource_version == "42"


def test_indexers_added_later_index_existing_objects() -> None:
    idx = Indexer()
    idx.add(pod("a", node="n1"))
    idx.add_indexers({"node": by_node})
    assert names(idx.by_index("node", "n1")) == ["a"]


def test_lister_queries() -> None:
    idx = make()
    for obj in (
        pod("a", app="web"),
        pod("b", app="db"),
        pod("c", "other", app="web"),
        {"metadata": {"name": "nolabels", "namespace": "default"}, "spec": {}},
    ):
        idx.add(obj)
    lister = Lister(idx)
    assert names(lister.list()) == ["a", "b", "c", "nolabels"]
    assert names(lister.list("default")) == ["a", "b", "nolabels"]
    assert names(lister.list(selector="app=web")) == ["a", "c"]
    assert names(lister.list("default", selector="app in (web,db)")) == ["a", "b"]
    assert names(lister.list(selector={"matchLabels": {"app": "db"}})) == ["b"]
    assert names(lister.list(selector="!app")) == ["nolabels"]
    assert names(lister.list(selector="")) == ["a", "b", "c", "nolabels"]
    assert lister.get("default", "a")["metadata"]["name"] == "a"
    assert lister.get("default", "missing") is None
    assert names(lister.namespaced("other").list()) == ["c"]
    assert lister.namespaced("other").get("c") is not None


def test_lister_accepts_any_matcher_and_cluster_scoped_gets() -> None:
    class OnlyA:
        def matches(self, labels: dict) -> bool:
            return labels.get("x") == "a"

    idx = Indexer()
    idx.add({"metadata": {"name": "n1", "labels": {"x": "a"}}})
    idx.add({"metadata": {"name": "n2"}})
    lister = Lister(idx)
    assert names(lister.list(selector=OnlyA())) == ["n1"]
    assert lister.get(None, "n2") is not None
    assert lister.get("", "n1") is not None
    assert names(lister.list("")) == ["n1", "n2"]
