"""``/openapi/v2``: the Swagger 2.0 document, as protobuf for kubectl ≤ 1.28.

kubectl 1.27 and 1.28 fetch ``/openapi/v2`` with ``Accept:
application/com.github.proto-openapi.spec.v2@v1.0+protobuf`` before
``apply`` (to learn that ``patch`` takes ``fieldValidation``, then leave
validation to the server; cli-runtime ``query_param_verifier.go``) and
``explain``; kubectl 1.29+ read ``/openapi/v3`` instead. Upstream:
k8s.io/kube-openapi ``pkg/handler`` (serves the same document as JSON or as
gnostic's ``openapi_v2.Document`` protobuf). Field numbers below are those
of gnostic-models ``openapiv2/OpenAPIv2.proto``; vendor extensions travel as
YAML text in ``Any.yaml``, as gnostic writes them.
"""

from __future__ import annotations

import functools
from typing import Any

import orjson
import yaml

from engine.api import schema
from engine.api.resources import ResourceInfo
from engine.rest.discovery import served

Obj = dict[str, Any]
PROTOBUF_TYPE = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
# What the reply says: Go's mime parser rejects the '@' of the Accept form, so
# kube-openapi answers with '.' (handler.go ``mimePb`` vs ``mimePbGz``).
PROTOBUF_REPLY_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
_SPECIAL = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": "string",
                                                        "format": "int-or-string"},
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": "string"},
}


# -- the Swagger document ----------------------------------------------------------
def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _convert(v) for k, v in node.items()
           if k not in ("enum", "oneOf", "properties")}
    if "properties" in node:  # property names are not keywords (JSONSchemaProps has "$ref")
        out["properties"] = {k: _convert(v) for k, v in node["properties"].items()}
    kind = out.get("type")
    if isinstance(kind, list):
        rest = [t for t in kind if t != "null"]
        out.pop("type")
        if rest:
            out["type"] = rest[0]
    if isinstance(node.get("$ref"), str):
        out["$ref"] = "#/definitions/" + node["$ref"].rsplit("/", 1)[-1]
    return out


def _definition(name: str) -> Obj:
    if name in _SPECIAL:
        return dict(_SPECIAL[name])
    return _convert(schema.definitions()[name])


def _query(name: str, kind: str = "string") -> Obj:
    return {"name": name, "in": "query", "type": kind, "uniqueItems": True}


def _operation(info: ResourceInfo, action: str, ref: str | None) -> Obj:
    params = [_query("dryRun"), _query("fieldManager"), _query("fieldValidation")]
    if action == "patch":
        params.append(_query("force", "boolean"))
        params.append({"name": "body", "in": "body", "required": True,
                       "schema": {"type": "object"}})
    op: Obj = {"operationId": f"{action}{info.kind}", "parameters": params,
               "responses": {"200": {"description": "OK"}},
               "x-kubernetes-action": action,
               "x-kubernetes-group-version-kind": {"group": info.group, "version": info.version,
                                                   "kind": info.kind}}
    if ref:
        op["responses"]["200"]["schema"] = {"$ref": f"#/definitions/{ref}"}
    return op


def _paths(info: ResourceInfo) -> dict[str, Obj]:
    prefix = f"/api/{info.version}" if not info.group else f"/apis/{info.group}/{info.version}"
    if info.namespaced:
        prefix += "/namespaces/{namespace}"
    ref = schema.definition_name(info.group, info.version, info.kind)
    item: Obj = {}
    if "get" in info.verbs:
        item["get"] = _operation(info, "get", ref)
    if "update" in info.verbs:
        item["put"] = _operation(info, "put", ref)
    if "patch" in info.verbs:
        item["patch"] = _operation(info, "patch", ref)
    collection: Obj = {}
    if "create" in info.verbs:
        collection["post"] = _operation(info, "post", ref)
    return {f"{prefix}/{info.plural}": collection, f"{prefix}/{info.plural}/{{name}}": item}


@functools.cache
def swagger() -> Obj:
    paths: Obj = {}
    for info in served():
        paths.update({p: ops for p, ops in _paths(info).items() if ops})
    definitions = {name: _definition(name) for name in schema.definitions()}
    return {"swagger": "2.0", "info": {"title": "Kubernetes", "version":
                                       schema.KUBERNETES_VERSION},
            "paths": paths, "definitions": definitions}


