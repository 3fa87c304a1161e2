"""``/version`` and the health endpoints.

Upstream: k8s.io/apimachinery ``pkg/version`` (``Info``) as kube-apiserver
v1.32.0 reports it; the kubectl dispatcher picks its kubectl binary by
``minor``. ``/healthz``, ``/livez`` and ``/readyz`` answer ``ok`` (and list
their checks with ``?verbose``), as ``k8s.io/apiserver/pkg/server/healthz``.
"""

from __future__ import annotations

import platform

from aiohttp import web

from engine.api.schema import KUBERNETES_VERSION

VERSION_INFO = {
    "major": "1",
    "minor": "32",
    "emulationMajor": "1",
    "emulationMinor": "32",
    "minCompatibilityMajor": "1",
    "minCompatibilityMinor": "31",
    "gitVersion": KUBERNETES_VERSION,
    "gitCommit": "70d3cc986aa8221cd1dfb1121852688902d3bf53",
    "gitTreeState": "clean",
    "buildDate": "2024-12-11T17:59:15Z",
    "goVersion": "go1.23.3",
    "compiler": "gc",
    "platform": f"linux/{'arm64' if platform.machine() in ('arm64', 'aarch64') else 'amd64'}",
}

CHECKS = ("ping", "log", "etcd", "poststarthook/start-apiextensions-informers",
          "poststarthook/generic-apiserver-start-informers")


async def version(request: web.Request) -> web.Response:
    return web.json_response(VERSION_INFO)


async def health(request: web.Request) -> web.Response:
    kind = request.path.strip("/").split("/")[0]
    if "verbose" in request.query:
        lines = [f"[+]{check} ok" for check in CHECKS]
        lines.append(f"{kind} check passed")
        return web.Response(text="\n".join(lines) + "\n")
    return web.Response(text="ok")
