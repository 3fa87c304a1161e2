"""Service storage hooks: ClusterIP and NodePort allocation and release.

Upstream: ``pkg/registry/core/service/storage/alloc.go`` (``allocateCreate``,
``allocateUpdate``, ``releaseForDelete``, ``patchAllocatedValues``) and the
repair controllers' rebuild of the allocation maps from stored services on
start-up (``pkg/registry/core/service/ipallocator/controller/repair.go``).
"""

from __future__ import annotations

import contextlib
import random
from typing import TYPE_CHECKING, Any

from engine.api import errors
from engine.api.allocators import AllocationError, ClusterIPAllocator, NodePortAllocator
from engine.api.rest_hooks import HOOKS, RESTHooks
from engine.api.validation.common import go_value

if TYPE_CHECKING:
    from engine.api.resources import ResourceInfo
    from engine.api.server import APIServer

Obj = dict[str, Any]


def cluster_ips(spec: Obj) -> list[str]:
    """``spec.clusterIPs``, or ``[spec.clusterIP]`` from an older client."""
    ips = [ip for ip in spec.get("clusterIPs") or [] if isinstance(ip, str) and ip]
    if not ips and isinstance(spec.get("clusterIP"), str) and spec["clusterIP"]:
        ips = [spec["clusterIP"]]
    return ips


def allocated_ips(spec: Obj) -> list[str]:
    """The IPs a stored service holds (none for headless or ExternalName)."""
    if spec.get("type") == "ExternalName":
        return []
    return [ip for ip in cluster_ips(spec) if ip != "None"]


