"""From a document to what apply sends: kind, namespace, name, last-applied.

kubectl's resource builder maps each object to a resource (RESTMapper), sets
the namespace (``-n``, else the document's, else ``default``) and
``GetModifiedConfiguration`` adds the last-applied annotation (k8s.io/kubectl
``pkg/util/apply.go``, ``pkg/cmd/apply/apply.go``). The checks here are the
ones kubectl makes before it sends anything, with its messages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from engine.api import errors as api_errors
from engine.api import schema
from engine.api.patch._json import go_json, json_copy, sort_keys_deep
from engine.api.resources import ResourceInfo, by_kind
from engine.api.validation.structural import validate_schema
from engine.apply.errors import ManifestError
from engine.apply.loader import Document

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
# Any kind whose ``metadata`` is an ObjectMeta, to check a document's metadata alone.
_METADATA_HOLDER = "io.k8s.api.core.v1.ConfigMap"
Obj = dict[str, Any]
Key = tuple[str, str, str, str]  # group, kind, namespace, name


@dataclass
class Target:
    """One object to apply, resolved against the API's kinds."""

    doc: Document
    info: ResourceInfo
    name: str
    namespace: str  # "" for cluster-scoped kinds
    obj: Obj  # the manifest with kubectl's namespace (and prune label) set

    @property
    def definition(self) -> str | None:
        """The OpenAPI definition (strategic merge metadata); None: JSON merge."""
        i = self.info
        return schema.definition_name(i.group, i.version, i.kind)

    @property
    def key(self) -> Key:
        return (self.info.group, self.info.kind, self.namespace, self.name)

    @property
    def ref(self) -> str:
        """kubectl's name printer: ``deployment.apps/nginx``, ``service/redis``."""
        return object_ref(self.info, self.name)

    @property
    def source(self) -> str:
        return self.doc.source

    @functools.cached_property
    def _modified(self) -> Obj:
        return sort_keys_deep(with_last_applied(self.obj))

    def modified(self) -> Obj:
        """The manifest with the last-applied annotation kubectl computes for it,
        keys sorted as kubectl's JSON body has them (Go marshals maps sorted).
        Computed once; callers must not change it."""
        return self._modified

    def body(self) -> Obj:
        """The manifest as kubectl sends it for server-side apply."""
        return sort_keys_deep(self.obj)

    def fail(self, message: str, reason: str = "", status: dict | None = None
             ) -> ManifestError:
        d = self.doc
        return ManifestError(message, d.source, d.line, 0, d.doc, reason, status=status)


def object_ref(info: ResourceInfo, name: str) -> str:
    kind = info.kind.lower()
    return f"{kind}.{info.group}/{name}" if info.group else f"{kind}/{name}"


def with_last_applied(obj: Obj) -> Obj:
    """``util.GetModifiedConfiguration(obj, annotate=true)``: the object with
    ``kubectl.kubernetes.io/last-applied-configuration`` holding its own compact
    JSON (that annotation removed, other annotations kept, ``{}`` when none)."""
    out = json_copy(obj)
    meta = out.setdefault("metadata", {})
    annotations = dict(meta.get("annotations") or {})
    annotations.pop(LAST_APPLIED, None)
    meta["annotations"] = annotations
    text = go_json(out) + "\n"
    meta["annotations"] = {**annotations, LAST_APPLIED: text}
    return out


def last_applied(live: Obj) -> Obj | None:
    """The live object's last-applied configuration, if it has a readable one."""
    import json

    text = ((live.get("metadata") or {}).get("annotations") or {}).get(LAST_APPLIED)
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def resolve(doc: Document, namespace: str | None, labels: dict[str, str] | None = None
            ) -> Target:
    """The target of one document, or kubectl's error for it.

    ``namespace`` is ``-n`` (None when not given); ``labels`` are added to the
    object (the ApplySet membership label when pruning).
    """
    obj = doc.obj
    meta = obj.get("metadata")
    _check_metadata(doc, meta)
    meta = meta or {}
    info = _mapping(doc, meta)
    name = meta.get("name")
    ns = _namespace(doc, info, meta, namespace)
    if not name or not isinstance(name, str):
        raise _no_name(doc, info, meta, ns)
    out = json_copy(obj)
    out["metadata"] = out.get("metadata") or {}
    if info.namespaced:
        out["metadata"]["namespace"] = ns
    if labels:
        out["metadata"]["labels"] = {**(out["metadata"].get("labels") or {}), **labels}
    return Target(doc, info, name, ns if info.namespaced else "", out)


def _mapping(doc: Document, meta: Obj) -> ResourceInfo:
    api_version, kind = str(doc.obj["apiVersion"]), str(doc.obj["kind"])
    try:
        return by_kind(api_version, kind)
    except api_errors.StatusError:
        pass
    name, ns = meta.get("name") or "", meta.get("namespace") or ""
    raise ManifestError(
        f'resource mapping not found for name: "{name}" namespace: "{ns}" from '
        f'"{doc.source}": no matches for kind "{kind}" in version "{api_version}"\n'
        "ensure CRDs are installed first", doc.source, doc.line, 0, doc.doc, "NoKindMatch")


def _namespace(doc: Document, info: ResourceInfo, meta: Obj, flag: str | None) -> str:
    """``-n`` and the document must agree (kubectl's ``EnforceNamespace``)."""
    own = meta.get("namespace") or ""
    if info.namespaced and flag and own and own != flag:
        raise ManifestError(
            f'the namespace from the provided object "{own}" does not match the namespace '
            f'"{flag}". You must pass \'--namespace={own}\' to perform this operation.',
            doc.source, doc.line, 0, doc.doc, "NamespaceMismatch")
    return own or flag or "default"


def _no_name(doc: Document, info: ResourceInfo, meta: Obj, ns: str) -> ManifestError:
    if meta.get("generateName"):
        message = f"from {meta['generateName']}: cannot use generate name with apply"
    else:
        gv = f"{info.group}/{info.version}"
        message = (
            "error when retrieving current configuration of:\n"
            f'Resource: "{gv}, Resource={info.plural}", GroupVersionKind: '
            f'"{gv}, Kind={info.kind}"\n'
            f'Name: "", Namespace: "{ns if info.namespaced else ""}"\n'
            f'from server for: "{doc.source}": resource name may not be empty')
    return ManifestError(message, doc.source, doc.line, 0, doc.doc, "NameRequired")


def _check_metadata(doc: Document, meta: Any) -> None:
    """cli-runtime's ``metadataValidatingDecoder``: metadata must decode as an
    ObjectMeta (Go's ``encoding/json`` wording), before the kind is even looked up."""
    if meta is None:
        return
    if not isinstance(meta, dict):
        detail = (f"json: cannot unmarshal {_json_kind(meta)} into Go struct field "
                  "metadataOnlyObject.metadata of type v1.ObjectMeta")
    else:
        type_errors, _ = validate_schema({"metadata": meta}, _METADATA_HOLDER)
        if not type_errors:
            return
        detail = str(type_errors[0])
    raise ManifestError(f'unable to decode "{doc.source}": {detail}', doc.source, doc.line, 0,
                        doc.doc, "DecodeError")


def _json_kind(value: Any) -> str:
    """Go's name for a JSON value's type in unmarshal errors."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    return "string"
