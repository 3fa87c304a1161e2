"""Listers: read-only queries over an informer's cache.

Upstream: k8s.io/client-go ``tools/cache/listers.go`` (``ListAll``,
``ListAllByNamespace``) and the generated ``listers/<group>/<version>``
(``Pods(ns).Get(name)``). Controllers read the world through listers, never
through the API server, so a reconcile costs no request and sees one
consistent cache. Returned objects are the cache's own: copy
(``engine.api.meta.deep_copy``) before changing one.

A selector is a label selector string (``"app=web,tier!=db"``), a
``metav1.LabelSelector`` dict (``{"matchLabels": ...}``), or anything with a
``matches(labels)`` method.
"""

from __future__ import annotations

from typing import Any, Protocol

from engine.runtime.indexer import NAMESPACE_INDEX, Indexer

Obj = dict[str, Any]


class LabelMatcher(Protocol):
    def matches(self, labels: dict[str, str]) -> bool: ...


Selector = str | dict[str, Any] | LabelMatcher | None


def as_label_selector(selector: Selector) -> LabelMatcher | None:
    """A matcher for ``selector``; None when it selects everything."""
    if selector is None:
        return None
    if isinstance(selector, str):
        from engine.api.selectors import parse_label_selector

        selector = parse_label_selector(selector)
    elif isinstance(selector, dict):
        from engine.api.selectors import label_selector_from_dict

        selector = label_selector_from_dict(selector)
    empty = getattr(selector, "empty", None)
    if empty is not None and empty():
        return None
    return selector


class Lister:
    """Queries over one informer's indexer."""

    def __init__(self, indexer: Indexer) -> None:
        self.indexer = indexer

    def list(self, namespace: str | None = None, selector: Selector = None) -> list[Obj]:
        """Objects in ``namespace`` (all namespaces when None) matching ``selector``."""
        objs = self._in_namespace(namespace) if namespace else self.indexer.list()
        matcher = as_label_selector(selector)
        if matcher is None:
            return objs
        return [o for o in objs if matcher.matches(o["metadata"].get("labels") or {})]

    def get(self, namespace: str | None, name: str) -> Obj | None:
        """The object, or None; ``namespace`` is "" or None for cluster-scoped kinds."""
        return self.indexer.get_by_key(f"{namespace}/{name}" if namespace else name)

    def get_by_key(self, key: str) -> Obj | None:
        return self.indexer.get_by_key(key)

    def by_index(self, index_name: str, value: str) -> list[Obj]:
        """Objects filed under ``value`` by the informer's ``index_name`` index."""
        return self.indexer.by_index(index_name, value)

    def namespaced(self, namespace: str) -> NamespaceLister:
        """``Pods(ns)``: the same queries pinned to one namespace."""
        return NamespaceLister(self, namespace)

    def _in_namespace(self, namespace: str) -> list[Obj]:
        if self.indexer.has_index(NAMESPACE_INDEX):
            return self.indexer.by_index(NAMESPACE_INDEX, namespace)
        return [o for o in self.indexer.list() if o["metadata"].get("namespace") == namespace]


class NamespaceLister:
    """A lister bound to one namespace (upstream's ``PodNamespaceLister``)."""

    def __init__(self, lister: Lister, namespace: str) -> None:
        self.lister = lister
        self.namespace = namespace

    def list(self, selector: Selector = None) -> list[Obj]:
        return self.lister.list(self.namespace, selector)

    def get(self, name: str) -> Obj | None:
        return self.lister.get(self.namespace, name)
