"""The lock leader election contends for: a coordination.k8s.io/v1 Lease.

Upstream: k8s.io/client-go ``tools/leaderelection/resourcelock/interface.go``
(``LeaderElectionRecord``) and ``leaselock.go`` (``LeaseLock``: ``Get``,
``Create``, ``Update``, and the record <-> ``LeaseSpec`` conversion). Updates
carry the resourceVersion last read, so two candidates racing for an expired
lease cannot both win: the API server's optimistic concurrency picks one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]

LEASES = "leases"


@dataclass(slots=True)
class LeaderElectionRecord:
    """Who holds the lock, since when, and for how long a renewal counts."""

    holder_identity: str = ""
    lease_duration_seconds: int = 0
    acquire_time: str = ""  # metav1.MicroTime, RFC 3339 with microseconds
    renew_time: str = ""
    leader_transitions: int = 0

    def to_lease_spec(self) -> Obj:
        """``LeaderElectionRecordToLeaseSpec``."""
        spec: Obj = {
            "holderIdentity": self.holder_identity,
            "leaseDurationSeconds": self.lease_duration_seconds,
            "leaseTransitions": self.leader_transitions,
        }
        if self.acquire_time:
            spec["acquireTime"] = self.acquire_time
        if self.renew_time:
            spec["renewTime"] = self.renew_time
        return spec

    @classmethod
    def from_lease_spec(cls, spec: Obj) -> LeaderElectionRecord:
        """``LeaseSpecToLeaderElectionRecord``: absent fields are zero."""
        return cls(
            holder_identity=spec.get("holderIdentity") or "",
            lease_duration_seconds=int(spec.get("leaseDurationSeconds") or 0),
            acquire_time=spec.get("acquireTime") or "",
            renew_time=spec.get("renewTime") or "",
            leader_transitions=int(spec.get("leaseTransitions") or 0),
        )


class LeaseLock:
    """A Lease named ``name`` in ``namespace``, contended for as ``identity``."""

    def __init__(
        self,
        client: Any,
        name: str,
        identity: str,
        *,
        namespace: str = "kube-system",
        labels: dict[str, str] | None = None,
    ) -> None:
        self.client = client
        self.name = name
        self.namespace = namespace
        self.identity = identity
        self.labels = labels or {}
        self._lease: Obj | None = None

    def get(self) -> LeaderElectionRecord:
        """The current record; raises the API's 404 when there is no Lease."""
        self._lease = self.client.get(LEASES, self.name, self.namespace)
        return LeaderElectionRecord.from_lease_spec(self._lease.get("spec") or {})

    def create(self, record: LeaderElectionRecord) -> None:
        metadata: Obj = {"name": self.name, "namespace": self.namespace}
        if self.labels:
            metadata["labels"] = dict(self.labels)
        self._lease = self.client.create(
            LEASES,
            {
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": metadata,
                "spec": record.to_lease_spec(),
            },
        )

    def update(self, record: LeaderElectionRecord) -> None:
        """Write ``record`` over the Lease last read (409 if it changed since)."""
        if self._lease is None:
            raise RuntimeError("lease not initialized, call get or create first")
        lease = {
            **self._lease,
            "metadata": dict(self._lease["metadata"]),
            "spec": record.to_lease_spec(),
        }
        self._lease = self.client.update(LEASES, lease)

    def describe(self) -> str:
        return f"{self.namespace}/{self.name}"