def needs_node_ports(spec: Obj) -> bool:
    kind = spec.get("type")
    return kind == "NodePort" or (
        kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts", True) is not False)


def node_ports(spec: Obj) -> list[int]:
    """NodePorts (and the health check port) a service holds."""
    found = [p["nodePort"] for p in spec.get("ports") or []
             if isinstance(p, dict) and isinstance(p.get("nodePort"), int) and p["nodePort"]]
    health = spec.get("healthCheckNodePort")
    if isinstance(health, int) and health:
        found.append(health)
    return found


def patch_allocated_values(new: Obj, old: Obj) -> None:
    """``patchAllocatedValues``: keep allocated values a client left out of an
    update (for strategies to call before validation, as upstream's BeginUpdate)."""
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    if "ExternalName" in (spec.get("type"), old_spec.get("type")):
        return
    if not cluster_ips(spec) and cluster_ips(old_spec):
        spec["clusterIP"] = old_spec.get("clusterIP") or cluster_ips(old_spec)[0]
        spec["clusterIPs"] = list(cluster_ips(old_spec))
    if needs_node_ports(spec) and needs_node_ports(old_spec):
        _patch_node_ports(spec, old_spec)


def _patch_node_ports(spec: Obj, old_spec: Obj) -> None:
    old = {(p.get("port"), p.get("protocol")): p.get("nodePort")
           for p in old_spec.get("ports") or [] if isinstance(p, dict)}
    for port in spec.get("ports") or []:
        if isinstance(port, dict) and not port.get("nodePort"):
            found = old.get((port.get("port"), port.get("protocol")))
            if found:
                port["nodePort"] = found


class _Txn:
    """What one write reserved, to undo if the write fails."""

    def __init__(self) -> None:
        self.ips: list[str] = []
        self.ports: list[int] = []


class ServiceHooks(RESTHooks):
    """The service REST storage's allocators (``svcAllocator``)."""

    def __init__(self, api: APIServer, info: ResourceInfo) -> None:
        super().__init__(api, info)
        self.ips = ClusterIPAllocator()
        self.ports = NodePortAllocator()
        self._pending: dict[str, _Txn] = {}
        self._repair()

    def _repair(self) -> None:
        """Rebuild the maps from the stored services (the repair loops)."""
        for svc in self.api.list(self.info)["items"]:
            spec = svc.get("spec") or {}
            for ip in allocated_ips(spec):
                if self.ips.contains(ip):
                    _quiet(self.ips.allocate, ip)
            for port in node_ports(spec):
                _quiet(self.ports.allocate, port)

    def _rng(self, obj: Obj) -> random.Random:
        """Deterministic picks: seeded by the object's uid (from the seeded identity)."""
        m = obj.get("metadata") or {}
        return random.Random(f"{m.get('uid', '')}/{m.get('name', '')}")

    # -- create ------------------------------------------------------------------
    def before_create(self, obj: Obj, dry_run: bool) -> None:
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            return
        txn = _Txn()
        try:
            self._allocate(obj, spec, None, txn, dry_run)
        except errors.StatusError:
            self._undo(txn)
            raise
        if not dry_run:
            self._pending[_key(obj)] = txn

    def create_failed(self, obj: Obj) -> None:
        self._undo(self._pending.pop(_key(obj), _Txn()))

    # -- update ------------------------------------------------------------------
    def before_update(self, new: Obj, old: Obj, dry_run: bool) -> None:
        spec = new.get("spec")
        if not isinstance(spec, dict):
            return
        txn = _Txn()
        try:
            self._allocate(new, spec, old.get("spec") or {}, txn, dry_run)
        except errors.StatusError:
            self._undo(txn)
            raise
        if not dry_run:
            self._pending[_key(new)] = txn

    def update_failed(self, new: Obj, old: Obj) -> None:
        self._undo(self._pending.pop(_key(new), _Txn()))

    def after_update(self, new: Obj, old: Obj) -> None:
        self._pending.pop(_key(new), None)
        spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
        for ip in set(allocated_ips(old_spec)) - set(allocated_ips(spec)):
            self.ips.release(ip)
        for port in set(node_ports(old_spec)) - set(node_ports(spec)):
            self.ports.release(port)

    def after_delete(self, obj: Obj) -> None:
        """``releaseForDelete``."""
        spec = obj.get("spec") or {}
        for ip in allocated_ips(spec):
            self.ips.release(ip)
        for port in node_ports(spec):
            self.ports.release(port)

    # -- allocation ----------------------------------------------------------------
    def _allocate(self, obj: Obj, spec: Obj, old: Obj | None, txn: _Txn, dry_run: bool) -> None:
        if old is not None and needs_node_ports(old) and needs_node_ports(spec):
            _patch_node_ports(spec, old)
        errs: list[errors.FieldError] = []
        rng = self._rng(obj)
        if spec.get("type") != "ExternalName":
            self._allocate_ips(spec, old, txn, dry_run, rng, errs)
        if needs_node_ports(spec):
            self._allocate_node_ports(spec, old, txn, dry_run, rng, errs)
        if errs:
            name = (obj.get("metadata") or {}).get("name", "")
            raise errors.invalid_object("Service", "", name, errs)

    def _allocate_ips(self, spec: Obj, old: Obj | None, txn: _Txn, dry_run: bool,
                      rng: random.Random, errs: list[errors.FieldError]) -> None:
        """``allocIPs``: a requested IP, or the next free one."""
        ips = cluster_ips(spec)
        held = allocated_ips(old) if old is not None else []
        if ips == ["None"]:
            spec["clusterIP"], spec["clusterIPs"] = "None", ["None"]
            return
        if ips and ips[0] in held:
            spec["clusterIP"], spec["clusterIPs"] = ips[0], ips
            return
        if ips:
            try:
                (self.ips.check if dry_run else self.ips.allocate)(ips[0])
            except AllocationError as err:
                errs.append(errors.invalid("spec.clusterIPs", go_value(ips),
                                           f"failed to allocate IP {ips[0]}: {err}"))
                return
        else:
            try:
                ip = (self.ips.peek_next if dry_run else self.ips.allocate_next)(rng)
            except AllocationError as err:
                raise errors.internal_error(f"failed to allocate a serviceIP: {err}") from None
            ips = [ip]
        if not dry_run:
            txn.ips.append(ips[0])
        spec["clusterIP"], spec["clusterIPs"] = ips[0], ips

    def _allocate_node_ports(self, spec: Obj, old: Obj | None, txn: _Txn, dry_run: bool,
                             rng: random.Random, errs: list[errors.FieldError]) -> None:
        """``initNodePorts`` / ``updateNodePorts``: ports with the same number
        (different protocols) share one node port, as upstream."""
        held = set(node_ports(old)) if old is not None else set()
        by_number: dict[Any, int] = {}
        for i, port in enumerate(spec.get("ports") or []):
            if not isinstance(port, dict):
                continue
            wanted = port.get("nodePort")
            if not wanted and port.get("port") in by_number:
                port["nodePort"] = by_number[port["port"]]
                continue
            got = self._one_port(wanted, held, txn, dry_run, rng,
                                 f"spec.ports[{i}].nodePort", errs)
            if got:
                port["nodePort"] = by_number[port.get("port")] = got
        self._health_port(spec, held, txn, dry_run, rng, errs)

    def _health_port(self, spec: Obj, held: set[int], txn: _Txn, dry_run: bool,
                     rng: random.Random, errs: list[errors.FieldError]) -> None:
        """``allocHealthCheckNodePort`` for LoadBalancers with traffic policy Local."""
        if spec.get("type") != "LoadBalancer" or spec.get("externalTrafficPolicy") != "Local":
            return
        got = self._one_port(spec.get("healthCheckNodePort"), held, txn, dry_run, rng,
                             "spec.healthCheckNodePort", errs)
        if got:
            spec["healthCheckNodePort"] = got

    def _one_port(self, wanted: Any, held: set[int], txn: _Txn, dry_run: bool,
                  rng: random.Random, path: str, errs: list[errors.FieldError]) -> int | None:
        if isinstance(wanted, int) and wanted:
            if wanted in held:
                return wanted
            try:
                (self.ports.check if dry_run else self.ports.allocate)(wanted)
            except AllocationError as err:
                errs.append(errors.invalid(path, wanted, str(err)))
                return None
            if not dry_run:
                txn.ports.append(wanted)
            return wanted
        try:
            got = (self.ports.peek_next if dry_run else self.ports.allocate_next)(rng)
        except AllocationError as err:
            raise errors.internal_error(f"failed to allocate a nodePort: {err}") from None
        if not dry_run:
            txn.ports.append(got)
        return got

    def _undo(self, txn: _Txn) -> None:
        for ip in txn.ips:
            self.ips.release(ip)
        for port in txn.ports:
            self.ports.release(port)


def _key(obj: Obj) -> str:
    m = obj.get("metadata") or {}
    return f"{m.get('namespace', '')}/{m.get('name', '')}"


def _quiet(fn: Any, value: Any) -> None:
    with contextlib.suppress(AllocationError):
        fn(value)


HOOKS[("", "services")] = ServiceHooks
