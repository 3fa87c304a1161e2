"""PodSpec validation shared by pods and every pod template (Deployments, Jobs, ...).

Upstream: pkg/apis/core/validation/validation.go — ``ValidatePodSpec``,
``ValidatePodTemplateSpec``, ``ValidateVolumes``, ``validateContainers``,
``validateInitContainers``, ``validateContainerCommon``, ``validateContainerPorts``,
``ValidateEnv``, ``ValidateEnvFrom``, ``ValidateVolumeMounts``, probes and handlers,
``ValidateTolerations``, ``validateAffinity``, ``validateTopologySpreadConstraints``,
``validatePodSpecSecurityContext``, ``ValidateSecurityContext``, ``validatePodDNSConfig``.

Objects arrive in their v1 JSON shape after defaulting. Paths are upstream's (which
name the internal type's fields: ``hostNetwork``, ``hostPID`` and friends live on the
pod security context internally but are reported where upstream reports them).
Functions append to a shared error list to keep a Pod's validation cheap.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

import orjson

from engine.api import errors
from engine.api.memo import LRU, MAX_KEY_BYTES
from engine.api.validation import names, resourcelists
from engine.api.validation.common import (
    IS_NEGATIVE_ERROR_MSG,
    MAX_INT32,
    Errs,
    GoValue,
    as_list,
    as_map,
    as_str,
    go_value,
    is_int,
    memo_clean,
)
from engine.api.validation.objectmeta import (
    validate_annotations,
    validate_label_name,
    validate_label_selector,
    validate_labels,
)

Obj = dict[str, Any]

FILE_MODE_ERROR_MSG = "must be a number between 0 and 0777 (octal), both inclusive"
PD_PARTITION_ERROR_MSG = names.inclusive_range_error(1, 255)
IS_NOT_POSITIVE_ERROR_MSG = "must be greater than zero"
IP_ERROR_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
MAX_DNS_NAMESERVERS = 3
MAX_DNS_SEARCH_PATHS = 32
MAX_DNS_SEARCH_LIST_CHARS = 2048

PROTOCOLS = ("SCTP", "TCP", "UDP")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
HOST_PATH_TYPES = ("", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File",
                   "FileOrCreate", "Socket")
MOUNT_PROPAGATIONS = ("Bidirectional", "HostToContainer", "None")
RECURSIVE_READ_ONLY = ("Disabled", "Enabled", "IfPossible")
SECCOMP_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
APPARMOR_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
ENV_FIELD_PATHS = ("metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
                   "spec.serviceAccountName", "status.hostIP", "status.hostIPs",
                   "status.podIP", "status.podIPs")
VOLUME_FIELD_PATHS = ("metadata.annotations", "metadata.labels", "metadata.name",
                      "metadata.namespace", "metadata.uid")
# podshelper.ConvertDownwardAPIFieldLabel: the labels a fieldRef may name.
DOWNWARD_API_LABELS = frozenset({
    "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
    "metadata.uid", "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName",
    "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs", "status.podIP",
    "status.podIPs",
})
RESOURCE_FIELD_PATHS = ("limits.cpu", "limits.ephemeral-storage", "limits.memory",
                        "requests.cpu", "requests.ephemeral-storage", "requests.memory")
# (json name, name in the "more than 1 volume type" error) in upstream's check order.
VOLUME_SOURCES = (
    ("emptyDir", "emptyDir"), ("hostPath", "hostPath"), ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"), ("secret", "secret"), ("nfs", "nfs"),
    ("iscsi", "iscsi"), ("glusterfs", "glusterfs"), ("flocker", "flocker"),
    ("persistentVolumeClaim", "persistentVolumeClaim"), ("rbd", "rbd"), ("cinder", "cinder"),
    ("cephfs", "cephFS"), ("quobyte", "quobyte"), ("downwardAPI", "downwarAPI"), ("fc", "fc"),
    ("flexVolume", "flexVolume"), ("configMap", "configMap"), ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"), ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"),
    ("storageos", "storageos"), ("projected", "projected"), ("scaleIO", "scaleIO"),
    ("csi", "csi"), ("ephemeral", "ephemeral"), ("image", "image"),
)
PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_SYSCTL_RE = re.compile(
    r"^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$")
_SYSCTL_FMT = (r"^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$")


def _s(obj: Obj, key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _m(obj: Obj, key: str) -> Obj:
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def _l(obj: Obj, key: str) -> list[Any]:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _present(obj: Obj, key: str) -> bool:
    return isinstance(obj.get(key), dict)


def _nonneg(obj: Obj, key: str, path: str, errs: Errs) -> None:
    value = obj.get(key)
    if is_int(value) and value < 0:
        errs.append(errors.invalid(f"{path}.{key}", value, IS_NEGATIVE_ERROR_MSG))


def dns1123_label(value: str, path: str, errs: Errs) -> None:
    for msg in names.is_dns1123_label(value):
        errs.append(errors.invalid(path, value, msg))


def dns1123_subdomain(value: str, path: str, errs: Errs) -> None:
    for msg in names.is_dns1123_subdomain(value):
        errs.append(errors.invalid(path, value, msg))


def qualified_name(value: str, path: str, errs: Errs) -> None:
    for msg in names.is_qualified_name(value):
        errs.append(errors.invalid(path, value, msg))


def valid_ip(value: str, path: str, errs: Errs) -> bool:
    """Upstream ``validation.IsValidIP(fldPath, value)``."""
    if names.is_valid_ip(value):
        return True
    errs.append(errors.invalid(path, value, IP_ERROR_MSG))
    return False


def name_fn_errors(fn: names.NameFunc, value: str, path: str, errs: Errs,
                   prefix: bool = False) -> None:
    for msg in fn(value, prefix):
        errs.append(errors.invalid(path, value, msg))


# -- paths ---------------------------------------------------------------------------


def _path_no_backsteps(target: str, path: str, errs: Errs) -> None:
    """Upstream ``validatePathNoBacksteps``."""
    if ".." in target.replace("\\", "/").split("/"):
        errs.append(errors.invalid(path, target, "must not contain '..'"))


def _local_descending_path(target: str, path: str, errs: Errs) -> None:
    """Upstream ``validateLocalDescendingPath``."""
    if target.startswith("/"):
        errs.append(errors.invalid(path, target, "must be a relative path"))
    _path_no_backsteps(target, path, errs)


def _local_non_reserved_path(target: str, path: str, errs: Errs) -> None:
    """Upstream ``ValidateLocalNonReservedPath``."""
    _local_descending_path(target, path, errs)
    if target.startswith("..") and not target.startswith("../"):
        errs.append(errors.invalid(path, target, "must not start with '..'"))


def _file_mode(obj: Obj, key: str, path: str, errs: Errs) -> None:
    mode = obj.get(key)
    if is_int(mode) and not 0 <= mode <= 0o777:
        errs.append(errors.invalid(f"{path}.{key}", mode, FILE_MODE_ERROR_MSG))


# -- volumes -------------------------------------------------------------------------


def validate_volumes(volumes: Any, pod_name: str, path: str, errs: Errs) -> dict[str, Obj]:
    """Upstream ``ValidateVolumes``: the valid volumes by name."""
    valid: dict[str, Obj] = {}
    seen: set[str] = set()
    created_pvcs = {f"{pod_name}-{_s(v, 'name')}" for v in map(as_map, as_list(volumes))
                    if pod_name and _present(v, "ephemeral")}
    for i, vol in enumerate(as_list(volumes)):
        vol = as_map(vol)
        p = f"{path}[{i}]"
        name = _s(vol, "name")
        el: Errs = []
        _volume_source(vol, p, name, pod_name, el)
        if not name:
            el.append(errors.required(f"{p}.name", ""))
        else:
            dns1123_label(name, f"{p}.name", el)
        if name in seen:
            el.append(errors.duplicate(f"{p}.name", name))
        if not el:
            seen.add(name)
            valid[name] = vol
        else:
            errs.extend(el)
        claim = _s(_m(vol, "persistentVolumeClaim"), "claimName")
        if claim and claim in created_pvcs:
            errs.append(errors.invalid(f"{p}.persistentVolumeClaim.claimName", claim,
                                       "must not reference a PVC that gets created for an "
                                       "ephemeral volume"))
    return valid


_SOURCE_ORDER = {key: (i, label) for i, (key, label) in enumerate(VOLUME_SOURCES)}


def _volume_source(vol: Obj, path: str, name: str, pod_name: str, errs: Errs) -> None:
    """Upstream ``validateVolumeSource``: exactly one source, each source's own rules."""
    present = sorted((_SOURCE_ORDER[k][0], k) for k, v in vol.items()
                     if k in _SOURCE_ORDER and isinstance(v, dict))
    if not present:
        errs.append(errors.required(path, "must specify a volume type"))
        return
    key = present[0][1]
    check = _SOURCE_CHECKS.get(key)
    if check is not None:
        check(vol[key], f"{path}.{key}", errs)
    if key == "ephemeral" and pod_name and name:
        pvc = f"{pod_name}-{name}"
        for msg in names.name_is_dns_subdomain(pvc, False):
            errs.append(errors.invalid(f"{path}.name", name, f'PVC name "{pvc}": {msg}'))
    for _, other in present[1:]:
        errs.append(errors.forbidden(f"{path}.{_SOURCE_ORDER[other][1]}",
                                     "may not specify more than 1 volume type"))


def _empty_dir(src: Obj, path: str, errs: Errs) -> None:
    limit = src.get("sizeLimit")
    if limit is not None:
        q = resourcelists.parse(limit)
        if q is not None and q.value < 0:
            errs.append(errors.forbidden(f"{path}.sizeLimit",
                                         "SizeLimit field must be a valid resource quantity"))


