"""With no PodDisruptionBudget in the cluster, a pod (or scale target) event
maps to no budget without listing any: random budgets (none, one, several)
and pods must map to exactly what the plain lookups give."""

from __future__ import annotations

import random
from typing import Any

import pytest

from engine.controllers.disruption import controller as dc
from engine.runtime.indexer import NAMESPACE_INDEX, Indexer, meta_namespace_index_func
from engine.runtime.lister import Lister

Obj = dict[str, Any]


def _plain_for(ctrl: Any, pod: Obj) -> list[str]:
    ns = pod["metadata"].get("namespace", "")
    labels = pod["metadata"].get("labels") or {}
    return [f"{ns}/{p['metadata']['name']}" for p in ctrl.pdbs.list(ns)
            if (sel := dc.selector_of(p)) is not None and sel.matches(labels)]


def _plain_in_namespace(ctrl: Any, obj: Obj) -> list[str]:
    ns = obj["metadata"].get("namespace", "")
    return [f"{ns}/{p['metadata']['name']}" for p in ctrl.pdbs.list(ns)]


@pytest.mark.parametrize("seed", range(5))
def test_budget_lookups_match_the_plain_ones(seed: int) -> None:
    rng = random.Random(seed)
    found = 0
    for _ in range(200):
        indexer = Indexer(indexers={NAMESPACE_INDEX: meta_namespace_index_func})
        for i in range(rng.choice([0, 0, 1, 3])):
            selector = rng.choice([None, {}, {"matchLabels": {"app": rng.choice("ab")}}])
            spec = {} if selector is None else {"selector": selector}
            indexer.add({"metadata": {"name": f"b{i}", "namespace": rng.choice(["x", "y"])},
                         "spec": spec})
        ctrl = object.__new__(dc.DisruptionController)
        ctrl.pdbs = Lister(indexer)
        pod = {"metadata": {"name": "p", "namespace": rng.choice(["x", "y"]),
                            "labels": {"app": rng.choice("ab")}}}
        assert ctrl._budgets_for(pod) == _plain_for(ctrl, pod)
        assert ctrl._budgets_in_namespace(pod) == _plain_in_namespace(ctrl, pod)
        found += bool(_plain_for(ctrl, pod))
    assert found > 10
