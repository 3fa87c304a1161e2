"""What controllers ask of each pod on every sync, computed once per pod version.

A ReplicaSet with 10,000 pods is synced many times while its pods start;
each sync asks of every pod: is it active, ready (since when), whose is it,
does the selector match its labels. Informer objects are immutable (an
update replaces the object), so the answers are kept per pod key and
recomputed only when the cached object is no longer the informer's.
Upstream recomputes them (in Go) on every sync; the results are the same.
"""

from __future__ import annotations

from typing import Any

from engine.controllers.util.owners import controller_of
from engine.controllers.util.pods import is_pod_active, ready_condition
from engine.controllers.util.timeutil import parse_time
from engine.runtime.keys import meta_namespace_key

Obj = dict[str, Any]


class Fact:
    """One pod version's answers; selector matches are remembered per selector."""

    __slots__ = ("pod", "active", "ready", "ready_since", "owner_uid", "labels",
                 "_sel", "_sel_match", "_tsel", "_tsel_match")

    def __init__(self, pod: Obj) -> None:
        self.pod = pod
        m = pod["metadata"]
        self.active = is_pod_active(pod)
        cond = ready_condition(pod)
        self.ready = cond is not None and cond.get("status") == "True"
        self.ready_since = parse_time(cond.get("lastTransitionTime")) if self.ready else None
        ref = controller_of(pod)
        self.owner_uid = ref.get("uid") if ref is not None else None
        self.labels = m.get("labels") or {}
        self._sel: Any = None
        self._sel_match = False
        self._tsel: Any = None
        self._tsel_match = False

    def matches(self, selector: Any) -> bool:
        """``selector.matches(labels)``, remembered for the last selector asked."""
        if selector is not self._sel:
            self._sel, self._sel_match = selector, selector.matches(self.labels)
        return self._sel_match

    def fully_labeled(self, template_selector: Any) -> bool:
        """The template's labels match (a second cache, for ``fullyLabeledReplicas``)."""
        if template_selector is not self._tsel:
            self._tsel = template_selector
            self._tsel_match = template_selector.matches(self.labels)
        return self._tsel_match

    def available(self, min_ready_seconds: int, now: float) -> bool:
        """``IsPodAvailable``."""
        if not self.ready:
            return False
        if not min_ready_seconds:
            return True
        return self.ready_since is not None and self.ready_since + min_ready_seconds < now


class PodFacts:
    """Facts per pod key; call :meth:`forget` when a pod leaves the informer."""

    def __init__(self) -> None:
        self._facts: dict[str, Fact] = {}

    def get(self, pod: Obj, key: str | None = None) -> Fact:
        if key is None:
            key = meta_namespace_key(pod)
        fact = self._facts.get(key)
        if fact is None or fact.pod is not pod:
            fact = self._facts[key] = Fact(pod)
        return fact

    def of_keys(self, indexer: Any, keys: list[str]) -> list[Fact]:
        """Facts of the indexer's objects under ``keys`` (no key is recomputed)."""
        facts, cached, get = self._facts, self._facts.get, indexer.get_by_key
        out = []
        for key in keys:
            pod = get(key)
            if pod is None:
                continue
            fact = cached(key)
            if fact is None or fact.pod is not pod:
                fact = facts[key] = Fact(pod)
            out.append(fact)
        return out

    def forget(self, pod: Obj) -> None:
        self._facts.pop(meta_namespace_key(pod), None)
