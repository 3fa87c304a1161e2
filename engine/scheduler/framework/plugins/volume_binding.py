"""VolumeBinding: the pod's PersistentVolumeClaims must be usable on the node.

Upstream: ``pkg/scheduler/framework/plugins/volumebinding/volume_binding.go``
and ``binder.go``:

* PreFilter: Skip without PVCs; a missing, lost or deleting claim is
  UnschedulableAndUnresolvable with its error text; an unbound claim of an
  ``Immediate`` class makes the pod wait for the PV controller
  (``pod has unbound immediate PersistentVolumeClaims``);
* Filter: a bound claim's PV node affinity must match the node
  (``node(s) had volume node affinity conflict``); an unbound
  ``WaitForFirstConsumer`` claim needs an available PV that fits on the
  node, or a class that can provision
  (``node(s) didn't find available persistent volumes to bind``);
* PreBind: a matched PV gets the claim as its ``claimRef``; a claim to
  provision gets ``volume.kubernetes.io/selected-node``. Upstream then waits
  for the PV controller to finish the binding; k9py has no PV controller,
  so the pod is bound right away.
"""

from __future__ import annotations

import contextlib
from typing import Any

from engine.api import errors, patch
from engine.scheduler.framework.interface import (
    CycleState,
    FilterPlugin,
    PreBindPlugin,
    PreFilterPlugin,
    ReservePlugin,
)
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.resources import int_value
from engine.scheduler.framework.selectors import NodeSelector
from engine.scheduler.framework.types import SKIP, Status, unresolvable
from engine.scheduler.queue import events as ev

ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
ERR_NODE_CONFLICT = "node(s) had volume node affinity conflict"
ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
NO_PROVISIONER = "kubernetes.io/no-provisioner"
STATE_KEY = "PreFilter" + names.VOLUME_BINDING

Obj = dict[str, Any]


def claim_names(pod: Obj) -> list[tuple[str, bool]]:
    """(claim name, is generic ephemeral) for each PVC volume of the pod."""
    pod_name = (pod.get("metadata") or {}).get("name", "")
    out = []
    for vol in (pod.get("spec") or {}).get("volumes") or ():
        if vol.get("persistentVolumeClaim"):
            out.append((vol["persistentVolumeClaim"].get("claimName", ""), False))
        elif vol.get("ephemeral"):
            out.append((f"{pod_name}-{vol.get('name', '')}", True))
    return out


class VolumeState:
    __slots__ = ("bound", "delayed", "matches")

    def __init__(self) -> None:
        self.bound: list[Obj] = []  # PVs of the bound claims
        self.delayed: list[Obj] = []  # WaitForFirstConsumer claims to bind
        self.matches: dict[str, dict[str, Obj | None]] = {}  # node -> claim -> PV or None

    def clone(self) -> VolumeState:
        return self


