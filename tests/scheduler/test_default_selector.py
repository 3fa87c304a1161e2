"""Scheduler.default_selector remembered per workload, against computing it.

Randomized services and controllers come, change and go while pods of a few
label sets ask for their default selector; the remembered answer must be
the one computed from the current objects every time.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from engine.scheduler.scheduler import Scheduler, _default_selector

Obj = dict[str, Any]


class _Indexer:
    def __init__(self) -> None:
        self.items: dict[str, Obj] = {}

    def by_index(self, name: str, ns: str) -> list[Obj]:
        return [o for k, o in self.items.items() if k.startswith(ns + "/")]

    def get_by_key(self, key: str) -> Obj | None:
        return self.items.get(key)


class _Handle:
    """What default_selector reads of the scheduler."""

    def __init__(self) -> None:
        self.indexers = {name: _Indexer() for name in ("services", "rcs", "replicasets",
                                                       "statefulsets")}
        self._selectors: dict = {}

    def lister(self, name: str) -> _Indexer:
        return self.indexers[name]

    def get(self, name: str, namespace: str, obj_name: str) -> Obj | None:
        return self.indexers[name].get_by_key(f"{namespace}/{obj_name}")


def _selector(rng: random.Random) -> dict[str, str]:
    return {k: rng.choice(["a", "b"]) for k in rng.sample(["app", "tier", "x"],
                                                            rng.randrange(1, 3))}


@pytest.mark.parametrize("seed", range(30))
def test_remembered_default_selector_is_the_computed_one(seed: int) -> None:
    rng = random.Random(seed)
    handle = _Handle()
    kinds = ["ReplicaSet", "StatefulSet", "ReplicationController", "Job"]
    listers = {"ReplicaSet": "replicasets", "StatefulSet": "statefulsets",
               "ReplicationController": "rcs"}
    for _ in range(200):
        roll = rng.random()
        ns = rng.choice(["default", "other"])
        name = f"o{rng.randrange(3)}"
        if roll < 0.15:  # a service comes or changes (a new object, as informers give)
            handle.indexers["services"].items[f"{ns}/{name}"] = {
                "metadata": {"name": name, "namespace": ns},
                "spec": {"selector": _selector(rng)}}
        elif roll < 0.2:
            handle.indexers["services"].items.pop(f"{ns}/{name}", None)
        elif roll < 0.35:
            lister = rng.choice(list(listers.values()))
            spec: Obj = {"selector": _selector(rng)} if lister == "rcs" else {
                "selector": {"matchLabels": _selector(rng), "matchExpressions": [
                    {"key": "x", "operator": "Exists"}] if rng.random() < 0.3 else []}}
            handle.indexers[lister].items[f"{ns}/{name}"] = {
                "metadata": {"name": name, "namespace": ns}, "spec": spec}
        elif roll < 0.4:
            handle.indexers[rng.choice(list(listers.values()))].items.pop(f"{ns}/{name}", None)
        kind = rng.choice(kinds)
        meta: Obj = {"namespace": ns, "labels": _selector(rng)}
        if rng.random() < 0.8:
            meta["ownerReferences"] = [{"kind": kind, "name": name, "controller": True}]
        pod = {"metadata": meta}
        got = Scheduler.default_selector(handle, pod)  # type: ignore[arg-type]
        owner = kind if "ownerReferences" in meta else None
        found = handle.get(listers[kind], ns, name) if owner in listers else None
        want = _default_selector(meta["labels"], handle.lister("services").by_index(
            "namespace", ns), owner, found)
        assert (got is None) == (want is None)
        if want is not None:
            assert got.signature() == want.signature()
