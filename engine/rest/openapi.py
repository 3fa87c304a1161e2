"""OpenAPI v3 documents built from upstream's v1.32 definitions.

Upstream: k8s.io/kube-openapi ``pkg/handler3`` (``/openapi/v3`` lists one
document per group version with a ``serverRelativeURL`` carrying a content
hash; each document holds that group version's paths and every schema they
reach under ``components.schemas``). kubectl reads it to learn that the
server validates fields (a ``fieldValidation`` query parameter on the
``patch`` operations, then it sends ``fieldValidation=Strict``) and ``kubectl
explain`` walks the schemas. The definitions come from kubernetes-validate
(JSON-schema flavoured): types lose their ``null`` alternative and a
``$ref`` with siblings becomes ``allOf`` as upstream writes it.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

import orjson

from engine.api import schema
from engine.api.resources import ResourceInfo
from engine.rest.discovery import group_versions, served

Obj = dict[str, Any]
REF_PREFIX = "#/components/schemas/"
_SPECIAL = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {
        "type": "string", "format": "int-or-string",
        "description": "IntOrString is a type that can hold an int32 or a string."},
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {
        "type": "string",
        "description": "Quantity is a fixed-point representation of a number."},
}


def doc_path(group: str, version: str) -> str:
    return f"api/{version}" if not group else f"apis/{group}/{version}"


def _convert(node: Any) -> Any:
    """A JSON-schema node as OpenAPI 3.0 schema."""
    if isinstance(node, list):
        return [_convert(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _convert(v) for k, v in node.items() if k not in ("$ref", "properties")}
    if "properties" in node:  # property names are not keywords (JSONSchemaProps has "$ref")
        out["properties"] = {k: _convert(v) for k, v in node["properties"].items()}
    kind = out.get("type")
    if isinstance(kind, list):
        rest = [t for t in kind if t != "null"]
        if rest:
            out["type"] = rest[0]
        else:
            out.pop("type")
    if isinstance(node.get("$ref"), str):
        ref = REF_PREFIX + node["$ref"].rsplit("/", 1)[-1]
        if out:
            out["allOf"] = [{"$ref": ref}]
        else:
            out["$ref"] = ref
    return out


def _schema(name: str) -> Obj:
    if name in _SPECIAL:
        return dict(_SPECIAL[name])
    converted = _convert(schema.definitions()[name])
    for field in ("apiVersion", "kind"):
        prop = converted.get("properties", {}).get(field)
        if prop:
            prop.pop("enum", None)
    return converted


def _refs(node: Any, out: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            out.add(ref.rsplit("/", 1)[-1])
        for value in node.values():
            _refs(value, out)
    elif isinstance(node, list):
        for value in node:
            _refs(value, out)


def _closure(roots: list[str]) -> list[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in schema.definitions():
            continue
        seen.add(name)
        found: set[str] = set()
        _refs(schema.definitions()[name], found)
        todo.extend(found - seen)
    return sorted(seen)


def _param(name: str, where: str = "query", kind: str = "string") -> Obj:
    return {"name": name, "in": where, "schema": {"type": kind, "uniqueItems": True}}


def _op(info: ResourceInfo, action: str, ref: str | None, params: list[Obj]) -> Obj:
    op: Obj = {
        "tags": [info.group or "core"],
        "operationId": f"{action}{info.kind}",
        "parameters": params,
        "responses": {"200": {"description": "OK"}},
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": {"group": info.group, "version": info.version,
                                            "kind": info.kind},
    }
    if ref:
        content = {"schema": {"$ref": REF_PREFIX + ref}}
        op["responses"]["200"]["content"] = {"application/json": content}
        if action in ("post", "put"):
            op["requestBody"] = {"content": {"*/*": content}, "required": True}
    if action == "patch":
        op["requestBody"] = {"content": {t: {"schema": {"type": "object"}} for t in (
            "application/apply-patch+yaml", "application/json-patch+json",
            "application/merge-patch+json", "application/strategic-merge-patch+json")},
            "required": True}
    return op


_WRITE = [_param("dryRun"), _param("fieldManager"), _param("fieldValidation")]


def _paths(info: ResourceInfo) -> dict[str, Obj]:
    prefix = "/" + doc_path(info.group, info.version)
    if info.namespaced:
        prefix += "/namespaces/{namespace}"
    ref = schema.definition_name(info.group, info.version, info.kind)
    collection, item = f"{prefix}/{info.plural}", f"{prefix}/{info.plural}/{{name}}"
    verbs = set(info.verbs)
    coll: Obj = {}
    if "list" in verbs:
        coll["get"] = _op(info, "list", None, [_param("labelSelector"), _param("limit")])
    if "create" in verbs:
        coll["post"] = _op(info, "post", ref, _WRITE)
    paths = {collection: coll}
    one: Obj = {}
    if "get" in verbs:
        one["get"] = _op(info, "get", ref, [])
    if "update" in verbs:
        one["put"] = _op(info, "put", ref, _WRITE)
    if "patch" in verbs:
        one["patch"] = _op(info, "patch", ref, [*_WRITE, _param("force", kind="boolean")])
    if "delete" in verbs:
        one["delete"] = _op(info, "delete", None, [_param("dryRun")])
    if one:
        paths[item] = one
    return paths


@functools.cache
def document(group: str, version: str) -> bytes | None:
    """The encoded OpenAPI document of one group version."""
    infos = [i for i in served() if i.group == group and i.version == version]
    if not infos:
        return None
    paths: dict[str, Obj] = {}
    roots = []
    for info in infos:
        paths.update(_paths(info))
        name = schema.definition_name(info.group, info.version, info.kind)
        if name:
            roots.append(name)
    roots.append("io.k8s.apimachinery.pkg.apis.meta.v1.Status")
    schemas = {name: _schema(name) for name in _closure(roots)}
    doc = {"openapi": "3.0.0",
           "info": {"title": "Kubernetes", "version": schema.KUBERNETES_VERSION},
           "paths": paths,
           "components": {"schemas": schemas, "securitySchemes": {"BearerToken": {
               "type": "apiKey", "description": "Bearer Token authentication",
               "name": "authorization", "in": "header"}}}}
    return orjson.dumps(doc)


@functools.cache
def index() -> bytes:
    paths = {}
    for group, versions in group_versions().items():
        for version in versions:
            body = document(group, version)
            if body is None:
                continue
            digest = hashlib.sha512(body).hexdigest().upper()[:128]
            paths[doc_path(group, version)] = {
                "serverRelativeURL": f"/openapi/v3/{doc_path(group, version)}?hash={digest}"}
    return orjson.dumps({"paths": paths})


def parse_doc_path(path: str) -> tuple[str, str] | None:
    """``api/v1`` -> ("", "v1"); ``apis/apps/v1`` -> ("apps", "v1")."""
    parts = path.strip("/").split("/")
    if len(parts) == 2 and parts[0] == "api":
        return "", parts[1]
    if len(parts) == 3 and parts[0] == "apis":
        return parts[1], parts[2]
    return None
