"""Container environment: ConfigMap and Secret references resolved at start.

Upstream: ``pkg/kubelet/kubelet_pods.go`` (``makeEnvironmentVariables``) and
the watch-based ConfigMap/Secret managers. A reference to a missing object
or key fails the container's creation with ``CreateContainerConfigError`` and
the message the kubelet prints (``configmap "x" not found``, ``couldn't find
key k in Secret default/s``) unless the reference is ``optional``; the
kubelet tries again at its next pod sync, so the container starts once the
object appears.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

Obj = dict[str, Any]
Lookup = Callable[[str, str, str], Obj | None]  # (kind, namespace, name) -> object


class ConfigError(Exception):
    """Why the container's configuration cannot be generated."""


def resolve_env(lookup: Lookup, pod: Obj, container: Obj) -> dict[str, str]:
    """The container's environment, or :class:`ConfigError`."""
    ns = pod["metadata"]["namespace"]
    env: dict[str, str] = {}
    for source in container.get("envFrom") or ():
        env.update(_env_from(lookup, ns, source))
    for var in container.get("env") or ():
        value = _value(lookup, pod, container, var)
        if value is not None:
            env[var["name"]] = _expand(value, env)
    return env


def _env_from(lookup: Lookup, ns: str, source: Obj) -> dict[str, str]:
    prefix = source.get("prefix") or ""
    for kind, field in (("configmap", "configMapRef"), ("secret", "secretRef")):
        ref = source.get(field)
        if not ref:
            continue
        obj = lookup(kind, ns, ref.get("name", ""))
        if obj is None:
            if ref.get("optional"):
                return {}
            raise ConfigError(f'{kind} "{ref.get("name", "")}" not found')
        return {prefix + k: v for k, v in _data(kind, obj).items()}
    return {}


def _value(lookup: Lookup, pod: Obj, container: Obj, var: Obj) -> str | None:
    if "value" in var or not var.get("valueFrom"):
        return str(var.get("value", ""))
    source = var["valueFrom"]
    ns = pod["metadata"]["namespace"]
    for kind, field, title in (("configmap", "configMapKeyRef", "ConfigMap"),
                               ("secret", "secretKeyRef", "Secret")):
        ref = source.get(field)
        if ref:
            return _key(lookup, kind, title, ns, ref)
    if source.get("fieldRef"):
        return field_value(pod, source["fieldRef"].get("fieldPath", ""))
    if source.get("resourceFieldRef"):
        return _resource_value(container, source["resourceFieldRef"])
    return ""


def _key(lookup: Lookup, kind: str, title: str, ns: str, ref: Obj) -> str | None:
    name, key, optional = ref.get("name", ""), ref.get("key", ""), bool(ref.get("optional"))
    obj = lookup(kind, ns, name)
    if obj is None:
        if optional:
            return None
        raise ConfigError(f'{kind} "{name}" not found')
    data = _data(kind, obj)
    if key not in data:
        if optional:
            return None
        raise ConfigError(f"couldn't find key {key} in {title} {ns}/{name}")
    return data[key]


def _data(kind: str, obj: Obj) -> dict[str, str]:
    if kind == "configmap":
        return dict(obj.get("data") or {})
    out = {}
    for key, value in (obj.get("data") or {}).items():
        try:
            out[key] = base64.b64decode(value).decode("utf-8", "replace")
        except (ValueError, TypeError):
            out[key] = ""
    out.update(obj.get("stringData") or {})
    return out


def field_value(pod: Obj, path: str) -> str:
    """The downward API's ``fieldRef`` values."""
    meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    match = re.fullmatch(r"metadata\.(labels|annotations)\['(.+)'\]", path)
    if match:
        return (meta.get(match.group(1)) or {}).get(match.group(2), "")
    simple = {
        "metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace"),
        "metadata.uid": meta.get("uid"), "spec.nodeName": spec.get("nodeName"),
        "spec.serviceAccountName": spec.get("serviceAccountName"),
        "status.hostIP": status.get("hostIP"), "status.podIP": status.get("podIP"),
        "status.hostIPs": ",".join(i.get("ip", "") for i in status.get("hostIPs") or ()),
        "status.podIPs": ",".join(i.get("ip", "") for i in status.get("podIPs") or ()),
    }
    return simple.get(path) or ""


def _resource_value(container: Obj, ref: Obj) -> str:
    resource = ref.get("resource", "")
    kind, _, name = resource.partition(".")
    value = ((container.get("resources") or {}).get(kind) or {}).get(name)
    return str(value) if value is not None else "0"


def _expand(value: str, env: dict[str, str]) -> str:
    """``$(VAR)`` references to variables defined earlier; ``$$`` escapes."""
    def sub(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        return env.get(match.group(1), match.group(0))

    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)", sub, value)