def _host_path(src: Obj, path: str, errs: Errs) -> None:
    target = _s(src, "path")
    if not target:
        errs.append(errors.required(f"{path}.path", ""))
        return
    _path_no_backsteps(target, f"{path}.path", errs)
    kind = src.get("type")
    if isinstance(kind, str) and kind not in HOST_PATH_TYPES:
        errs.append(errors.not_supported(f"{path}.type", kind, list(HOST_PATH_TYPES)))


def _key_to_paths(items: Any, path: str, errs: Errs) -> None:
    for i, kp in enumerate(as_list(items)):
        kp = as_map(kp)
        p = f"{path}[{i}]"
        if not _s(kp, "key"):
            errs.append(errors.required(f"{p}.key", ""))
        if not _s(kp, "path"):
            errs.append(errors.required(f"{p}.path", ""))
        _local_non_reserved_path(_s(kp, "path"), f"{p}.path", errs)
        _file_mode(kp, "mode", p, errs)


def _secret_volume(src: Obj, path: str, errs: Errs) -> None:
    if not _s(src, "secretName"):
        errs.append(errors.required(f"{path}.secretName", ""))
    _file_mode(src, "defaultMode", path, errs)
    _key_to_paths(src.get("items"), f"{path}.items", errs)


def _config_map_volume(src: Obj, path: str, errs: Errs) -> None:
    if not _s(src, "name"):
        errs.append(errors.required(f"{path}.name", ""))
    _file_mode(src, "defaultMode", path, errs)
    _key_to_paths(src.get("items"), f"{path}.items", errs)


def _pvc_volume(src: Obj, path: str, errs: Errs) -> None:
    if not _s(src, "claimName"):
        errs.append(errors.required(f"{path}.claimName", ""))


def _nfs_volume(src: Obj, path: str, errs: Errs) -> None:
    if not _s(src, "server"):
        errs.append(errors.required(f"{path}.server", ""))
    if not _s(src, "path"):
        errs.append(errors.required(f"{path}.path", ""))
    if not posixpath.isabs(_s(src, "path")):
        errs.append(errors.invalid(f"{path}.path", _s(src, "path"), "must be an absolute path"))


def _csi_volume(src: Obj, path: str, errs: Errs) -> None:
    driver = _s(src, "driver")
    validate_csi_driver_name(driver, f"{path}.driver", errs)
    ref = src.get("nodePublishSecretRef")
    if isinstance(ref, dict):
        ref_name = _s(ref, "name")
        if not ref_name:
            errs.append(errors.required(f"{path}.nodePublishSecretRef.name", ""))
        else:
            name_fn_errors(names.validate_secret_name, ref_name, f"{path}.name", errs)


def validate_csi_driver_name(driver: str, path: str, errs: Errs) -> None:
    """Upstream ``ValidateCSIDriverName``."""
    if not driver:
        errs.append(errors.required(path, ""))
    if len(driver) > 63:
        errs.append(errors.too_long(path, 63))
    for msg in names.is_dns1123_subdomain(driver.lower()):
        errs.append(errors.invalid(path, driver, msg))


def _downward_api_file(item: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validateDownwardAPIVolumeFile``."""
    if not _s(item, "path"):
        errs.append(errors.required(f"{path}.path", ""))
    _local_non_reserved_path(_s(item, "path"), f"{path}.path", errs)
    if _present(item, "fieldRef"):
        _object_field_selector(item["fieldRef"], VOLUME_FIELD_PATHS, f"{path}.fieldRef", errs)
        if _present(item, "resourceFieldRef"):
            errs.append(errors.invalid(path, "resource", "fieldRef and resourceFieldRef can not "
                                       "be specified simultaneously"))
    elif _present(item, "resourceFieldRef"):
        _resource_field_selector(item["resourceFieldRef"], f"{path}.resourceFieldRef", True, errs)
    else:
        errs.append(errors.required(path, "one of fieldRef and resourceFieldRef is required"))
    _file_mode(item, "mode", path, errs)


def _downward_api_volume(src: Obj, path: str, errs: Errs) -> None:
    _file_mode(src, "defaultMode", path, errs)
    for item in as_list(src.get("items")):
        _downward_api_file(as_map(item), path, errs)


@memo_clean()
def _projected_volume(src: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validateProjectedVolumeSource`` / ``validateProjectionSources``."""
    _file_mode(src, "defaultMode", path, errs)
    all_paths: set[str] = set()
    for i, source in enumerate(as_list(src.get("sources"))):
        source = as_map(source)
        sp = f"{path}.sources[{i}]"
        count = 0
        for kind in ("secret", "configMap"):
            if not _present(source, kind):
                continue
            count += 1
            proj = source[kind]
            if not _s(proj, "name"):
                errs.append(errors.required(f"{sp}.{kind}.name", ""))
            for j, kp in enumerate(as_list(proj.get("items"))):
                kp = as_map(kp)
                _key_to_path_errors(kp, f"{sp}.{kind}.items[{j}]", errs)
                target = _s(kp, "path")
                if target:
                    if target in all_paths:
                        errs.append(errors.invalid(path, _s(proj, "name"),
                                                   "conflicting duplicate paths"))
                    all_paths.add(target)
        if _present(source, "downwardAPI"):
            count += 1
            for item in as_list(source["downwardAPI"].get("items")):
                item = as_map(item)
                _downward_api_file(item, f"{sp}.downwardAPI", errs)
                target = _s(item, "path")
                if target:
                    if target in all_paths:
                        errs.append(errors.invalid(path, target, "conflicting duplicate paths"))
                    all_paths.add(target)
        if _present(source, "serviceAccountToken"):
            count += 1
            token = source["serviceAccountToken"]
            seconds = token.get("expirationSeconds")
            if is_int(seconds) and seconds < 600:
                errs.append(errors.invalid(f"{sp}.serviceAccountToken.expirationSeconds", seconds,
                                           "may not specify a duration less than 10 minutes"))
            if is_int(seconds) and seconds > 1 << 32:
                errs.append(errors.invalid(f"{sp}.serviceAccountToken.expirationSeconds", seconds,
                                           "may not specify a duration larger than 2^32 seconds"))
            if not _s(token, "path"):
                errs.append(errors.required(f"{path}.path", ""))
            else:
                _local_non_reserved_path(_s(token, "path"), f"{path}.path", errs)
        if _present(source, "clusterTrustBundle"):
            count += 1
        if count > 1:
            errs.append(errors.forbidden(sp, "may not specify more than 1 volume type per source"))


def _key_to_path_errors(kp: Obj, path: str, errs: Errs) -> None:
    if not _s(kp, "key"):
        errs.append(errors.required(f"{path}.key", ""))
    if not _s(kp, "path"):
        errs.append(errors.required(f"{path}.path", ""))
    _local_non_reserved_path(_s(kp, "path"), f"{path}.path", errs)
    _file_mode(kp, "mode", path, errs)


def _ephemeral_volume(src: Obj, path: str, errs: Errs) -> None:
    template = src.get("volumeClaimTemplate")
    if not isinstance(template, dict):
        errs.append(errors.required(f"{path}.volumeClaimTemplate", ""))
        return
    from engine.api.validation.core import validate_pvc_spec  # noqa: PLC0415 (cycle)

    tp = f"{path}.volumeClaimTemplate"
    meta = as_map(template.get("metadata"))
    errs.extend(validate_annotations(meta.get("annotations"), f"{tp}.metadata.annotations"))
    errs.extend(validate_labels(meta.get("labels"), f"{tp}.metadata.labels"))
    for key in meta:
        if key not in ("labels", "annotations") and meta[key] not in (None, "", {}, []):
            errs.append(errors.forbidden(f"{tp}.metadata.{key}", "cannot be set"))
    errs.extend(validate_pvc_spec(as_map(template.get("spec")), f"{tp}.spec"))


def _simple_required(*fields: str):
    def check(src: Obj, path: str, errs: Errs) -> None:
        for field in fields:
            if not src.get(field):
                errs.append(errors.required(f"{path}.{field}", ""))
    return check


_SOURCE_CHECKS = {
    "emptyDir": _empty_dir,
    "hostPath": _host_path,
    "gitRepo": _simple_required("repository"),
    "secret": _secret_volume,
    "nfs": _nfs_volume,
    "glusterfs": _simple_required("endpoints", "path"),
    "persistentVolumeClaim": _pvc_volume,
    "rbd": _simple_required("monitors", "image"),
    "cinder": _simple_required("volumeID"),
    "cephfs": _simple_required("monitors"),
    "downwardAPI": _downward_api_volume,
    "flexVolume": _simple_required("driver"),
    "configMap": _config_map_volume,
    "azureFile": _simple_required("secretName", "shareName"),
    "vsphereVolume": _simple_required("volumePath"),
    "photonPersistentDisk": _simple_required("pdID"),
    "portworxVolume": _simple_required("volumeID"),
    "azureDisk": _simple_required("diskName", "diskURI"),
    "projected": _projected_volume,
    "scaleIO": _simple_required("gateway", "system", "volumeName"),
    "csi": _csi_volume,
    "ephemeral": _ephemeral_volume,
}


# -- containers ----------------------------------------------------------------------


def _ports(ports: list[Any], path: str, errs: Errs) -> None:
    """Upstream ``validateContainerPorts``."""
    seen: set[str] = set()
    for i, port in enumerate(ports):
        port = as_map(port)
        p = f"{path}[{i}]"
        name = _s(port, "name")
        if name:
            msgs = names.is_valid_port_name(name)
            if msgs:
                errs.extend(errors.invalid(f"{p}.name", name, m) for m in msgs)
            elif name in seen:
                errs.append(errors.duplicate(f"{p}.name", name))
            else:
                seen.add(name)
        cport = port.get("containerPort")
        if not cport:
            errs.append(errors.required(f"{p}.containerPort", ""))
        elif is_int(cport) and not 1 <= cport <= 65535:
            errs.append(errors.invalid(f"{p}.containerPort", cport,
                                       names.inclusive_range_error(1, 65535)))
        hport = port.get("hostPort")
        if is_int(hport) and hport and not 1 <= hport <= 65535:
            errs.append(errors.invalid(f"{p}.hostPort", hport, names.inclusive_range_error(1, 65535)))
        protocol = _s(port, "protocol")
        if not protocol:
            errs.append(errors.required(f"{p}.protocol", ""))
        elif protocol not in PROTOCOLS:
            errs.append(errors.not_supported(f"{p}.protocol", protocol, list(PROTOCOLS)))


def _env(env: list[Any], path: str, errs: Errs) -> None:
    """Upstream ``ValidateEnv`` (RelaxedEnvironmentVariableValidation is on in v1.32)."""
    for i, var in enumerate(env):
        var = as_map(var)
        p = f"{path}[{i}]"
        name = _s(var, "name")
        if not name:
            errs.append(errors.required(f"{p}.name", ""))
        else:
            for msg in names.is_relaxed_env_var_name(name):
                errs.append(errors.invalid(f"{p}.name", name, msg))
        source = var.get("valueFrom")
        if isinstance(source, dict):
            _env_value_from(source, _s(var, "value"), f"{p}.valueFrom", errs)


def _env_value_from(source: Obj, value: str, path: str, errs: Errs) -> None:
    """Upstream ``validateEnvVarValueFrom``: exactly one source, and no ``value``."""
    count = 0
    if _present(source, "fieldRef"):
        count += 1
        _object_field_selector(source["fieldRef"], ENV_FIELD_PATHS, f"{path}.fieldRef", errs)
    if _present(source, "resourceFieldRef"):
        count += 1
        _resource_field_selector(source["resourceFieldRef"], f"{path}.resourceFieldRef", False,
                                 errs)
    for kind in ("configMapKeyRef", "secretKeyRef"):
        if _present(source, kind):
            count += 1
            _key_selector(source[kind], f"{path}.{kind}", errs)
    if count == 0:
        errs.append(errors.invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, "
                                   "`configMapKeyRef` or `secretKeyRef`"))
    elif value:
        errs.append(errors.invalid(path, "", "may not be specified when `value` is not empty"))
    elif count > 1:
        errs.append(errors.invalid(path, "", "may not have more than one field specified at a time"))