class VolumeBinding(PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin):
    name = names.VOLUME_BINDING

    def pre_filter(self, state: CycleState, pod: PodInfo,
                   nodes: list[NodeInfo]) -> tuple[set[str] | None, Status | None]:
        claims = claim_names(pod.pod)
        if not claims:
            return None, SKIP
        s = VolumeState()
        immediate = False
        for name, ephemeral in claims:
            pvc = self.handle.get("pvcs", pod.namespace, name)
            if pvc is None:
                if ephemeral:
                    return None, unresolvable("waiting for ephemeral volume controller to "
                                              f'create the persistentvolumeclaim "{name}"')
                return None, unresolvable(f'persistentvolumeclaim "{name}" not found')
            spec, status = pvc.get("spec") or {}, pvc.get("status") or {}
            if status.get("phase") == "Lost":
                return None, unresolvable(
                    f'persistentvolumeclaim "{name}" bound to non-existent persistentvolume '
                    f'"{spec.get("volumeName", "")}"')
            if (pvc.get("metadata") or {}).get("deletionTimestamp"):
                return None, unresolvable(f'persistentvolumeclaim "{name}" is being deleted')
            if spec.get("volumeName"):
                pv = self.handle.get("pvs", "", spec["volumeName"])
                if pv is not None:
                    s.bound.append(pv)
            elif self._binding_mode(spec) == "WaitForFirstConsumer":
                s.delayed.append(pvc)
            else:
                immediate = True
        if immediate:
            return None, unresolvable(ERR_UNBOUND_IMMEDIATE)
        state.write(STATE_KEY, s)
        return None, None

    def _class(self, claim_spec: Obj) -> Obj | None:
        name = claim_spec.get("storageClassName")
        return self.handle.get("storageclasses", "", name) if name else None

    def _binding_mode(self, claim_spec: Obj) -> str:
        sc = self._class(claim_spec)
        return (sc or {}).get("volumeBindingMode") or "Immediate"

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        s: VolumeState | None = state.read(STATE_KEY)
        if s is None:
            return None
        for pv in s.bound:
            if not _pv_fits(pv, node):
                return unresolvable(ERR_NODE_CONFLICT)
        if not s.delayed:
            return None
        picked: dict[str, Obj | None] = {}
        taken: set[str] = set()
        for pvc in s.delayed:
            pv = self._find_pv(pvc, node, taken)
            if pv is not None:
                taken.add(pv["metadata"]["name"])
            elif not self._can_provision(pvc, node):
                return unresolvable(ERR_BIND_CONFLICT)
            picked[pvc["metadata"]["name"]] = pv
        s.matches[node.name] = picked
        return None

    def _find_pv(self, pvc: Obj, node: NodeInfo, taken: set[str]) -> Obj | None:
        """``FindMatchingVolume``: the smallest available PV that fits."""
        spec = pvc.get("spec") or {}
        want = int_value(((spec.get("resources") or {}).get("requests") or {}).get(
            "storage", "0"))
        modes = set(spec.get("accessModes") or ())
        best, best_size = None, None
        for pv in self.lister_pvs():
            pvs = pv.get("spec") or {}
            name = pv["metadata"]["name"]
            # Upstream skips PVs not yet Available; with no PV controller here a new
            # PV stays Pending, so Pending counts as available too.
            if name in taken or pvs.get("claimRef") or (pv.get("metadata") or {}).get(
                    "deletionTimestamp") or (pv.get("status") or {}).get("phase") not in (
                    None, "Pending", "Available"):
                continue
            if (pvs.get("storageClassName") or "") != (spec.get("storageClassName") or ""):
                continue
            if not modes <= set(pvs.get("accessModes") or ()):
                continue
            size = int_value((pvs.get("capacity") or {}).get("storage", "0"))
            if size < want or not _pv_fits(pv, node):
                continue
            if best_size is None or size < best_size:
                best, best_size = pv, size
        return best

    def lister_pvs(self) -> list[Obj]:
        return self.handle.lister("pvs").list()

    def _can_provision(self, pvc: Obj, node: NodeInfo) -> bool:
        sc = self._class(pvc.get("spec") or {})
        if sc is None or (sc.get("provisioner") or NO_PROVISIONER) == NO_PROVISIONER:
            return False
        topologies = sc.get("allowedTopologies") or []
        if not topologies:
            return True
        terms = [{"matchExpressions": [{"key": e.get("key"), "operator": "In",
                                        "values": e.get("values") or []}
                                       for e in t.get("matchLabelExpressions") or ()]}
                 for t in topologies]
        return NodeSelector({"nodeSelectorTerms": terms}).matches(node.labels, node.name)

    def reserve(self, state: CycleState, pod: PodInfo, node: str) -> Status | None:
        return None

    def pre_bind(self, state: CycleState, pod: PodInfo, node: str) -> Status | None:
        s: VolumeState | None = state.read(STATE_KEY)
        if s is None or not s.delayed:
            return None
        client = self.handle.client
        try:
            for pvc in s.delayed:
                name = pvc["metadata"]["name"]
                pv = (s.matches.get(node) or {}).get(name)
                if pv is not None:
                    ref = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                           "namespace": pod.namespace, "name": name,
                           "uid": pvc["metadata"].get("uid", "")}
                    client.patch("persistentvolumes", pv["metadata"]["name"],
                                 {"spec": {"claimRef": ref}}, patch.MERGE_PATCH)
                else:
                    client.patch("persistentvolumeclaims", name,
                                 {"metadata": {"annotations": {SELECTED_NODE: node}}},
                                 patch.MERGE_PATCH, namespace=pod.namespace)
        except errors.StatusError as err:
            return Status.error(err)
        return None

    def events_to_register(self) -> list[ev.ClusterEventWithHint]:
        return [ev.ClusterEventWithHint(ev.ClusterEvent(ev.PVC, ev.ADD | ev.UPDATE)),
                ev.ClusterEventWithHint(ev.ClusterEvent(ev.PV, ev.ADD | ev.UPDATE)),
                ev.ClusterEventWithHint(ev.ClusterEvent(ev.STORAGE_CLASS, ev.ADD | ev.UPDATE)),
                ev.ClusterEventWithHint(ev.ClusterEvent(
                    ev.NODE, ev.ADD | ev.UPDATE_NODE_LABEL | ev.UPDATE_NODE_TAINT))]


def _pv_fits(pv: Obj, node: NodeInfo) -> bool:
    """``CheckNodeAffinity`` of a PV's ``spec.nodeAffinity.required``."""
    required = (((pv.get("spec") or {}).get("nodeAffinity") or {}).get("required"))
    if not required:
        return True
    with contextlib.suppress(Exception):
        return NodeSelector(required).matches(node.labels, node.name)
    return False
