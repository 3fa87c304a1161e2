"""Defaults for ``discovery.k8s.io/v1``.

Upstream: ``pkg/apis/discovery/v1/defaults.go`` (``SetDefaults_EndpointPort``):
each port's name defaults to ``""`` (serialised, since it is a pointer) and its
protocol to ``TCP``.
"""

from __future__ import annotations

from typing import Any

from engine.api.defaults._util import items, set_if_none

Obj = dict[str, Any]


def default_endpoint_slice(obj: Obj) -> None:
    for port in items(obj, "ports"):
        set_if_none(port, "name", "")
        set_if_none(port, "protocol", "TCP")


DEFAULTERS = {("discovery.k8s.io", "EndpointSlice"): default_endpoint_slice}
