"""The disruption controller: keeps every PodDisruptionBudget's status.

Upstream: ``pkg/controller/disruption/disruption.go`` (``sync`` /
``trySync``: the budget's pods by selector - a nil selector selects none,
an empty one all pods of the namespace -, the expected and desired
counts, healthy pods, ``updatePdbStatus``; ``failSafe`` on errors:
no disruptions, condition reason SyncFailed; events ``NoPods`` and
``CalculateExpectedPodCountFailed``). Pods queue the budgets that select
them. The eviction subresource (``engine/rest/eviction.py``) reads this
status and requires ``observedGeneration`` to be current.
"""

from __future__ import annotations

import copy
from typing import Any

from engine.api.selectors import SelectorError, try_label_selector_from_dict
from engine.controllers.disruption import status as st
from engine.controllers.disruption.scale import KINDS, ScaleError, ScaleFinder
from engine.events.recorder import EventRecorder
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key

Obj = dict[str, Any]
COMPONENT = "controllermanager"


class DisruptionController(Controller):
    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        super().__init__(client.clock, name="disruption")
        self.client = client
        self.recorder = EventRecorder(client, COMPONENT)
        pdbs = factory.informer_for("poddisruptionbudgets")
        pods = factory.informer_for("pods")
        self.pdbs, self.pods = pdbs.lister(), pods.lister()
        self.watch(pdbs)
        self.watch(pods, self._budgets_for)
        listers = {}
        for resource in KINDS.values():
            informer = factory.informer_for(resource)
            listers[resource] = informer.lister()
            self.watch(informer, self._budgets_in_namespace)
        self.finder = ScaleFinder(listers)

    # -- event mapping ---------------------------------------------------------------
    def _budgets_for(self, pod: Obj) -> list[str]:
        if not len(self.pdbs.indexer):
            return []  # no budget anywhere (most clusters): none selects the pod
        ns = pod["metadata"].get("namespace", "")
        labels = pod["metadata"].get("labels") or {}
        return [f"{ns}/{p['metadata']['name']}" for p in self.pdbs.list(ns)
                if (sel := selector_of(p)) is not None and sel.matches(labels)]

    def _budgets_in_namespace(self, obj: Obj) -> list[str]:
        if not len(self.pdbs.indexer):
            return []
        ns = obj["metadata"].get("namespace", "")
        return [f"{ns}/{p['metadata']['name']}" for p in self.pdbs.list(ns)]

    # -- sync ------------------------------------------------------------------------
    async def reconcile(self, key: str) -> float | None:
        ns, name = split_meta_namespace_key(key)
        pdb = self.pdbs.get(ns, name)
        if pdb is None:
            return None
        selector = selector_of(pdb)
        pods = [] if selector is None else [
            p for p in self.pods.list(ns) if selector.matches(p["metadata"].get("labels") or {})]
        if not pods:
            self.recorder.event(pdb, "Normal", "NoPods", "No matching pods found")
        try:
            expected, desired = st.expected_counts(pdb, pods, self.finder)
        except ScaleError as err:
            self.recorder.event(pdb, "Warning", "CalculateExpectedPodCountFailed",
                                f"Failed to calculate the number of expected pods: {err}")
            self._fail_safe(pdb, str(err))
            return None
        now = self.clock.now()
        disrupted, recheck = st.disrupted_pods(pdb, pods, now)
        healthy = st.count_healthy(pods, disrupted)
        allowed = healthy - desired if expected > 0 and healthy - desired > 0 else 0
        self._write(pdb, {"disruptedPods": disrupted, "disruptionsAllowed": allowed,
                          "currentHealthy": healthy, "desiredHealthy": desired,
                          "expectedPods": expected}, allowed)
        return recheck

    def _write(self, pdb: Obj, fields: Obj, allowed: int) -> None:
        """``updatePdbStatus``: only when something changed."""
        generation = pdb["metadata"].get("generation", 0)
        old = pdb.get("status") or {}
        cond = st.allowed_condition(old, allowed, generation, self.clock.rfc3339())
        status = {**fields, "observedGeneration": generation, "conditions": [cond]}
        if not status["disruptedPods"]:
            status.pop("disruptedPods")
        self._update(pdb, status)

    def _fail_safe(self, pdb: Obj, message: str) -> None:
        generation = pdb["metadata"].get("generation", 0)
        old = pdb.get("status") or {}
        status = {**old, "disruptionsAllowed": 0, "observedGeneration": generation,
                  "conditions": [st.failed_condition(old, message, generation,
                                                     self.clock.rfc3339())]}
        self._update(pdb, status)

    def _update(self, pdb: Obj, status: Obj) -> None:
        if _same(pdb.get("status") or {}, status):
            return
        new = copy.deepcopy(pdb)
        new["status"] = status
        self.client.update_status("poddisruptionbudgets", new)


def _same(old: Obj, new: Obj) -> bool:
    def strip(s: Obj) -> Obj:
        out = dict(s)
        out["conditions"] = [{k: v for k, v in c.items() if k != "lastTransitionTime"}
                             for c in s.get("conditions") or ()]
        out.setdefault("disruptedPods", {})
        return out
    return strip(old) == strip(new)


def selector_of(pdb: Obj) -> Any:
    """The budget's selector; None selects nothing (policy/v1)."""
    raw = (pdb.get("spec") or {}).get("selector")
    if raw is None:
        return None
    try:
        return try_label_selector_from_dict(raw)
    except SelectorError:
        return None