def _object_field_selector(ref: Obj, allowed: tuple[str, ...], path: str, errs: Errs) -> None:
    """Upstream ``validateObjectFieldSelector``."""
    api_version, field_path = _s(ref, "apiVersion"), _s(ref, "fieldPath")
    if not api_version:
        errs.append(errors.required(f"{path}.apiVersion", ""))
        return
    if not field_path:
        errs.append(errors.required(f"{path}.fieldPath", ""))
        return
    if api_version != "v1":
        errs.append(errors.invalid(f"{path}.fieldPath", field_path,
                                   f"error converting fieldPath: unsupported pod version: "
                                   f"{api_version}"))
        return
    base, subscript = _split_subscript(field_path)
    if base not in DOWNWARD_API_LABELS:
        errs.append(errors.invalid(f"{path}.fieldPath", field_path,
                                   f"error converting fieldPath: field label not supported: "
                                   f"{field_path}"))
        return
    if subscript is not None:
        if base == "metadata.annotations":
            qualified_name(subscript.lower(), path, errs)
        elif base == "metadata.labels":
            qualified_name(subscript, path, errs)
        else:
            errs.append(errors.invalid(path, base, "does not support subscript"))
    elif base not in allowed:
        errs.append(errors.not_supported(f"{path}.fieldPath", base, list(allowed)))


def _split_subscript(field_path: str) -> tuple[str, str | None]:
    """Upstream ``fieldpath.SplitMaybeSubscriptedPath``: ``metadata.labels['k']``."""
    if field_path.endswith("']"):
        base, sep, rest = field_path.partition("['")
        if sep:
            return base, rest[:-2]
    return field_path, None


def _resource_field_selector(ref: Obj, path: str, volume: bool, errs: Errs) -> None:
    """Upstream ``validateContainerResourceFieldSelector``."""
    resource = _s(ref, "resource")
    if volume and not _s(ref, "containerName"):
        errs.append(errors.required(f"{path}.containerName", ""))
    elif not resource:
        errs.append(errors.required(f"{path}.resource", ""))
    elif resource not in RESOURCE_FIELD_PATHS and not resource.startswith(
            ("requests.hugepages-", "limits.hugepages-")):
        errs.append(errors.not_supported(f"{path}.resource", resource, list(RESOURCE_FIELD_PATHS)))
    divisor = resourcelists.parse(ref.get("divisor", "0"))
    if divisor is None or divisor.value == 0:
        return
    text = str(divisor)
    if resource in ("limits.cpu", "requests.cpu") and text not in ("1m", "1"):
        errs.append(errors.invalid(f"{path}.divisor", resource, "only divisor's values 1m and 1 "
                                   "are supported with the cpu resource"))
    elif resource in ("limits.memory", "requests.memory") and text not in _BYTE_DIVISORS:
        errs.append(errors.invalid(f"{path}.divisor", resource, "only divisor's values 1, 1k, 1M, "
                                   "1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported "
                                   "with the memory resource"))


_BYTE_DIVISORS = frozenset({"1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti",
                            "1Pi", "1Ei"})


