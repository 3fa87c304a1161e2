"""The node Lease: the kubelet's heartbeat.

Upstream: ``k8s.io/component-helpers/apimachinery/lease/controller.go`` as
the kubelet runs it (``pkg/kubelet/kubelet.go``): a Lease named after the
node in ``kube-node-lease``, ``holderIdentity`` the node name,
``leaseDurationSeconds`` 40 (``--node-lease-duration-seconds``), renewed every
quarter of that (10 s) by updating ``renewTime``. The Lease is owned by the
Node, so deleting the Node deletes it. A failed renewal is retried with a
back-off from 200 ms doubling to 7 s, as the lease controller does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.api import errors

if TYPE_CHECKING:
    from engine.kubelet.kubelet import Kubelet

Obj = dict[str, Any]

NAMESPACE = "kube-node-lease"
LEASE_DURATION = 40
RENEW_INTERVAL = LEASE_DURATION / 4
RETRY_INITIAL = 0.2
RETRY_MAX = 7.0


class LeaseHeartbeat:
    """Renews the node's Lease every 10 s while the kubelet runs."""

    def __init__(self, kubelet: Kubelet) -> None:
        self.kubelet = kubelet
        self.clock = kubelet.clock
        self.lease: Obj | None = None
        self._timer: Any = None
        self._retry = RETRY_INITIAL

    def start(self, offset: float = 0.0) -> None:
        self.renew()
        self._timer = self.clock.call_later(offset or RENEW_INTERVAL, self._tick)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _tick(self) -> None:
        ok = self.renew()
        delay = RENEW_INTERVAL if ok else self._retry
        self._retry = RETRY_INITIAL if ok else min(self._retry * 2, RETRY_MAX)
        self._timer = self.clock.call_later(delay, self._tick)

    def renew(self) -> bool:
        """Create or renew the Lease; False when the API refused."""
        client = self.kubelet.client
        try:
            if self.lease is None:
                self.lease, fresh = self._ensure()
                if fresh:
                    return True
            lease = dict(self.lease)
            lease["spec"] = {**lease.get("spec", {}), **self._spec()}
            self._own(lease)
            self.lease = client.update("leases", lease)
            return True
        except errors.StatusError as err:
            self.lease = None  # re-read on the next attempt (409, or it was deleted)
            self.kubelet.log.info("failed to update lease: %s", err)
            return False

    def _ensure(self) -> tuple[Obj, bool]:
        """The Lease and whether it was just created (already renewed, then)."""
        client = self.kubelet.client
        name = self.kubelet.name
        try:
            return client.get("leases", name, NAMESPACE), False
        except errors.StatusError as err:
            if err.code != 404:
                raise
        body = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": {"name": name, "namespace": NAMESPACE}, "spec": self._spec()}
        self._own(body)
        return client.create("leases", body, namespace=NAMESPACE), True

    def _spec(self) -> Obj:
        return {"holderIdentity": self.kubelet.name, "leaseDurationSeconds": LEASE_DURATION,
                "renewTime": self.clock.rfc3339_micro()}

    def _own(self, lease: Obj) -> None:
        """``setNodeOwnerFunc``: the Node owns its Lease once the kubelet knows its uid."""
        node = self.kubelet.current_node()
        meta = lease["metadata"] = dict(lease["metadata"])
        if node is None or meta.get("ownerReferences"):
            return
        meta["ownerReferences"] = [{"apiVersion": "v1", "kind": "Node",
                                    "name": self.kubelet.name,
                                    "uid": node["metadata"]["uid"]}]
