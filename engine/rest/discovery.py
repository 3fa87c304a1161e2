"""API discovery, aggregated (``apidiscovery.k8s.io`` v2 and v2beta1) and legacy.

Upstream: k8s.io/apiserver ``pkg/endpoints/discovery/aggregated`` (one
``APIGroupDiscoveryList`` for ``/api`` and one for ``/apis``) and the legacy
``APIVersions``/``APIGroupList``/``APIResourceList`` handlers. client-go
decodes by the response's Content-Type alone, so the server answers exactly
the version the Accept header lists first and falls back to the legacy
documents for plain JSON (``kubectl drain`` and the Python client read
only those).
"""

from __future__ import annotations

import functools
from typing import Any

from engine.api.resources import RESOURCES, ResourceInfo
from engine.rest import media
from engine.rest.extras import EXTRA_RESOURCES, converted, subresource_kind

Obj = dict[str, Any]
AGGREGATED = ("v2", "v2beta1")


def served() -> tuple[ResourceInfo, ...]:
    """Every resource in discovery; stored versions first, so they are preferred."""
    return RESOURCES + EXTRA_RESOURCES + converted()


@functools.cache
def group_versions() -> dict[str, list[str]]:
    """Group -> versions, in the order upstream lists groups."""
    out: dict[str, list[str]] = {}
    for info in served():
        versions = out.setdefault(info.group, [])
        if info.version not in versions:
            versions.append(info.version)
    return out


def aggregated_version(accept: list[media.MediaType]) -> str | None:
    """``v2``/``v2beta1`` if the first usable Accept entry asks for aggregated
    discovery, None for the legacy documents."""
    for m in accept:
        if m.params.get("g") == "apidiscovery.k8s.io" and m.params.get(
                "as") == "APIGroupDiscoveryList":
            if m.params.get("v") in AGGREGATED:
                return m.params["v"]
            continue
        if m.is_json():
            return None
    return None


def aggregated_content_type(version: str) -> str:
    return f"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList"


def _resource_entry(info: ResourceInfo) -> Obj:
    entry: Obj = {
        "resource": info.plural,
        "responseKind": {"group": info.group, "version": info.version, "kind": info.kind},
        "scope": "Namespaced" if info.namespaced else "Cluster",
        "singularResource": info.singular_name,
        "verbs": list(info.verbs),
    }
    if info.short_names:
        entry["shortNames"] = list(info.short_names)
    if info.categories:
        entry["categories"] = list(info.categories)
    if info.subresources:
        entry["subresources"] = [_sub_entry(info, s) for s in info.subresources]
    return entry


def _sub_entry(info: ResourceInfo, sub: str) -> Obj:
    group, version, kind, verbs = subresource_kind(info, sub)
    return {"subresource": sub, "responseKind": {"group": group, "version": version,
                                                  "kind": kind}, "verbs": list(verbs)}


def _group_entry(group: str) -> Obj:
    versions = []
    for version in group_versions()[group]:
        resources = [_resource_entry(i) for i in served()
                     if i.group == group and i.version == version]
        versions.append({"version": version, "resources": resources, "freshness": "Current"})
    return {"metadata": {"name": group, "creationTimestamp": None}, "versions": versions}


@functools.cache
def aggregated(legacy: bool, version: str) -> Obj:
    """``/api`` (legacy=True, the core group) or ``/apis`` as APIGroupDiscoveryList."""
    groups = [""] if legacy else [g for g in group_versions() if g]
    return {"kind": "APIGroupDiscoveryList", "apiVersion": f"apidiscovery.k8s.io/{version}",
            "metadata": {}, "items": [_group_entry(g) for g in groups]}


def api_versions(server_address: str) -> Obj:
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                            "serverAddress": server_address}]}


def _group(group: str) -> Obj:
    versions = [{"groupVersion": f"{group}/{v}", "version": v}
                for v in group_versions()[group]]
    return {"name": group, "versions": versions, "preferredVersion": versions[0]}


@functools.cache
def api_group_list() -> Obj:
    return {"kind": "APIGroupList", "apiVersion": "v1",
            "groups": [_group(g) for g in group_versions() if g]}


def api_group(group: str) -> Obj | None:
    if not group or group not in group_versions():
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group(group)}


def _legacy_entry(info: ResourceInfo) -> Obj:
    entry: Obj = {"name": info.plural, "singularName": info.singular_name,
                  "namespaced": info.namespaced, "kind": info.kind, "verbs": list(info.verbs)}
    if info.short_names:
        entry["shortNames"] = list(info.short_names)
    if info.categories:
        entry["categories"] = list(info.categories)
    return entry


def _legacy_sub(info: ResourceInfo, sub: str) -> Obj:
    group, version, kind, verbs = subresource_kind(info, sub)
    entry: Obj = {"name": f"{info.plural}/{sub}", "singularName": "",
                  "namespaced": info.namespaced, "kind": kind, "verbs": list(verbs)}
    if (group, version) != (info.group, info.version):
        entry["group"], entry["version"] = group, version
    return entry


@functools.cache
def resource_list(group: str, version: str) -> Obj | None:
    """The legacy ``APIResourceList`` of one group version."""
    infos = [i for i in served() if i.group == group and i.version == version]
    if not infos:
        return None
    resources = []
    for info in sorted(infos, key=lambda i: i.plural):
        resources.append(_legacy_entry(info))
        resources.extend(_legacy_sub(info, s) for s in info.subresources)
    gv = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
            "resources": resources}
