"""A DNS model with CoreDNS's ``kubernetes`` plugin semantics.

Upstream: the DNS specification for Kubernetes
(``kubernetes/dns`` ``docs/specification.md``) as CoreDNS implements it
(``plugin/kubernetes``), with kubeadm's Corefile (``cluster.local``,
``pods insecure``, ``ttl 30``) and a pod's resolv.conf
(``search <ns>.svc.cluster.local svc.cluster.local cluster.local``,
``options ndots:5``):

* ``<svc>.<ns>.svc.cluster.local``: A with the ClusterIP; for a headless
  Service one A per ready endpoint; CNAME to ``externalName`` for ExternalName;
* ``<hostname>.<svc>.<ns>.svc.cluster.local``: A for a headless Service's
  endpoint with that hostname (StatefulSet pods), or its dashed IP;
* ``_<port>._<proto>.<svc>.<ns>.svc.cluster.local``: SRV per named port;
* ``<a-b-c-d>.<ns>.pod.cluster.local``: A (``pods insecure``);
* anything else in the zone: NXDOMAIN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.api import errors
from engine.network.slices import Endpoint, service_endpoints

Obj = dict[str, Any]

CLUSTER_DOMAIN = "cluster.local"
TTL = 30
NDOTS = 5


@dataclass(frozen=True)
class Record:
    """One resource record; SRV carries priority, weight, port and target in ``value``."""

    name: str
    type: str
    value: str
    ttl: int = TTL

    def __str__(self) -> str:
        return f"{self.name}.\t{self.ttl}\tIN\t{self.type}\t{self.value}"


@dataclass
class Answer:
    """What a pod's resolver gets: the name that answered, its records, or NXDOMAIN."""

    query: str
    rcode: str = "NXDOMAIN"
    name: str = ""
    records: list[Record] = field(default_factory=list)
    tried: list[str] = field(default_factory=list)

    @property
    def addresses(self) -> list[str]:
        return [r.value for r in self.records if r.type == "A"]


def search_list(namespace: str) -> list[str]:
    return [f"{namespace}.svc.{CLUSTER_DOMAIN}", f"svc.{CLUSTER_DOMAIN}", CLUSTER_DOMAIN]


def candidates(name: str, namespace: str) -> list[str]:
    """The names a pod's resolver tries, in order (ndots:5)."""
    if name.endswith("."):
        return [name.rstrip(".")]
    searched = [f"{name}.{suffix}" for suffix in search_list(namespace)]
    return [name, *searched] if name.count(".") >= NDOTS else [*searched, name]


class DNSModel:
    """CoreDNS answering from the API (Services and EndpointSlices)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def resolve(self, name: str, from_namespace: str = "default", qtype: str = "A") -> Answer:
        """Resolve as a pod in ``from_namespace`` would."""
        answer = Answer(query=name)
        for fqdn in candidates(name.lower(), from_namespace):
            answer.tried.append(fqdn)
            records = self.lookup(fqdn, qtype)
            if records and qtype not in ("A", "SRV", "CNAME", "ANY"):
                answer.rcode = "NOERROR"  # NODATA: the name exists, not this type
                continue
            if records:
                answer.rcode, answer.name, answer.records = "NOERROR", fqdn, records
                return answer
        return answer

    def lookup(self, fqdn: str, qtype: str = "A") -> list[Record]:
        """The records for one fully-qualified name ([] is NXDOMAIN). The
        cluster is IPv4 only: other query types get NODATA from :meth:`resolve`."""
        fqdn = fqdn.rstrip(".")
        suffix = f".{CLUSTER_DOMAIN}"
        if not fqdn.endswith(suffix):
            return []
        labels = fqdn[: -len(suffix)].split(".")
        if len(labels) == 3 and labels[2] == "pod":
            return self._pod(fqdn, labels[0], qtype)
        if len(labels) < 3 or labels[-1] != "svc":
            return []
        if len(labels) == 3:
            return self._service(fqdn, labels[1], labels[0], qtype)
        if len(labels) == 4:
            return self._endpoint(fqdn, labels[2], labels[1], labels[0])
        if len(labels) == 5 and labels[0].startswith("_") and labels[1].startswith("_"):
            return self._srv(fqdn, labels[3], labels[2], labels[0][1:], labels[1][1:])
        return []

    def _get(self, namespace: str, name: str) -> Obj | None:
        try:
            return self.client.get("services", name, namespace)
        except errors.StatusError:
            return None

    def _service(self, fqdn: str, ns: str, name: str, qtype: str) -> list[Record]:
        svc = self._get(ns, name)
        if svc is None:
            return []
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName":
            return [Record(fqdn, "CNAME", spec.get("externalName", "").rstrip(".") + ".")]
        if qtype == "SRV":
            return self._srv_all(fqdn, svc)
        if spec.get("clusterIP") not in (None, "", "None"):
            return [Record(fqdn, "A", spec["clusterIP"])]
        return [Record(fqdn, "A", e.ip) for e in self._ready(ns, name)]

    def _ready(self, ns: str, name: str) -> list[Endpoint]:
        return [e for e in service_endpoints(self.client, ns, name) if e.ready]

    def _endpoint(self, fqdn: str, ns: str, svc_name: str, host: str) -> list[Record]:
        svc = self._get(ns, svc_name)
        if svc is None or (svc.get("spec") or {}).get("clusterIP") != "None":
            return []
        return [Record(fqdn, "A", e.ip) for e in self._ready(ns, svc_name)
                if endpoint_host(e) == host]

    def _srv(self, fqdn: str, ns: str, name: str, port: str, proto: str) -> list[Record]:
        svc = self._get(ns, name)
        if svc is None:
            return []
        ports = [p for p in (svc.get("spec") or {}).get("ports") or []
                 if p.get("name") == port and p.get("protocol", "TCP").lower() == proto]
        return [r for p in ports for r in self._srv_port(fqdn, svc, p)]

    def _srv_all(self, fqdn: str, svc: Obj) -> list[Record]:
        return [r for p in (svc.get("spec") or {}).get("ports") or [] if p.get("name")
                for r in self._srv_port(fqdn, svc, p)]

    def _srv_port(self, fqdn: str, svc: Obj, port: Obj) -> list[Record]:
        m = svc["metadata"]
        base = f"{m['name']}.{m.get('namespace')}.svc.{CLUSTER_DOMAIN}"
        if (svc.get("spec") or {}).get("clusterIP") != "None":
            return [Record(fqdn, "SRV", f"0 100 {port['port']} {base}.")]
        endpoints = [e for e in service_endpoints(self.client, m.get("namespace", ""), m["name"],
                                                  port.get("name", ""),
                                                  port.get("protocol", "TCP")) if e.ready]
        weight = 100 // len(endpoints) if endpoints else 0
        return [Record(fqdn, "SRV", f"0 {weight} {e.port} {endpoint_host(e)}.{base}.")
                for e in endpoints]

    def _pod(self, fqdn: str, dashed: str, qtype: str) -> list[Record]:
        ip = dashed.replace("-", ".")
        parts = ip.split(".")
        if qtype != "A" or len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
            return []
        return [Record(fqdn, "A", ip)]


def endpoint_host(endpoint: Endpoint) -> str:
    """CoreDNS's ``endpointHostname``: the hostname, else the dashed IP."""
    return endpoint.hostname or endpoint.ip.replace(".", "-")
