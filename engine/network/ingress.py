"""A simulated ingress controller (ingress-nginx's behaviour) and its routing.

Upstream: the Ingress API (``networking.k8s.io/v1``) and its path-matching
rules (KEP-1453): ``Exact`` matches the path exactly; ``Prefix`` matches
element-wise on ``/``-separated segments (``/foo`` matches ``/foo`` and
``/foo/bar``, not ``/foobar``); ``ImplementationSpecific`` is up to the
controller — ingress-nginx treats it as a plain prefix. When several paths
match, the longest wins, and ``Exact`` beats ``Prefix`` at equal length.
Hosts: an exact host beats a wildcard (``*.example.com`` matches exactly one
extra label), which beats rules without host. A request no rule matches goes
to the Ingress's ``defaultBackend`` (else the controller's 404 backend).
TLS sections are recorded (the route says whether the host is served over
HTTPS, and with which Secret).

The controller handles Ingresses of IngressClass ``nginx`` (controller
``k8s.io/ingress-nginx``; :func:`ingress_class` is the class minikube's addon
installs, not created here so manifests may bring their own) and Ingresses
without a class, and writes their ``status.loadBalancer.ingress`` with the
control-plane node's address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.api import errors
from engine.events.recorder import EventRecorder
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key

Obj = dict[str, Any]

CLASS_NAME = "nginx"
CONTROLLER = "k8s.io/ingress-nginx"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
PATH_TYPE_RANK = {"Exact": 0, "Prefix": 1, "ImplementationSpecific": 2}


def ingress_class() -> Obj:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
            "metadata": {"name": CLASS_NAME,
                         "labels": {"app.kubernetes.io/name": "ingress-nginx",
                                    "app.kubernetes.io/component": "controller"},
                         "annotations": {DEFAULT_CLASS_ANNOTATION: "true"}},
            "spec": {"controller": CONTROLLER}}


@dataclass
class IngressRoute:
    """Where ``host`` + ``path`` goes: the Ingress and rule chosen, the backend
    Service and port (or resource), and TLS."""

    ingress: str
    namespace: str
    host: str
    path: str
    path_type: str
    service: str | None
    port: int | str | None
    resource: Obj | None = None
    default_backend: bool = False
    tls: bool = False
    secret: str | None = None


def path_matches(path_type: str, rule_path: str, path: str) -> bool:
    """Exact, element-wise Prefix, or ImplementationSpecific as a string prefix."""
    if path_type == "Exact":
        return path == rule_path
    if path_type == "ImplementationSpecific":
        return path.startswith(rule_path or "/")
    prefix = rule_path.rstrip("/")
    return prefix == "" or path.rstrip("/") == prefix or path.startswith(prefix + "/")


def host_rank(rule_host: str | None, host: str) -> int:
    """2 exact, 1 wildcard, 0 no host in the rule, -1 no match."""
    if not rule_host:
        return 0
    if rule_host == host:
        return 2
    if rule_host.startswith("*."):
        head, _, rest = host.partition(".")
        return 1 if head and rest == rule_host[2:] else -1
    return -1


def handled(ing: Obj, classes: dict[str, Obj]) -> bool:
    """Whether this controller serves the Ingress: class ``nginx``, a class
    naming its controller, or no class while no other controller's class is
    the default (ingress-nginx as minikube's addon runs it)."""
    name = (ing.get("spec") or {}).get("ingressClassName") or (
        (ing["metadata"].get("annotations") or {}).get("kubernetes.io/ingress.class"))
    if name:
        cls = classes.get(name)
        return name == CLASS_NAME or bool(cls and (cls.get("spec") or {}).get("controller")
                                         == CONTROLLER)
    defaults = [c for c in classes.values()
                if (c["metadata"].get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true"]
    return not defaults or any((c.get("spec") or {}).get("controller") == CONTROLLER
                               for c in defaults)


def route(ingresses: list[Obj], host: str, path: str) -> IngressRoute | None:
    """The route for a request, or None for the controller's 404 default backend."""
    host = host.split(":")[0].lower()
    path = path or "/"
    ingresses = sorted(ingresses, key=lambda i: (i["metadata"].get("creationTimestamp", ""),
                                                 i["metadata"].get("namespace", ""),
                                                 i["metadata"]["name"]))
    best: tuple | None = None
    hosted: list[Obj] = []
    for order, ing in enumerate(ingresses):
        for rule in (ing.get("spec") or {}).get("rules") or []:
            rank = host_rank(rule.get("host"), host)
            if rank < 0:
                continue
            hosted.append(ing)
            for p in ((rule.get("http") or {}).get("paths") or []):
                ptype = p.get("pathType", "ImplementationSpecific")
                if path_matches(ptype, p.get("path", "/"), path):
                    key = (-rank, -len(p.get("path", "/")), PATH_TYPE_RANK.get(ptype, 3), order)
                    if best is None or key < best[0]:
                        best = (key, ing, rule, p)
    if best is not None:
        _, ing, rule, p = best
        return _route(ing, host, p.get("path", "/"), p.get("pathType", "ImplementationSpecific"),
                      p.get("backend") or {}, False)
    for ing in hosted + ingresses:
        backend = (ing.get("spec") or {}).get("defaultBackend")
        if backend:
            return _route(ing, host, path, "", backend, True)
    return None


def _route(ing: Obj, host: str, path: str, path_type: str, backend: Obj,
           default: bool) -> IngressRoute:
    svc = backend.get("service") or {}
    port = svc.get("port") or {}
    secret = None
    tls = False
    for section in (ing.get("spec") or {}).get("tls") or []:
        if any(host_rank(h, host) > 0 for h in section.get("hosts") or []):
            tls, secret = True, section.get("secretName")
            break
    return IngressRoute(ing["metadata"]["name"], ing["metadata"].get("namespace", "default"),
                        host, path, path_type, svc.get("name"),
                        port.get("number") or port.get("name"), backend.get("resource"),
                        default, tls, secret)


class IngressController(Controller):
    """Writes ``status.loadBalancer.ingress`` of the Ingresses it serves."""

    def __init__(self, client: Any, factory: SharedInformerFactory,
                 address: Callable[[], str]) -> None:
        super().__init__(client.clock, name="ingress-nginx", workers=1)
        self.client = client
        self.address = address
        self.recorder = EventRecorder(client, "nginx-ingress-controller")
        informer = factory.informer_for("ingresses")
        classes = factory.informer_for("ingressclasses")
        self.lister = informer.lister()
        self.class_lister = classes.lister()
        self.watch(informer)
        self.informers.append(classes)

    def classes(self) -> dict[str, Obj]:
        return {c["metadata"]["name"]: c for c in self.class_lister.list()}

    async def reconcile(self, key: str) -> float | None:
        ns, name = split_meta_namespace_key(key)
        ing = self.lister.get(ns, name)
        if ing is None or not handled(ing, self.classes()):
            return None
        wanted = {"loadBalancer": {"ingress": [{"ip": self.address()}]}}
        if (ing.get("status") or {}) == wanted:
            return None
        self.recorder.event(ing, "Normal", "Sync", "Scheduled for sync")
        try:
            self.client.update_status("ingresses", {**ing, "status": wanted})
        except errors.StatusError as err:
            if err.code not in (404, 409):
                raise
            self.queue.add_rate_limited(key)
        return None
