"""Ingresses and IngressClasses; upstream ``printIngress`` (Name, Class, Hosts,
Address, Ports, Age) and ``printIngressClass`` (Name, Controller, Parameters,
Age)."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, NONE, Column, age, dig, name

COLUMNS = (
    NAME,
    Column("Class", description="The name of the IngressClass resource that should be used."),
    Column("Hosts", description="Hosts that incoming requests are matched against before the "
                                "ingress rule"),
    Column("Address", description="Address is a list containing ingress points for the "
                                  "load-balancer"),
    Column("Ports", description="Ports of TLS configurations that open"),
    AGE,
)
CLASS_COLUMNS = (
    NAME,
    Column("Controller", description="Controller that is responsible for handling this class"),
    Column("Parameters", description="A reference to a resource with additional parameters"),
    AGE,
)


def _hosts(obj: dict[str, Any]) -> str:
    hosts = [r["host"] for r in dig(obj, "spec", "rules", default=[]) if r.get("host")]
    if not hosts:
        return "*"
    if len(hosts) > 4:
        return ",".join(hosts[:4]) + f" + {len(hosts) - 4} more..."
    return ",".join(hosts)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    spec = obj.get("spec") or {}
    ingress = dig(obj, "status", "loadBalancer", "ingress", default=[])
    address = ",".join(i.get("ip") or i.get("hostname", "") for i in ingress)
    ports = "80, 443" if spec.get("tls") else "80"
    return [name(obj), spec.get("ingressClassName") or NONE, _hosts(obj), address, ports,
            age(obj, now)]


def _class_row(obj: dict[str, Any], now: float) -> list[Any]:
    params = dig(obj, "spec", "parameters")
    shown = NONE
    if params:
        group = params.get("apiGroup", "")
        shown = f"{params.get('kind', '')}.{group}/{params.get('name', '')}" if group else (
            f"{params.get('kind', '')}/{params.get('name', '')}")
    return [name(obj), dig(obj, "spec", "controller", default=""), shown, age(obj, now)]


register("networking.k8s.io", "ingresses", COLUMNS, _row)
register("networking.k8s.io", "ingressclasses", CLASS_COLUMNS, _class_row)