@functools.cache
def as_json() -> bytes:
    return orjson.dumps(swagger())


# -- protobuf encoding (gnostic openapi_v2.Document) ---------------------------------
def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _bytes(num: int, raw: bytes) -> bytes:
    return _varint(num << 3 | 2) + _varint(len(raw)) + raw


def _str(num: int, text: str) -> bytes:
    return _bytes(num, text.encode()) if text else b""


def _bool(num: int, value: bool) -> bytes:
    return _varint(num << 3) + b"\x01" if value else b""


def _named_any(name: str, value: Any) -> bytes:
    text = yaml.safe_dump(value, default_flow_style=False, sort_keys=True)
    return _str(1, name) + _bytes(2, _str(2, text))


def _extensions(num: int, node: Obj) -> bytes:
    return b"".join(_bytes(num, _named_any(k, v)) for k, v in node.items()
                    if k.startswith("x-"))


def encode_schema(node: Obj) -> bytes:
    """``Schema``: _ref 1, format 2, description 4, required 19,
    additionalProperties 21, type 22, items 23, allOf 24, properties 25,
    vendor_extension 31."""
    out = [_str(1, node.get("$ref", "")), _str(2, node.get("format", "")),
           _str(4, node.get("description", ""))]
    out.extend(_str(19, r) for r in node.get("required", []))
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        out.append(_bytes(21, _bytes(1, encode_schema(extra))))
    elif isinstance(extra, bool):
        out.append(_bytes(21, _varint(2 << 3) + (b"\x01" if extra else b"\x00")))
    if node.get("type"):
        out.append(_bytes(22, _str(1, node["type"])))
    if isinstance(node.get("items"), dict):
        out.append(_bytes(23, _bytes(1, encode_schema(node["items"]))))
    out.extend(_bytes(24, encode_schema(s)) for s in node.get("allOf", []))
    props = node.get("properties")
    if props:
        named = b"".join(_bytes(1, _str(1, k) + _bytes(2, encode_schema(v)))
                         for k, v in props.items())
        out.append(_bytes(25, named))
    out.append(_extensions(31, node))
    return b"".join(out)


def _parameter(param: Obj) -> bytes:
    """``ParametersItem{parameter: Parameter{body 1 | non_body 2}}``."""
    if param["in"] == "body":
        body = (_str(2, param["name"]) + _str(3, "body") + _bool(4, param.get("required", False))
                + _bytes(5, encode_schema(param["schema"])))
        return _bytes(1, _bytes(1, body))
    query = (_str(2, "query") + _str(4, param["name"]) + _str(6, param["type"])
             + _bool(20, param.get("uniqueItems", False)))
    return _bytes(1, _bytes(2, _bytes(3, query)))


def _operation_pb(op: Obj) -> bytes:
    out = [_str(5, op["operationId"])]
    out.extend(_bytes(8, _parameter(p)) for p in op["parameters"])
    codes = b""
    for code, response in op["responses"].items():
        body = _str(1, response["description"])
        if "schema" in response:
            body += _bytes(2, _bytes(1, encode_schema(response["schema"])))
        codes += _bytes(1, _str(1, code) + _bytes(2, _bytes(1, body)))
    out.append(_bytes(9, codes))
    out.append(_extensions(13, op))
    return b"".join(out)


_METHODS = {"get": 2, "put": 3, "post": 4, "delete": 5, "patch": 8}


@functools.cache
def as_protobuf() -> bytes:
    doc = swagger()
    paths = b""
    for path, ops in doc["paths"].items():
        item = b"".join(_bytes(_METHODS[m], _operation_pb(op)) for m, op in ops.items())
        paths += _bytes(2, _str(1, path) + _bytes(2, item))
    definitions = b"".join(_bytes(1, _str(1, name) + _bytes(2, encode_schema(node)))
                           for name, node in doc["definitions"].items())
    info = _str(1, doc["info"]["title"]) + _str(2, doc["info"]["version"])
    return (_str(1, doc["swagger"]) + _bytes(2, info) + _bytes(8, paths)
            + _bytes(9, definitions))