def _key_selector(ref: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validateConfigMapKeySelector`` / ``validateSecretKeySelector``."""
    name_fn_errors(names.validate_secret_name, _s(ref, "name"), f"{path}.name", errs)
    key = _s(ref, "key")
    if not key:
        errs.append(errors.required(f"{path}.key", ""))
    else:
        for msg in names.is_config_map_key(key):
            errs.append(errors.invalid(f"{path}.key", key, msg))


def _env_from(sources: list[Any], path: str, errs: Errs) -> None:
    """Upstream ``ValidateEnvFrom``."""
    for i, source in enumerate(sources):
        source = as_map(source)
        p = f"{path}[{i}]"
        prefix = _s(source, "prefix")
        if prefix:
            for msg in names.is_relaxed_env_var_name(prefix):
                errs.append(errors.invalid(f"{p}.prefix", prefix, msg))
        count = 0
        for kind in ("configMapRef", "secretRef"):
            if _present(source, kind):
                count += 1
                ref_name = _s(source[kind], "name")
                if not ref_name:
                    errs.append(errors.required(f"{p}.{kind}.name", ""))
                else:
                    name_fn_errors(names.name_is_dns_subdomain, ref_name, f"{p}.{kind}.name",
                                   errs, prefix=True)
        if count == 0:
            errs.append(errors.invalid(path, "", "must specify one of: `configMapRef` or "
                                       "`secretRef`"))
        elif count > 1:
            errs.append(errors.invalid(path, "", "may not have more than one field specified at "
                                       "a time"))


def _volume_mounts(c: Obj, volumes: dict[str, Obj], path: str, errs: Errs) -> None:
    """Upstream ``ValidateVolumeMounts``."""
    devices = {_s(as_map(d), "name"): _s(as_map(d), "devicePath") for d in _l(c, "volumeDevices")}
    mount_points: set[str] = set()
    privileged = _m(c, "securityContext").get("privileged") is True
    for i, mnt in enumerate(_l(c, "volumeMounts")):
        mnt = as_map(mnt)
        p = f"{path}[{i}]"
        name, mount_path = _s(mnt, "name"), _s(mnt, "mountPath")
        if not name:
            errs.append(errors.required(f"{p}.name", ""))
        if name not in volumes:
            errs.append(errors.not_found_field(f"{p}.name", name))
        if not mount_path:
            errs.append(errors.required(f"{p}.mountPath", ""))
        if mount_path in mount_points:
            errs.append(errors.invalid(f"{p}.mountPath", mount_path, "must be unique"))
        mount_points.add(mount_path)
        if name in devices:
            errs.append(errors.invalid(f"{p}.name", name, "must not already exist in volumeDevices"))
        if mount_path in devices.values():
            errs.append(errors.invalid(f"{p}.mountPath", mount_path,
                                       "must not already exist as a path in volumeDevices"))
        sub_path, sub_expr = _s(mnt, "subPath"), _s(mnt, "subPathExpr")
        if sub_path:
            _local_descending_path(sub_path, f"{path}.subPath", errs)
        if sub_expr:
            if sub_path:
                errs.append(errors.invalid(f"{p}.subPathExpr", sub_expr,
                                           "subPathExpr and subPath are mutually exclusive"))
            _local_descending_path(sub_expr, f"{path}.subPathExpr", errs)
        _mount_propagation(mnt, privileged, f"{path}.mountPropagation", errs)
        _recursive_read_only(mnt, f"{path}.recursiveReadOnly", errs)


def _mount_propagation(mnt: Obj, privileged: bool, path: str, errs: Errs) -> None:
    mode = mnt.get("mountPropagation")
    if not isinstance(mode, str):
        return
    if mode not in MOUNT_PROPAGATIONS:
        errs.append(errors.not_supported(path, mode, list(MOUNT_PROPAGATIONS)))
    if mode == "Bidirectional" and not privileged:
        errs.append(errors.forbidden(path, "Bidirectional mount propagation is available only to "
                                     "privileged containers"))


def _recursive_read_only(mnt: Obj, path: str, errs: Errs) -> None:
    rro = mnt.get("recursiveReadOnly")
    if not isinstance(rro, str) or rro == "Disabled":
        return
    if rro not in RECURSIVE_READ_ONLY:
        errs.append(errors.not_supported(path, rro, list(RECURSIVE_READ_ONLY)))
        return
    if mnt.get("readOnly") is not True:
        errs.append(errors.forbidden(path, "may only be specified when readOnly is true"))
    if mnt.get("mountPropagation") not in (None, "None"):
        errs.append(errors.forbidden(path, "may only be specified when mountPropagation is None "
                                     "or not specified"))


def _volume_devices(c: Obj, volumes: dict[str, Obj], path: str, errs: Errs) -> None:
    """Upstream ``ValidateVolumeDevices``."""
    mounts = {_s(as_map(m), "name"): _s(as_map(m), "mountPath") for m in _l(c, "volumeMounts")}
    dev_paths: set[str] = set()
    dev_names: set[str] = set()
    for i, dev in enumerate(_l(c, "volumeDevices")):
        dev = as_map(dev)
        p = f"{path}[{i}]"
        name, dev_path = _s(dev, "name"), _s(dev, "devicePath")
        vol = volumes.get(name)
        if not name:
            errs.append(errors.required(f"{p}.name", ""))
        if name in dev_names:
            errs.append(errors.invalid(f"{p}.name", name, "must be unique"))
        if vol is not None and not (_present(vol, "persistentVolumeClaim")
                                    or _present(vol, "ephemeral")):
            errs.append(errors.invalid(f"{p}.name", name, "can only use volume source type of "
                                       "PersistentVolumeClaim or Ephemeral for block mode"))
        if vol is None:
            errs.append(errors.not_found_field(f"{p}.name", name))
        if not dev_path:
            errs.append(errors.required(f"{p}.devicePath", ""))
        if dev_path in dev_paths:
            errs.append(errors.invalid(f"{p}.devicePath", dev_path, "must be unique"))
        if dev_path and ".." in dev_path.split("/"):
            errs.append(errors.invalid(f"{p}.devicePath", dev_path,
                                       "can not contain backsteps ('..')"))
        else:
            dev_paths.add(dev_path)
        if name in mounts:
            errs.append(errors.invalid(f"{p}.name", name, "must not already exist in volumeMounts"))
        if dev_path in mounts.values():
            errs.append(errors.invalid(f"{p}.devicePath", dev_path,
                                       "must not already exist as a path in volumeMounts"))
        if name:
            dev_names.add(name)


def _port_num_or_name(port: Any, path: str, errs: Errs) -> None:
    """Upstream ``ValidatePortNumOrName``."""
    if is_int(port):
        if not 1 <= port <= 65535:
            errs.append(errors.invalid(path, port, names.inclusive_range_error(1, 65535)))
    elif isinstance(port, str):
        for msg in names.is_valid_port_name(port):
            errs.append(errors.invalid(path, port, msg))
    elif port is None:
        errs.append(errors.invalid(path, 0, names.inclusive_range_error(1, 65535)))


def _handler(handler: Obj, grace: Any, path: str, errs: Errs, lifecycle: bool) -> None:
    """Upstream ``validateHandler``: exactly one handler type."""
    kinds = ("exec", "httpGet", "tcpSocket", "sleep") if lifecycle else (
        "exec", "httpGet", "tcpSocket", "grpc")
    count = 0
    for kind in kinds:
        if not _present(handler, kind):
            continue
        if count:
            errs.append(errors.forbidden(f"{path}.{kind}", "may not specify more than 1 handler type"))
            continue
        count += 1
        action, p = handler[kind], f"{path}.{kind}"
        if kind == "exec":
            if not _l(action, "command"):
                errs.append(errors.required(f"{p}.command", ""))
        elif kind == "httpGet":
            _http_get(action, p, errs)
        elif kind == "tcpSocket":
            _port_num_or_name(action.get("port"), f"{p}.port", errs)
        elif kind == "grpc":
            _port_num_or_name(action.get("port") if is_int(action.get("port")) else 0,
                              f"{p}.port", errs)
        else:
            _sleep(action, grace, p, errs)
    if count == 0:
        errs.append(errors.required(path, "must specify a handler type"))


def _http_get(action: Obj, path: str, errs: Errs) -> None:
    if not _s(action, "path"):
        errs.append(errors.required(f"{path}.path", ""))
    _port_num_or_name(action.get("port"), f"{path}.port", errs)
    scheme = _s(action, "scheme")
    if scheme not in ("HTTP", "HTTPS"):
        errs.append(errors.not_supported(f"{path}.scheme", scheme, ["HTTP", "HTTPS"]))
    for header in _l(action, "httpHeaders"):
        header_name = _s(as_map(header), "name")
        for msg in names.is_http_header_name(header_name):
            errs.append(errors.invalid(f"{path}.httpHeaders", header_name, msg))


def _sleep(action: Obj, grace: Any, path: str, errs: Errs) -> None:
    seconds = action.get("seconds")
    if is_int(grace) and is_int(seconds) and (seconds <= 0 or seconds > grace):
        errs.append(errors.invalid(
            path, seconds, f"must be greater than 0 and less than terminationGracePeriodSeconds "
            f"({grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero "
            "sleep."))


def _probe(probe: Any, kind: str, grace: Any, path: str, errs: Errs) -> None:
    """Upstream ``validateLivenessProbe`` / ``validateReadinessProbe`` /
    ``validateStartupProbe`` (``validateProbe``)."""
    if not isinstance(probe, dict):
        return
    _handler(probe, grace, path, errs, lifecycle=False)
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold"):
        _nonneg(probe, key, path, errs)
    tgps = probe.get("terminationGracePeriodSeconds")
    if is_int(tgps) and tgps <= 0:
        errs.append(errors.invalid(f"{path}.terminationGracePeriodSeconds", tgps,
                                   "must be greater than 0"))
    success = probe.get("successThreshold")
    if kind == "readinessProbe":
        if tgps is not None:
            errs.append(errors.invalid(f"{path}.terminationGracePeriodSeconds", tgps,
                                       "must not be set for readinessProbes"))
    elif is_int(success) and success != 1:
        errs.append(errors.invalid(f"{path}.successThreshold", success, "must be 1"))


def _lifecycle(lifecycle: Obj, grace: Any, path: str, errs: Errs) -> None:
    for hook in ("postStart", "preStop"):
        if _present(lifecycle, hook):
            _handler(lifecycle[hook], grace, f"{path}.{hook}", errs, lifecycle=True)


def _container_common(c: Obj, volumes: dict[str, Obj], claims: set[str], restart: str,
                      host_users: bool, path: str, errs: Errs) -> None:
    """Upstream ``validateContainerCommon``."""
    name = _s(c, "name")
    if not name:
        errs.append(errors.required(f"{path}.name", ""))
    else:
        dns1123_label(name, f"{path}.name", errs)
    if not _s(c, "image"):
        errs.append(errors.required(f"{path}.image", ""))
    policy = _s(c, "terminationMessagePolicy")
    if not policy:
        errs.append(errors.required(f"{path}.terminationMessagePolicy", ""))
    elif policy not in TERMINATION_MESSAGE_POLICIES:
        errs.append(errors.not_supported(f"{path}.terminationMessagePolicy", policy,
                                         list(TERMINATION_MESSAGE_POLICIES)))
    if "ports" in c:
        _ports(_l(c, "ports"), f"{path}.ports", errs)
    if "env" in c:
        _env(_l(c, "env"), f"{path}.env", errs)
    if "envFrom" in c:
        _env_from(_l(c, "envFrom"), f"{path}.envFrom", errs)
    if "volumeMounts" in c:
        _volume_mounts(c, volumes, f"{path}.volumeMounts", errs)
    if "volumeDevices" in c:
        _volume_devices(c, volumes, f"{path}.volumeDevices", errs)
    pull = _s(c, "imagePullPolicy")
    if not pull:
        errs.append(errors.required(f"{path}.imagePullPolicy", ""))
    elif pull not in PULL_POLICIES:
        errs.append(errors.not_supported(f"{path}.imagePullPolicy", pull, list(PULL_POLICIES)))
    if c.get("resources"):
        errs.extend(resourcelists.validate_resource_requirements(c["resources"],
                                                                 f"{path}.resources", claims))
    if "resizePolicy" in c:
        _resize_policy(_l(c, "resizePolicy"), restart, f"{path}.resizePolicy", errs)
    if isinstance(c.get("securityContext"), dict):
        validate_security_context(c["securityContext"], f"{path}.securityContext", host_users,
                                  errs)


def _resize_policy(policies: list[Any], restart: str, path: str, errs: Errs) -> None:
    """Upstream ``validateResizePolicy``."""
    seen: set[str] = set()
    for i, policy in enumerate(policies):
        policy = as_map(policy)
        resource, rp = _s(policy, "resourceName"), _s(policy, "restartPolicy")
        if resource in seen:
            errs.append(errors.duplicate(f"{path}[{i}]", resource))
        seen.add(resource)
        if not resource or not rp:
            errs.append(errors.required(path, ""))
        if resource and resource not in ("cpu", "memory"):
            errs.append(errors.not_supported(path, resource, ["cpu", "memory"]))
        if rp and rp not in ("NotRequired", "RestartContainer"):
            errs.append(errors.not_supported(path, rp, ["NotRequired", "RestartContainer"]))
        if restart == "Never" and rp != "NotRequired":
            errs.append(errors.invalid(path, rp, "must be 'NotRequired' when `restartPolicy` is "
                                       "'Never'"))


def validate_security_context(sc: Obj, path: str, host_users: bool, errs: Errs) -> None:
    """Upstream ``ValidateSecurityContext`` (containers)."""
    for key in ("runAsUser", "runAsGroup"):
        value = sc.get(key)
        if is_int(value) and not 0 <= value <= MAX_INT32:
            errs.append(errors.invalid(f"{path}.{key}", value, names.inclusive_range_error(0, MAX_INT32)))
    proc_mount = sc.get("procMount")
    if isinstance(proc_mount, str):
        if proc_mount not in ("Default", "Unmasked"):
            errs.append(errors.not_supported(f"{path}.procMount", proc_mount, ["Default", "Unmasked"]))
        if host_users and proc_mount == "Unmasked":
            errs.append(errors.invalid(f"{path}.procMount", proc_mount,
                                       "`hostUsers` must be false to use `Unmasked`"))
    _seccomp(sc.get("seccompProfile"), f"{path}.seccompProfile", errs)
    if sc.get("allowPrivilegeEscalation") is False:
        if sc.get("privileged") is True:
            errs.append(errors.invalid(path, go_value(sc), "cannot set `allowPrivilegeEscalation` "
                                       "to false and `privileged` to true"))
        for cap in as_list(_m(sc, "capabilities").get("add")):
            if cap == "CAP_SYS_ADMIN":
                errs.append(errors.invalid(path, go_value(sc), "cannot set "
                                           "`allowPrivilegeEscalation` to false and "
                                           "`capabilities.Add` CAP_SYS_ADMIN"))
    _app_armor(sc.get("appArmorProfile"), f"{path}.appArmorProfile", errs)


def _seccomp(profile: Any, path: str, errs: Errs) -> None:
    """Upstream ``validateSeccompProfileField``."""
    if not isinstance(profile, dict):
        return
    kind = _s(profile, "type")
    if not kind:
        errs.append(errors.required(f"{path}.type", "type is required when seccompProfile is set"))
    elif kind not in SECCOMP_TYPES:
        errs.append(errors.not_supported(f"{path}.type", kind, list(SECCOMP_TYPES)))
    local = profile.get("localhostProfile")
    if kind == "Localhost":
        if local is None:
            errs.append(errors.required(f"{path}.localhostProfile",
                                        "must be set when seccomp type is Localhost"))
        else:
            _local_descending_path(as_str(local), f"{path}.localhostProfile", errs)
    elif local is not None:
        errs.append(errors.invalid(f"{path}.localhostProfile", go_value(profile),
                                   "can only be set when seccomp type is Localhost"))


def _app_armor(profile: Any, path: str, errs: Errs) -> None:
    """Upstream ``ValidateAppArmorProfileField``."""
    if not isinstance(profile, dict):
        return
    kind, local = _s(profile, "type"), profile.get("localhostProfile")
    if kind == "Localhost":
        if not isinstance(local, str) or not local.strip():
            if isinstance(local, str) and local != local.strip():
                errs.append(errors.invalid(f"{path}.localhostProfile", local,
                                           "must not be padded with whitespace"))
            else:
                errs.append(errors.required(f"{path}.localhostProfile",
                                            "must be set when AppArmor type is Localhost"))
        elif local != local.strip():
            errs.append(errors.invalid(f"{path}.localhostProfile", local,
                                       "must not be padded with whitespace"))
    elif kind in ("RuntimeDefault", "Unconfined"):
        if local is not None:
            errs.append(errors.invalid(f"{path}.localhostProfile", local,
                                       "can only be set when AppArmor type is Localhost"))
    elif not kind:
        errs.append(errors.required(f"{path}.type", "type is required when appArmorProfile is set"))
    else:
        errs.append(errors.not_supported(f"{path}.type", kind, list(APPARMOR_TYPES)))


def _containers(spec: Obj, volumes: dict[str, Obj], claims: set[str], grace: Any,
                host_users: bool, path: str, errs: Errs) -> None:
    """Upstream ``validateContainers``."""
    containers = _l(spec, "containers")
    if not containers:
        errs.append(errors.required(path, ""))
        return
    restart = _s(spec, "restartPolicy")
    seen: set[str] = set()
    for i, c in enumerate(containers):
        c = as_map(c)
        p = f"{path}[{i}]"
        _container_common(c, volumes, claims, restart, host_users, p, errs)
        name = _s(c, "name")
        if name in seen:
            errs.append(errors.duplicate(f"{p}.name", name))
        else:
            seen.add(name)
        if _present(c, "lifecycle"):
            _lifecycle(c["lifecycle"], grace, f"{p}.lifecycle", errs)
        for kind in PROBES:
            if kind in c:
                _probe(c[kind], kind, grace, f"{p}.{kind}", errs)
        if c.get("restartPolicy") is not None:
            errs.append(errors.forbidden(f"{p}.restartPolicy", "may not be set for non-init "
                                         "containers"))
    _host_port_conflicts(containers, path, errs)


def _init_containers(spec: Obj, volumes: dict[str, Obj], claims: set[str], grace: Any,
                     host_users: bool, path: str, errs: Errs) -> None:
    """Upstream ``validateInitContainers``."""
    restart = _s(spec, "restartPolicy")
    seen = {_s(as_map(c), "name") for c in _l(spec, "containers")}
    for i, c in enumerate(_l(spec, "initContainers")):
        c = as_map(c)
        p = f"{path}[{i}]"
        _container_common(c, volumes, claims, restart, host_users, p, errs)
        restart_always = False
        policy = c.get("restartPolicy")
        if isinstance(policy, str):
            if policy != "Always":
                errs.append(errors.not_supported(f"{p}.restartPolicy", policy, ["Always"]))
            restart_always = policy == "Always"
        name = _s(c, "name")
        if name in seen:
            errs.append(errors.duplicate(f"{p}.name", name))
        elif name:
            seen.add(name)
        _host_port_conflicts([c], path, errs)
        if restart_always:
            if _present(c, "lifecycle"):
                _lifecycle(c["lifecycle"], grace, f"{p}.lifecycle", errs)
            for kind in PROBES:
                if kind in c:
                    _probe(c[kind], kind, grace, f"{p}.{kind}", errs)
        else:
            for kind in ("lifecycle", *PROBES):
                if c.get(kind) is not None:
                    errs.append(errors.forbidden(f"{p}.{kind}", "may not be set for init "
                                                 "containers without restartPolicy=Always"))
        if c.get("resizePolicy"):
            errs.append(errors.invalid(f"{p}.resizePolicy", go_value(c["resizePolicy"]),
                                       "must not be set for init containers"))


def _host_port_conflicts(containers: list[Any], path: str, errs: Errs) -> None:
    """Upstream ``checkHostPortConflicts``."""
    seen: set[str] = set()
    for ci, c in enumerate(containers):
        for pi, port in enumerate(_l(as_map(c), "ports")):
            port = as_map(port)
            host_port = port.get("hostPort")
            if not is_int(host_port) or host_port == 0:
                continue
            key = f"{_s(port, 'protocol')}/{_s(port, 'hostIP')}/{host_port}"
            if key in seen:
                errs.append(errors.duplicate(f"{path}[{ci}].ports[{pi}].hostPort", key))
            seen.add(key)


# -- scheduling ----------------------------------------------------------------------


@memo_clean()
def validate_tolerations(tolerations: Any, path: str, errs: Errs) -> None:
    """Upstream ``ValidateTolerations``."""
    for i, tol in enumerate(as_list(tolerations)):
        tol = as_map(tol)
        p = f"{path}[{i}]"
        key, op, effect = _s(tol, "key"), _s(tol, "operator"), _s(tol, "effect")
        value = _s(tol, "value")
        if key:
            errs.extend(validate_label_name(key, f"{p}.key"))
        if not key and op != "Exists":
            errs.append(errors.invalid(f"{p}.operator", op, "operator must be Exists when `key` is "
                                       'empty, which means "match all values and all keys"'))
        if tol.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(errors.invalid(f"{p}.effect", effect, "effect must be 'NoExecute' when "
                                       "`tolerationSeconds` is set"))
        if op in ("Equal", ""):
            msgs = names.is_valid_label_value(value)
            if msgs:
                errs.append(errors.invalid(f"{p}.operator", value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                errs.append(errors.invalid(f"{p}.operator", value, "value must be empty when "
                                           "`operator` is 'Exists'"))
        else:
            errs.append(errors.not_supported(f"{p}.operator", op, ["Equal", "Exists"]))
        if effect and effect not in TAINT_EFFECTS:
            errs.append(errors.not_supported(f"{p}.effect", effect, list(TAINT_EFFECTS)))


def validate_node_selector_requirement(req: Obj, allow_invalid: bool, path: str,
                                       errs: Errs) -> None:
    """Upstream ``ValidateNodeSelectorRequirement``."""
    op, values = _s(req, "operator"), _l(req, "values")
    if op in ("In", "NotIn"):
        if not values:
            errs.append(errors.required(f"{path}.values", "must be specified when `operator` is "
                                        "'In' or 'NotIn'"))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(errors.forbidden(f"{path}.values", "may not be specified when `operator` "
                                         "is 'Exists' or 'DoesNotExist'"))
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            errs.append(errors.required(f"{path}.values", "must be specified single value when "
                                        "`operator` is 'Lt' or 'Gt'"))
    else:
        errs.append(errors.invalid(f"{path}.operator", op, "not a valid selector operator"))
    errs.extend(validate_label_name(_s(req, "key"), f"{path}.key"))
    if not allow_invalid:
        for j, value in enumerate(values):
            value = as_str(value)
            for msg in names.is_valid_label_value(value):
                errs.append(errors.invalid(f"{path}.values[{j}]", value, msg))


def _node_field_requirement(req: Obj, path: str, errs: Errs) -> None:
    """Upstream ``ValidateNodeFieldSelectorRequirement``."""
    op, values = _s(req, "operator"), _l(req, "values")
    if op in ("In", "NotIn"):
        if len(values) != 1:
            errs.append(errors.required(f"{path}.values", "must be only one value when `operator` "
                                        "is 'In' or 'NotIn' for node field selector"))
    else:
        errs.append(errors.invalid(f"{path}.operator", op, "not a valid selector operator"))
    key = _s(req, "key")
    if key != "metadata.name":
        errs.append(errors.invalid(f"{path}.key", key, "not a valid field selector key"))
    else:
        for j, value in enumerate(values):
            name_fn_errors(names.validate_node_name, as_str(value), f"{path}.values[{j}]", errs)


def validate_node_selector_term(term: Obj, allow_invalid: bool, path: str, errs: Errs) -> None:
    """Upstream ``ValidateNodeSelectorTerm``."""
    for j, req in enumerate(_l(term, "matchExpressions")):
        validate_node_selector_requirement(as_map(req), allow_invalid,
                                           f"{path}.matchExpressions[{j}]", errs)
    for j, req in enumerate(_l(term, "matchFields")):
        _node_field_requirement(as_map(req), f"{path}.matchFields[{j}]", errs)


def validate_node_selector(selector: Obj, allow_invalid: bool, path: str, errs: Errs) -> None:
    """Upstream ``ValidateNodeSelector``."""
    terms = _l(selector, "nodeSelectorTerms")
    if not terms:
        errs.append(errors.required(f"{path}.nodeSelectorTerms", "must have at least one node "
                                    "selector term"))
        return
    for i, term in enumerate(terms):
        validate_node_selector_term(as_map(term), allow_invalid, f"{path}.nodeSelectorTerms[{i}]",
                                    errs)


def _weight(term: Obj, path: str, errs: Errs) -> None:
    weight = term.get("weight")
    if not is_int(weight) or not 1 <= weight <= 100:
        errs.append(errors.invalid(path, weight if is_int(weight) else 0,
                                   "must be in the range 1-100"))


def _pod_affinity_term(term: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validatePodAffinityTerm``."""
    errs.extend(validate_label_selector(term.get("labelSelector"), f"{path}.labelSelector"))
    errs.extend(validate_label_selector(term.get("namespaceSelector"),
                                        f"{path}.namespaceSelector"))
    for ns in _l(term, "namespaces"):
        name_fn_errors(names.validate_namespace_name, as_str(ns), f"{path}.namespace", errs)
    selector = term.get("labelSelector")
    match_keys, mismatch_keys = _l(term, "matchLabelKeys"), _l(term, "mismatchLabelKeys")
    for kind, keys in (("matchLabelKeys", match_keys), ("mismatchLabelKeys", mismatch_keys)):
        if not keys:
            continue
        if not isinstance(selector, dict):
            errs.append(errors.forbidden(f"{path}.{kind}", "must not be specified when "
                                         "labelSelector is not set"))
            continue
        for j, key in enumerate(keys):
            errs.extend(validate_label_name(as_str(key), f"{path}.{kind}[{j}]"))
    mismatch = set(map(as_str, mismatch_keys))
    for j, key in enumerate(match_keys):
        if as_str(key) in mismatch:
            errs.append(errors.invalid(f"{path}.matchLabelKeys[{j}]", as_str(key),
                                       "exists in both matchLabelKeys and mismatchLabelKeys"))
    topology = _s(term, "topologyKey")
    if not topology:
        errs.append(errors.required(f"{path}.topologyKey", "can not be empty"))
    errs.extend(validate_label_name(topology, f"{path}.topologyKey"))


def _pod_affinity(affinity: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validatePodAffinity`` / ``validatePodAntiAffinity``."""
    for i, term in enumerate(_l(affinity, "requiredDuringSchedulingIgnoredDuringExecution")):
        _pod_affinity_term(as_map(term),
                           f"{path}.requiredDuringSchedulingIgnoredDuringExecution[{i}]", errs)
    for i, term in enumerate(_l(affinity, "preferredDuringSchedulingIgnoredDuringExecution")):
        term = as_map(term)
        p = f"{path}.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
        _weight(term, f"{p}.weight", errs)
        _pod_affinity_term(_m(term, "podAffinityTerm"), f"{p}.podAffinityTerm", errs)


def validate_affinity(affinity: Any, path: str, errs: Errs) -> None:
    """Upstream ``validateAffinity``."""
    if not isinstance(affinity, dict):
        return
    node = affinity.get("nodeAffinity")
    if isinstance(node, dict):
        p = f"{path}.nodeAffinity"
        required = node.get("requiredDuringSchedulingIgnoredDuringExecution")
        if isinstance(required, dict):
            validate_node_selector(required, False,
                                   f"{p}.requiredDuringSchedulingIgnoredDuringExecution", errs)
        for i, term in enumerate(_l(node, "preferredDuringSchedulingIgnoredDuringExecution")):
            term = as_map(term)
            tp = f"{p}.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
            _weight(term, f"{tp}.weight", errs)
            validate_node_selector_term(_m(term, "preference"), True, f"{tp}.preference", errs)
    for kind in ("podAffinity", "podAntiAffinity"):
        if _present(affinity, kind):
            _pod_affinity(affinity[kind], f"{path}.{kind}", errs)


def _topology_spread(constraints: list[Any], path: str, errs: Errs) -> None:
    """Upstream ``validateTopologySpreadConstraints``."""
    items = [as_map(c) for c in constraints]
    for i, c in enumerate(items):
        p = f"{path}[{i}]"
        skew = c.get("maxSkew")
        if not is_int(skew) or skew <= 0:
            errs.append(errors.invalid(f"{p}.maxSkew", skew if is_int(skew) else 0,
                                       IS_NOT_POSITIVE_ERROR_MSG))
        key, action = _s(c, "topologyKey"), _s(c, "whenUnsatisfiable")
        if not key:
            errs.append(errors.required(f"{p}.topologyKey", "can not be empty"))
        if action not in ("DoNotSchedule", "ScheduleAnyway"):
            errs.append(errors.not_supported(f"{p}.whenUnsatisfiable", action,
                                             ["DoNotSchedule", "ScheduleAnyway"]))
        for rest in items[i + 1:]:
            if _s(rest, "topologyKey") == key and _s(rest, "whenUnsatisfiable") == action:
                errs.append(errors.duplicate(f"{p}.{{topologyKey, whenUnsatisfiable}}",
                                             f"{{{key}, {action}}}"))
                break
        _min_domains(c.get("minDomains"), action, f"{p}.minDomains", errs)
        for policy in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            value = c.get(policy)
            if isinstance(value, str) and value not in ("Honor", "Ignore"):
                errs.append(errors.not_supported(f"{p}.{policy}", value, ["Honor", "Ignore"]))
        _match_label_keys(c, f"{p}.matchLabelKeys", errs)
        errs.extend(validate_label_selector(c.get("labelSelector"), f"{p}.labelSelector"))


def _min_domains(value: Any, action: str, path: str, errs: Errs) -> None:
    if not is_int(value):
        return
    if value <= 0:
        errs.append(errors.invalid(path, value, IS_NOT_POSITIVE_ERROR_MSG))
    if action != "DoNotSchedule":
        errs.append(errors.invalid(path, value, "can only use minDomains if "
                                   f"whenUnsatisfiable=DoNotSchedule, not {action}"))


def _match_label_keys(c: Obj, path: str, errs: Errs) -> None:
    keys = _l(c, "matchLabelKeys")
    if not keys:
        return
    selector = c.get("labelSelector")
    selector_keys: set[str] = set()
    if isinstance(selector, dict):
        selector_keys.update(as_map(selector.get("matchLabels")))
        selector_keys.update(_s(as_map(e), "key") for e in as_list(selector.get("matchExpressions")))
    else:
        errs.append(errors.forbidden(path, "must not be specified when labelSelector is not set"))
    for i, key in enumerate(keys):
        key = as_str(key)
        errs.extend(validate_label_name(key, f"{path}[{i}]"))
        if key in selector_keys:
            errs.append(errors.invalid(f"{path}[{i}]", key,
                                       "exists in both matchLabelKeys and labelSelector"))


# -- pod-level -----------------------------------------------------------------------


def _pod_security_context(spec: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validatePodSpecSecurityContext`` (v1 keeps host* on the spec)."""
    sc = spec.get("securityContext")
    if not isinstance(sc, dict):
        return
    p = f"{path}.securityContext"
    for key in ("fsGroup", "runAsUser", "runAsGroup"):
        value = sc.get(key)
        if is_int(value) and not 0 <= value <= MAX_INT32:
            errs.append(errors.invalid(f"{p}.{key}", value, names.inclusive_range_error(0, MAX_INT32)))
    for i, gid in enumerate(_l(sc, "supplementalGroups")):
        if is_int(gid) and not 0 <= gid <= MAX_INT32:
            errs.append(errors.invalid(f"{p}.supplementalGroups[{i}]", gid,
                                       names.inclusive_range_error(0, MAX_INT32)))
    if spec.get("shareProcessNamespace") is True and spec.get("hostPID") is True:
        errs.append(errors.invalid(f"{p}.shareProcessNamespace", True,
                                   "ShareProcessNamespace and HostPID cannot both be enabled"))
    if _l(sc, "sysctls"):
        _sysctls(spec, _l(sc, "sysctls"), f"{p}.sysctls", errs)
    policy = sc.get("fsGroupChangePolicy")
    if isinstance(policy, str) and policy not in ("Always", "OnRootMismatch"):
        errs.append(errors.not_supported(f"{p}.fsGroupChangePolicy", policy,
                                         ["Always", "OnRootMismatch"]))
    _seccomp(sc.get("seccompProfile"), f"{p}.seccompProfile", errs)
    _app_armor(sc.get("appArmorProfile"), f"{p}.appArmorProfile", errs)
    groups_policy = sc.get("supplementalGroupsPolicy")
    if isinstance(groups_policy, str) and groups_policy not in ("Merge", "Strict"):
        errs.append(errors.not_supported(f"{p}.supplementalGroupsPolicy", groups_policy,
                                         ["Merge", "Strict"]))


def _sysctls(spec: Obj, sysctls: list[Any], path: str, errs: Errs) -> None:
    """Upstream ``validateSysctls`` and ``ValidateHostSysctl``."""
    seen: set[str] = set()
    for i, item in enumerate(sysctls):
        name = _s(as_map(item), "name")
        p = f"{path}[{i}].name"
        if not name:
            errs.append(errors.required(p, ""))
        elif len(name) > 253 or not _SYSCTL_RE.match(name):
            errs.append(errors.invalid(p, name, f"must have at most 253 characters and match regex "
                                       f"{_SYSCTL_FMT}"))
        elif name in seen:
            errs.append(errors.duplicate(p, name))
        if spec.get("hostNetwork") is True and name.startswith("net."):
            errs.append(errors.invalid(p, name, "may not be specified when 'hostNetwork' is true"))
        elif spec.get("hostIPC") is True and (
                name.startswith(("kernel.shm", "kernel.msg", "fs.mqueue."))
                or name == "kernel.sem"):
            errs.append(errors.invalid(p, name, "may not be specified when 'hostIPC' is true"))
        seen.add(name)


def _dns_config(spec: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validatePodDNSConfig``."""
    config = spec.get("dnsConfig")
    p = f"{path}.dnsConfig"
    if _s(spec, "dnsPolicy") == "None":
        if not isinstance(config, dict):
            errs.append(errors.required(p, "must provide `dnsConfig` when `dnsPolicy` is None"))
            return
        if not _l(config, "nameservers"):
            errs.append(errors.required(f"{p}.nameservers", "must provide at least one DNS "
                                        "nameserver when `dnsPolicy` is None"))
            return
    if not isinstance(config, dict):
        return
    servers = _l(config, "nameservers")
    if len(servers) > MAX_DNS_NAMESERVERS:
        errs.append(errors.invalid(f"{p}.nameservers", go_value(servers),
                                   f"must not have more than {MAX_DNS_NAMESERVERS} nameservers"))
    for i, server in enumerate(servers):
        valid_ip(as_str(server), f"{p}.nameservers[{i}]", errs)
    searches = [as_str(s) for s in _l(config, "searches")]
    if len(searches) > MAX_DNS_SEARCH_PATHS:
        errs.append(errors.invalid(f"{p}.searches", go_value(searches),
                                   f"must not have more than {MAX_DNS_SEARCH_PATHS} search paths"))
    if len(" ".join(searches)) > MAX_DNS_SEARCH_LIST_CHARS:
        errs.append(errors.invalid(f"{p}.searches", go_value(searches),
                                   f"must not have more than {MAX_DNS_SEARCH_LIST_CHARS} "
                                   "characters (including spaces) in the search list"))
    for i, search in enumerate(searches):
        dns1123_subdomain(search.removesuffix("."), f"{p}.searches[{i}]", errs)
    for i, option in enumerate(_l(config, "options")):
        if not _s(as_map(option), "name"):
            errs.append(errors.required(f"{p}.options[{i}]", "must not be empty"))


def _host_network_ports(spec: Obj, is_pod: bool, path: str, errs: Errs) -> None:
    """Upstream ``validatePodHostNetworkDeps``."""
    if spec.get("hostNetwork") is not True:
        return
    for i, c in enumerate(_l(spec, "containers")):
        for j, port in enumerate(_l(as_map(c), "ports")):
            port = as_map(port)
            hp, cp = port.get("hostPort", 0), port.get("containerPort", 0)
            if (is_pod or hp != 0) and hp != cp:
                errs.append(errors.invalid(f"{path}.containers[{i}].ports[{j}].hostPort", hp,
                                           "must match `containerPort` when `hostNetwork` is true"))


def _scheduling_gates(gates: list[Any], path: str, errs: Errs) -> None:
    seen: set[str] = set()
    for i, gate in enumerate(gates):
        name = _s(as_map(gate), "name")
        qualified_name(name, f"{path}[{i}]", errs)
        if name in seen:
            errs.append(errors.duplicate(f"{path}[{i}]", name))
        seen.add(name)


def _restart_policy(spec: Obj, path: str, errs: Errs) -> None:
    policy = _s(spec, "restartPolicy")
    if not policy:
        errs.append(errors.required(f"{path}.restartPolicy", ""))
    elif policy not in RESTART_POLICIES:
        errs.append(errors.not_supported(f"{path}.restartPolicy", policy, list(RESTART_POLICIES)))


def _dns_policy(spec: Obj, path: str, errs: Errs) -> None:
    policy = _s(spec, "dnsPolicy")
    if not policy:
        errs.append(errors.required(f"{path}.dnsPolicy", ""))
    elif policy not in DNS_POLICIES:
        errs.append(errors.not_supported(f"{path}.dnsPolicy", policy, list(DNS_POLICIES)))


def _resource_claims(spec: Obj, path: str, errs: Errs) -> set[str]:
    """Upstream ``validatePodResourceClaims``; returns the claim names."""
    seen: set[str] = set()
    for i, claim in enumerate(_l(spec, "resourceClaims")):
        claim = as_map(claim)
        p = f"{path}[{i}]"
        name = _s(claim, "name")
        if not name:
            errs.append(errors.required(f"{p}.name", ""))
        elif name in seen:
            errs.append(errors.duplicate(f"{p}.name", name))
        else:
            dns1123_label(name, f"{p}.name", errs)
            seen.add(name)
        has_claim = claim.get("resourceClaimName") is not None
        has_template = claim.get("resourceClaimTemplateName") is not None
        if has_claim and has_template:
            errs.append(errors.invalid(p, go_value(claim), "at most one of `resourceClaimName` or "
                                       "`resourceClaimTemplateName` may be specified"))
        if not has_claim and not has_template:
            errs.append(errors.invalid(p, go_value(claim), "must specify one of: "
                                       "`resourceClaimName`, `resourceClaimTemplateName`"))
    return seen


# Pod specs that validated clean, by (path, is_pod, pod name, template key):
# the pods of one template send the same spec. The pod name matters only to
# ephemeral volumes (their claim names), so it is part of the key only then.
_CLEAN_SPECS = LRU(512)
# The service-account admission plugin's volume, ``kube-api-access-`` and five
# characters of the generated-name alphabet: different in every pod.
_TOKEN_VOLUME = re.compile(rb'"(kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5})"')
_TOKEN_PREFIX = b'"kube-api-access-'


def template_key(encoded: bytes) -> tuple[bytes, ...]:
    """A pod spec's JSON bytes with its token volume's name cut out.

    Two specs with the same key are the same bytes but for a consistent
    renaming of one such name into another: the key is the bytes split at every
    occurrence of the spec's own name, so neither name occurs elsewhere in
    either spec. The names have the same length and character classes
    (lowercase letters, digits, dashes), so every check of a pod spec (DNS
    labels, uniqueness, volumeMount references, lengths) decides both alike.
    """
    # ``_TOKEN_VOLUME.search``, found faster: bytes.find skips to each
    # candidate (a fifth of the cost of the regex scanning a whole spec).
    start = encoded.find(_TOKEN_PREFIX)
    while start >= 0:
        found = _TOKEN_VOLUME.match(encoded, start)
        if found is not None:
            return tuple(encoded.split(found.group(1)))
        start = encoded.find(_TOKEN_PREFIX, start + 1)
    return (encoded,)


def spec_bytes(spec: Any) -> bytes | None:
    """``spec``'s JSON bytes when they identify it exactly: a dict, encodable,
    without null (NaN encodes as null too); else None."""
    if type(spec) is not dict:
        return None
    try:
        encoded = orjson.dumps(spec)
    except (TypeError, orjson.JSONEncodeError):
        return None
    return None if b"null" in encoded else encoded


def validate_pod_spec(spec: Any, path: str, pod_name: str = "", is_pod: bool = False, *,
                      encoded: bytes | None = None) -> Errs:
    """Upstream ``ValidatePodSpec``; a spec that passed before passes at once.

    Only clean results are remembered, so errors are always worked out afresh
    with the caller's path and name; unserialisable specs are always walked.
    ``encoded``: :func:`spec_bytes` of ``spec``, when the caller has them."""
    if encoded is None:
        encoded = spec_bytes(spec)
    if encoded is None or len(encoded) > MAX_KEY_BYTES:
        return _validate_pod_spec(spec, path, pod_name, is_pod)
    key = (path, is_pod, pod_name if b'"ephemeral"' in encoded else "", template_key(encoded))
    if _CLEAN_SPECS.get(key) is not None:
        return []
    errs = _validate_pod_spec(spec, path, pod_name, is_pod)
    if not errs:
        _CLEAN_SPECS.put(key, True)
    return errs


def _validate_pod_spec(spec: Any, path: str, pod_name: str, is_pod: bool) -> Errs:
    """Upstream ``ValidatePodSpec`` (optional parts are skipped when absent)."""
    spec = as_map(spec)
    errs: Errs = []
    grace = spec.get("terminationGracePeriodSeconds")
    if grace is None:
        errs.append(errors.required(f"{path}.terminationGracePeriodSeconds", ""))
    host_users = _m(spec, "securityContext").get("hostUsers") is not False
    volumes = (validate_volumes(spec["volumes"], pod_name, f"{path}.volumes", errs)
               if "volumes" in spec else {})
    claims = (_resource_claims(spec, f"{path}.resourceClaims", errs)
              if "resourceClaims" in spec else set())
    _containers(spec, volumes, claims, grace, host_users, f"{path}.containers", errs)
    if "initContainers" in spec:
        _init_containers(spec, volumes, claims, grace, host_users, f"{path}.initContainers", errs)
    if "ephemeralContainers" in spec:
        _ephemeral_containers(spec, volumes, claims, host_users, f"{path}.ephemeralContainers",
                              errs)
    if spec.get("hostNetwork") is True:
        _host_network_ports(spec, is_pod, path, errs)
    _restart_policy(spec, path, errs)
    _dns_policy(spec, path, errs)
    if spec.get("nodeSelector"):
        errs.extend(validate_labels(spec["nodeSelector"], f"{path}.nodeSelector"))
    if spec.get("securityContext"):
        _pod_security_context(spec, path, errs)
    if "affinity" in spec:
        validate_affinity(spec["affinity"], f"{path}.affinity", errs)
    if "dnsConfig" in spec or spec.get("dnsPolicy") == "None":
        _dns_config(spec, path, errs)
    _pod_lists(spec, path, errs)
    _host_users(spec, path, errs)
    _pod_names(spec, path, errs)
    deadline = spec.get("activeDeadlineSeconds")
    if is_int(deadline) and not 1 <= deadline <= MAX_INT32:
        errs.append(errors.invalid(f"{path}.activeDeadlineSeconds", deadline,
                                   names.inclusive_range_error(1, MAX_INT32)))
    for key in ("hostname", "subdomain"):
        if _s(spec, key):
            dns1123_label(_s(spec, key), f"{path}.{key}", errs)
    if spec.get("tolerations"):
        validate_tolerations(spec["tolerations"], f"{path}.tolerations", errs)
    if "hostAliases" in spec:
        _host_aliases(_l(spec, "hostAliases"), f"{path}.hostAliases", errs)
    _pod_tail(spec, path, errs)
    return errs


def _pod_lists(spec: Obj, path: str, errs: Errs) -> None:
    """Readiness gates, scheduling gates and topology spread constraints."""
    if "readinessGates" in spec:
        for i, gate in enumerate(_l(spec, "readinessGates")):
            qualified_name(_s(as_map(gate), "conditionType"),
                           f"{path}.readinessGates[{i}].conditionType", errs)
    if "schedulingGates" in spec:
        _scheduling_gates(_l(spec, "schedulingGates"), f"{path}.schedulingGates", errs)
    if "topologySpreadConstraints" in spec:
        _topology_spread(_l(spec, "topologySpreadConstraints"),
                         f"{path}.topologySpreadConstraints", errs)


def _host_aliases(aliases: list[Any], path: str, errs: Errs) -> None:
    """Upstream ``ValidateHostAliases``."""
    for i, alias in enumerate(aliases):
        alias = as_map(alias)
        valid_ip(_s(alias, "ip"), f"{path}[{i}].ip", errs)
        for j, host in enumerate(_l(alias, "hostnames")):
            dns1123_subdomain(as_str(host), f"{path}[{i}].hostnames[{j}]", errs)


def _host_users(spec: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validateHostUsers``."""
    if _m(spec, "securityContext").get("hostUsers") is not False:
        return
    for key, label in (("hostNetwork", "hostNetwork"), ("hostPID", "HostPID"),
                       ("hostIPC", "HostIPC")):
        if spec.get(key) is True:
            errs.append(errors.forbidden(f"{path}.{label}", "when `pod.Spec.HostUsers` is false"))


def _pod_names(spec: Obj, path: str, errs: Errs) -> None:
    if _s(spec, "serviceAccountName"):
        name_fn_errors(names.validate_service_account_name, _s(spec, "serviceAccountName"),
                       f"{path}.serviceAccountName", errs)
    if _s(spec, "nodeName"):
        name_fn_errors(names.validate_node_name, _s(spec, "nodeName"), f"{path}.nodeName", errs)


def _pod_tail(spec: Obj, path: str, errs: Errs) -> None:
    """The end of ``ValidatePodSpec``: priority, runtime class, preemption, overhead, OS."""
    if _s(spec, "priorityClassName"):
        name_fn_errors(names.validate_priority_class_name, _s(spec, "priorityClassName"),
                       f"{path}.priorityClassName", errs)
    runtime = spec.get("runtimeClassName")
    if isinstance(runtime, str):
        name_fn_errors(names.name_is_dns_subdomain, runtime, f"{path}.runtimeClassName", errs)
    preemption = spec.get("preemptionPolicy")
    if isinstance(preemption, str):
        if not preemption:
            errs.append(errors.required(f"{path}.preemptionPolicy", ""))
        elif preemption not in ("PreemptLowerPriority", "Never"):
            errs.append(errors.not_supported(f"{path}.preemptionPolicy", preemption,
                                             ["PreemptLowerPriority", "Never"]))
    if spec.get("overhead"):
        errs.extend(resourcelists.validate_resource_requirements(
            {"limits": spec["overhead"]}, f"{path}.overhead"))
    os_spec = spec.get("os")
    if isinstance(os_spec, dict):
        os_name = _s(os_spec, "name")
        if not os_name:
            errs.append(errors.required(f"{path}.os.name", "cannot be empty"))
        elif os_name not in ("linux", "windows"):
            errs.append(errors.not_supported(f"{path}.os", os_name, ["linux", "windows"]))
        elif os_name == "linux":
            _linux_only(spec, path, errs)


def _linux_only(spec: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validateLinux``: no Windows options on a Linux pod."""
    msg = "windows options cannot be set for a linux pod"
    if _m(spec, "securityContext").get("windowsOptions") is not None:
        errs.append(errors.forbidden(f"{path}.securityContext.windowsOptions", msg))
    for kind in ("containers", "initContainers", "ephemeralContainers"):
        for i, c in enumerate(_l(spec, kind)):
            if _m(as_map(c), "securityContext").get("windowsOptions") is not None:
                errs.append(errors.forbidden(f"{path}.{kind}[{i}].securityContext.windowsOptions",
                                             msg))


def _ephemeral_containers(spec: Obj, volumes: dict[str, Obj], claims: set[str],
                          host_users: bool, path: str, errs: Errs) -> None:
    """Upstream ``validateEphemeralContainers`` (names and targets; fields are checked as
    for any container)."""
    ephemeral = _l(spec, "ephemeralContainers")
    if not ephemeral:
        return
    others = {_s(as_map(c), "name") for k in ("containers", "initContainers") for c in _l(spec, k)}
    seen = set(others)
    restart = _s(spec, "restartPolicy")
    for i, ec in enumerate(ephemeral):
        ec = as_map(ec)
        p = f"{path}[{i}]"
        _container_common(ec, volumes, claims, restart, host_users, p, errs)
        name = _s(ec, "name")
        if name in seen:
            errs.append(errors.duplicate(f"{p}.name", name))
        else:
            seen.add(name)
        target = _s(ec, "targetContainerName")
        if target and target not in others:
            errs.append(errors.not_found_field(f"{p}.targetContainerName", target))
        for key in ("ports", "resources", "livenessProbe", "readinessProbe", "startupProbe",
                    "lifecycle", "resizePolicy", "restartPolicy"):
            if ec.get(key) not in (None, {}, []):
                errs.append(errors.forbidden(f"{p}.{key}", "cannot be set for an Ephemeral "
                                             "Container"))


def validate_pod_template_spec(template: Any, path: str) -> Errs:
    """Upstream ``ValidatePodTemplateSpec`` (labels and annotations are reported on the
    template path itself, as upstream does)."""
    template = as_map(template)
    meta = as_map(template.get("metadata"))
    spec = as_map(template.get("spec"))
    errs = validate_labels(meta.get("labels"), f"{path}.labels")
    errs.extend(validate_annotations(meta.get("annotations"), f"{path}.annotations"))
    errs.extend(validate_pod_specific_annotations(meta.get("annotations"), spec,
                                                  f"{path}.annotations"))
    errs.extend(validate_pod_spec(spec, f"{path}.spec"))
    if _l(spec, "ephemeralContainers"):
        errs.append(errors.forbidden(f"{path}.spec.ephemeralContainers",
                                     "ephemeral containers not allowed in pod template"))
    return errs


MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"


def validate_pod_specific_annotations(annotations: Any, spec: Obj, path: str) -> Errs:
    """Upstream ``ValidatePodSpecificAnnotations`` (mirror pods, deletion cost, seccomp)."""
    ann = as_map(annotations)
    if not ann:
        return []
    errs: Errs = []
    if MIRROR_POD_ANNOTATION in ann and not _s(spec, "nodeName"):
        errs.append(errors.invalid(f"{path}[{MIRROR_POD_ANNOTATION}]",
                                   as_str(ann[MIRROR_POD_ANNOTATION]),
                                   "must set spec.nodeName if mirror pod annotation is set"))
    if POD_DELETION_COST in ann:
        cost = as_str(ann[POD_DELETION_COST])
        if not _is_int32(cost):
            errs.append(errors.invalid(f"{path}[{POD_DELETION_COST}]", cost,
                                       "must be a 32bit integer"))
    for key, value in ann.items():
        if key == SECCOMP_POD_ANNOTATION or key.startswith(SECCOMP_CONTAINER_PREFIX):
            _seccomp_annotation(as_str(value), f"{path}.{key}", errs)
    return errs


def _is_int32(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    return body.isdigit() and body.isascii() and -(2**31) <= int(text) <= MAX_INT32


def _seccomp_annotation(profile: str, path: str, errs: Errs) -> None:
    """Upstream ``ValidateSeccompProfile`` (annotation form)."""
    if profile in ("runtime/default", "docker/default", "unconfined"):
        return
    if profile.startswith("localhost/"):
        _local_descending_path(profile[len("localhost/"):], path, errs)
        return
    errs.append(errors.invalid(path, profile, "must be a valid seccomp profile"))


__all__ = [
    "GoValue",
    "validate_affinity",
    "validate_node_selector",
    "validate_pod_spec",
    "validate_pod_specific_annotations",
    "validate_pod_template_spec",
    "validate_security_context",
    "validate_tolerations",
]
