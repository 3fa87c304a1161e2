"""Validation of the core (``v1``) kinds.

Upstream: pkg/apis/core/validation/validation.go (``ValidatePodCreate``,
``ValidatePodUpdate``, ``ValidatePodStatusUpdate``, ``ValidateService``,
``ValidateConfigMap``, ``ValidateSecret``, ``ValidateNamespace``, ``ValidateNode``,
``ValidatePersistentVolume``, ``ValidatePersistentVolumeClaim``,
``ValidateReplicationController``, ``ValidateEndpoints``, ``ValidateLimitRange``,
``ValidateResourceQuota``, ``ValidateServiceAccount``, ``ValidatePodTemplate``,
``ValidatePodBinding`` and their ``...Update`` variants) and events.go
(``ValidateEventCreate``/``ValidateEventUpdate``).

The pod spec shared with templates is in :mod:`engine.api.validation.podspec`.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import orjson

from engine.api import errors, jsonbytes
from engine.api.memo import LRU
from engine.api.validation import names, podspec, resourcelists
from engine.api.validation.common import (
    FIELD_IMMUTABLE_ERROR_MSG,
    IS_NEGATIVE_ERROR_MSG,
    MAX_INT32,
    Errs,
    GoValue,
    as_int,
    as_map,
    as_str,
    go_string_map,
    go_value,
    is_int,
    semantic_equal,
    validate_immutable_field,
)
from engine.api.validation.kinds import (
    custom,
    meta_errors,
    meta_update_and_meta_errors,
    meta_update_errors,
    simple,
)
from engine.api.validation.objectmeta import (
    validate_label_name,
    validate_label_selector,
    validate_labels,
    validate_object_meta,
)
from engine.api.validation.registry import KindValidators

Obj = dict[str, Any]

MAX_SECRET_SIZE = 1 * 1024 * 1024
ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")
RECLAIM_POLICIES = ("Delete", "Recycle", "Retain")
VOLUME_MODES = ("Block", "Filesystem")
SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
IP_FAMILIES = ("IPv4", "IPv6")
IP_FAMILY_POLICIES = ("PreferDualStack", "RequireDualStack", "SingleStack")
CIDR_ERROR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
MAX_CLIENT_IP_AFFINITY_SECONDS = 86400
SERVICE_ACCOUNT_NAME_KEY = "kubernetes.io/service-account.name"
# (json name, name in the "more than 1 volume type" error) for PersistentVolumeSpec.
PV_SOURCES = (
    ("hostPath", "hostPath"), ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"), ("glusterfs", "glusterfs"),
    ("flocker", "flocker"), ("nfs", "nfs"), ("rbd", "rbd"), ("quobyte", "quobyte"),
    ("cephfs", "cephFS"), ("iscsi", "iscsi"), ("cinder", "cinder"), ("fc", "fc"),
    ("flexVolume", "flexVolume"), ("azureFile", "azureFile"), ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"), ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"), ("scaleIO", "scaleIO"), ("local", "local"),
    ("storageos", "storageos"), ("csi", "csi"),
)
UPDATABLE_POD_SPEC_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
    "negative)",
)
POD_UPDATE_MSG = ("pod updates may not change fields other than "
                  + ",".join(UPDATABLE_POD_SPEC_FIELDS))


def _m(obj: Obj, key: str) -> Obj:
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def _s(obj: Obj, key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _l(obj: Obj, key: str) -> list[Any]:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def spec_diff(kind: str, old: Any, new: Any) -> str:
    """A simplified ``cmp.Diff(old, new)``: one ``-``/``+`` pair per changed top-level field.

    (Upstream prints go-cmp's full report of the Go structs; the first line of each
    message is exact, the diff that follows is this summary.)
    """
    old, new = as_map(old), as_map(new)
    lines = [f"  {kind}{{"]
    for key in sorted(old.keys() | new.keys()):
        if semantic_equal(old.get(key), new.get(key)):
            continue
        if key in old:
            lines.append(f"- \t{key}: {_json(old[key])},")
        if key in new:
            lines.append(f"+ \t{key}: {_json(new[key])},")
    lines.append("  }")
    return "\n".join(lines) + "\n"


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


# -- pods ------------------------------------------------------------------------------


def _pod_metadata_and_spec(pod: Obj, encoded: bytes | None = None) -> Errs:
    """Upstream ``validatePodMetadataAndSpec`` (``encoded``: the spec's
    :func:`podspec.spec_bytes`, when known)."""
    errs = meta_errors(pod, True, names.validate_pod_name)
    errs.extend(_pod_specific_annotations(pod))
    errs.extend(_pod_spec_errors(pod, encoded))
    return errs


def _pod_specific_annotations(pod: Obj) -> Errs:
    """``validatePodMetadataAndSpec``'s ``ValidatePodSpecificAnnotations``."""
    annotations = _m(pod, "metadata").get("annotations")
    if not annotations:
        return []  # what the check finds in no annotations
    return podspec.validate_pod_specific_annotations(annotations, _m(pod, "spec"),
                                                     "metadata.annotations")


def _pod_spec_errors(pod: Obj, encoded: bytes | None = None) -> Errs:
    """The spec part of ``validatePodMetadataAndSpec`` (after the metadata's)."""
    spec = _m(pod, "spec")
    errs = podspec.validate_pod_spec(spec, "spec", _s(_m(pod, "metadata"), "name"), is_pod=True,
                                     encoded=encoded)
    if not _s(spec, "serviceAccountName"):
        for vi, vol in enumerate(_l(spec, "volumes")):
            for si, source in enumerate(_l(_m(as_map(vol), "projected"), "sources")):
                if isinstance(as_map(source).get("serviceAccountToken"), dict):
                    errs.append(errors.forbidden(
                        f"spec.volumes[{vi}].projected.sources[{si}].serviceAccountToken",
                        "must not be specified when serviceAccountName is not set"))
    for kind in ("containers", "initContainers"):
        for i, c in enumerate(_l(spec, kind)):
            image = _s(as_map(c), "image")
            if image != image.strip():
                errs.append(errors.invalid(f"spec.{kind}[{i}].image", image,
                                           "must not have leading or trailing whitespace"))
    return errs


def validate_pod(pod: Obj) -> Errs:
    """Upstream ``ValidatePodCreate``."""
    errs = _pod_metadata_and_spec(pod)
    spec = _m(pod, "spec")
    if _l(spec, "ephemeralContainers"):
        errs.append(errors.forbidden("spec.ephemeralContainers", "cannot be set on create"))
    if _s(spec, "nodeName") and _l(spec, "schedulingGates"):
        errs.append(errors.forbidden("spec.nodeName", "cannot be set until all schedulingGates "
                                     "have been cleared"))
    return errs


def _pod_annotation_updates(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidatePodSpecificAnnotationUpdates`` (mirror pod annotation)."""
    new_ann = _m(_m(new, "metadata"), "annotations")
    old_ann = _m(_m(old, "metadata"), "annotations")
    if not new_ann and not old_ann:
        return []  # neither has the annotation
    key = podspec.MIRROR_POD_ANNOTATION
    path = f"metadata.annotations[{key}]"
    if key in old_ann and new_ann.get(key) != old_ann[key]:
        return [errors.forbidden(path, "may not remove or update mirror pod annotation")]
    if key in new_ann and key not in old_ann:
        return [errors.forbidden(path, "may not add mirror pod annotation")]
    return []


def _container_updates(new: list[Any], old: list[Any], path: str, errs: Errs) -> bool:
    """Upstream ``ValidateContainerUpdates``; True when validation must stop."""
    if len(new) != len(old):
        errs.append(errors.forbidden(path, "pod updates may not add or remove containers"))
        return True
    for i, c in enumerate(new):
        image = _s(as_map(c), "image")
        if not image:
            errs.append(errors.required(f"{path}[{i}].image", ""))
        if image != image.strip():
            errs.append(errors.invalid(f"{path}[{i}].image", image,
                                       "must not have leading or trailing whitespace"))
    return False


# Pods whose update kept the spec the same JSON (no null) and found nothing
# wrong with it, by (spec bytes, pod name): every check of the spec part of
# ``ValidatePodUpdate`` (``ValidatePodSpec``, images, tolerations, the "may not
# change" rules) reads only the spec, the old one and the name, so the next
# update that keeps this spec again finds nothing there either. Label and
# annotation updates of one pod, as controllers and users make, hit.
_SAME_SPEC_CLEAN = LRU(2048)


def validate_pod_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidatePodUpdate``: only images, activeDeadlineSeconds, added
    tolerations, removed scheduling gates and a negative grace period set to 1 may change."""
    spec = new.get("spec")
    if spec is old.get("spec") and type(spec) is dict:
        errs = _shared_spec_update(new, old, spec)
        if errs is not None:
            return errs
    spec, old_spec = _m(new, "spec"), _m(old, "spec")
    errs = meta_update_and_meta_errors(new, old, True, names.validate_pod_name)
    annotated = _annotated(new, old)
    if annotated:
        errs.extend(_pod_specific_annotations(new))
    encoded = _json_bytes(spec) if spec is new.get("spec") else None
    key = (encoded, _s(_m(new, "metadata"), "name"))
    if (encoded is not None and _SAME_SPEC_CLEAN.get(key) is not None
            and (old_spec is spec or encoded == _json_bytes(old_spec))):
        if annotated:
            errs.extend(_pod_annotation_updates(new, old))
        return errs
    if encoded is not None and b"null" in encoded:  # NaN encodes as null too
        encoded = None
    first = len(errs)
    errs.extend(_pod_spec_errors(new, encoded))
    spec_clean = len(errs) == first
    if annotated:
        errs.extend(_pod_annotation_updates(new, old))
    before = len(errs)
    if _spec_update_errors(spec, old_spec, errs):
        return errs
    if spec_clean and len(errs) == before and encoded is not None and (
            encoded == _json_bytes(old_spec)):
        _SAME_SPEC_CLEAN.put(key, True)
    return errs


def _shared_spec_update(new: Obj, old: Obj, spec: Obj) -> Errs | None:
    """:func:`validate_pod_update` of a pod whose spec is old's own object (an
    update that left it as stored) and that the same-spec memo knows clean
    for this name: the metadata's findings alone, as there. None when the
    memo does not know it (the plain code then decides)."""
    encoded = _json_bytes(spec)  # (the bytes jsonbytes has for a shared spec)
    if encoded is None:
        return None
    meta = new.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    if _SAME_SPEC_CLEAN.get((encoded, name if isinstance(name, str) else "")) is None:
        return None
    errs = meta_update_and_meta_errors(new, old, True, names.validate_pod_name)
    if _annotated(new, old):
        errs.extend(_pod_specific_annotations(new))
        errs.extend(_pod_annotation_updates(new, old))
    return errs


def _annotated(new: Obj, old: Obj) -> bool:
    """False when neither pod's metadata has annotations: the pod-specific
    annotation checks (:func:`_pod_specific_annotations`,
    :func:`_pod_annotation_updates`) then find nothing, and are not asked."""
    new_meta, old_meta = new.get("metadata"), old.get("metadata")
    return not (type(new_meta) is dict and type(old_meta) is dict
                and not new_meta.get("annotations") and not old_meta.get("annotations"))


def _json_bytes(value: Any) -> bytes | None:
    """``value``'s JSON bytes, None when it cannot be encoded (the bytes this
    request already has for a part it shares with the stored object, see
    :mod:`engine.api.jsonbytes`: the same bytes, not encoded again)."""
    known = jsonbytes.known(value)
    if known is not None:
        return known
    try:
        return orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return None


def _spec_update_errors(spec: Obj, old_spec: Obj, errs: Errs) -> bool:
    """What ``ValidatePodUpdate`` checks of a spec against the old one;
    True when it stopped early."""
    for kind in ("containers", "initContainers"):
        if _container_updates(_l(spec, kind), _l(old_spec, kind), f"spec.{kind}", errs):
            return True
    if _deadline_update(spec, old_spec, errs):
        return True
    errs.extend(_only_added_tolerations(_l(spec, "tolerations"), _l(old_spec, "tolerations")))
    errs.extend(_only_deleted_gates(_l(spec, "schedulingGates"), _l(old_spec, "schedulingGates")))
    if semantic_equal(spec, old_spec):
        return False
    munged = _munge_pod_spec(spec, old_spec, errs)
    if not semantic_equal(munged, old_spec):
        errs.append(errors.forbidden("spec", POD_UPDATE_MSG + "\n"
                                     + spec_diff("core.PodSpec", old_spec, munged)))
    return False


def _deadline_update(spec: Obj, old_spec: Obj, errs: Errs) -> bool:
    new_value, old_value = spec.get("activeDeadlineSeconds"), old_spec.get("activeDeadlineSeconds")
    if is_int(new_value):
        if not 0 <= new_value <= MAX_INT32:
            errs.append(errors.invalid("spec.activeDeadlineSeconds", new_value,
                                       names.inclusive_range_error(0, MAX_INT32)))
            return True
        if is_int(old_value) and old_value < new_value:
            errs.append(errors.invalid("spec.activeDeadlineSeconds", new_value,
                                       "must be less than or equal to previous value"))
            return True
    elif old_value is not None:
        errs.append(errors.invalid("spec.activeDeadlineSeconds", None,
                                   "must not update from a positive integer to nil value"))
    return False


def _only_added_tolerations(new: list[Any], old: list[Any]) -> Errs:
    """Upstream ``validateOnlyAddedTolerations``."""
    if _same_bytes(new, old):
        old = []  # each old toleration finds itself: nothing to look for
    for old_tol in old:
        old_tol = as_map(old_tol)
        found = any(semantic_equal({**old_tol, "tolerationSeconds": as_map(t).get(
            "tolerationSeconds")}, as_map(t)) for t in new)
        if not found:
            return [errors.forbidden("spec.tolerations", "existing toleration can not be modified "
                                     "except its tolerationSeconds")]
    errs: Errs = []
    podspec.validate_tolerations(new, "spec.tolerations", errs)
    return errs


def _same_bytes(a: Any, b: Any) -> bool:
    """Whether two JSON values encode to the same bytes, without null (NaN
    encodes as null too); False when either cannot be encoded."""
    try:
        left = orjson.dumps(a)
        return left == orjson.dumps(b) and b"null" not in left
    except (TypeError, orjson.JSONEncodeError):
        return False


def _only_deleted_gates(new: list[Any], old: list[Any]) -> Errs:
    """Upstream ``validateOnlyDeletedSchedulingGates``."""
    old_names = {_s(as_map(g), "name") for g in old}
    errs: Errs = []
    for i, gate in enumerate(new):
        name = _s(as_map(gate), "name")
        if name not in old_names:
            errs.append(errors.forbidden(f"spec.schedulingGates[{i}].name", "only deletion is "
                                         f"allowed, but found new scheduling gate '{name}'"))
    return errs


def _munge_pod_spec(spec: Obj, old_spec: Obj, errs: Errs) -> Obj:
    """The new spec with the updatable fields taken from the old one (shallow copies)."""
    munged = dict(spec)
    for kind in ("containers", "initContainers"):
        old_list = _l(old_spec, kind)
        if kind in munged and isinstance(munged[kind], list):
            munged[kind] = [
                {**as_map(c), "image": as_map(old_list[i]).get("image")}
                if as_map(old_list[i]).get("image") is not None
                else {k: v for k, v in as_map(c).items() if k != "image"}
                for i, c in enumerate(munged[kind])]
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        if key in old_spec:
            munged[key] = old_spec[key]
        else:
            munged.pop(key, None)
    old_grace = old_spec.get("terminationGracePeriodSeconds")
    if is_int(old_grace) and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    if _l(old_spec, "schedulingGates"):
        _munge_gated(munged, old_spec, errs)
    return munged


def _munge_gated(munged: Obj, old_spec: Obj, errs: Errs) -> None:
    """Gated pods may add to ``nodeSelector`` and node affinity requirements."""
    new_sel, old_sel = _m(munged, "nodeSelector"), _m(old_spec, "nodeSelector")
    if not semantic_equal(new_sel, old_sel):
        if any(new_sel.get(k) != v for k, v in old_sel.items()):
            errs.append(errors.invalid("spec.nodeSelector", go_string_map(new_sel),
                                       "only additions to spec.nodeSelector are allowed (no "
                                       "mutations or deletions)"))
        munged["nodeSelector"] = old_spec.get("nodeSelector")
    new_aff = _m(_m(munged, "affinity"), "nodeAffinity")
    old_aff = _m(_m(old_spec, "affinity"), "nodeAffinity")
    if not semantic_equal(new_aff, old_aff):
        affinity = dict(_m(munged, "affinity"))
        if old_aff:
            affinity["nodeAffinity"] = old_aff
        else:
            affinity.pop("nodeAffinity", None)
        munged["affinity"] = affinity or old_spec.get("affinity")


def _container_state_transitions(new: list[Any], old: list[Any], restart: str, path: str,
                                 init_spec: list[Any] | None = None) -> Errs:
    """Upstream ``ValidateContainerStateTransition`` / ``ValidateInitContainerStateTransition``."""
    if restart == "Always":
        return []
    sidecars = {_s(as_map(c), "name") for c in init_spec or []
                if as_map(c).get("restartPolicy") == "Always"}
    errs: Errs = []
    for i, old_status in enumerate(old):
        old_status = as_map(old_status)
        terminated = _m(old_status, "state").get("terminated")
        if not isinstance(terminated, dict):
            continue
        if terminated.get("exitCode", 0) != 0 and restart == "OnFailure":
            continue
        if _s(old_status, "name") in sidecars:
            continue
        for new_status in new:
            new_status = as_map(new_status)
            if (_s(new_status, "name") == _s(old_status, "name")
                    and not isinstance(_m(new_status, "state").get("terminated"), dict)):
                errs.append(errors.forbidden(f"{path}[{i}].state", "may not be transitioned to "
                                             "non-terminated state"))
    return errs


def _pod_ips(status: Obj, key: str, errs: Errs) -> None:
    """Upstream ``validatePodIPs`` / ``validateHostIPs``."""
    entries = [as_map(e) for e in _l(status, key)]
    path = f"status.{key}"
    if key == "hostIPs" and entries and _s(status, "hostIP") != _s(entries[0], "ip"):
        errs.append(errors.invalid(f"{path}[0].ip", _s(entries[0], "ip"),
                                   "must be equal to `hostIP`"))
    for i, entry in enumerate(entries):
        podspec.valid_ip(_s(entry, "ip"), f"{path}[{i}]", errs)
    if len(entries) > 1:
        ips = [_s(e, "ip") for e in entries]
        families = {":" in ip for ip in ips}
        if len(families) != 2 or len(ips) > 2:
            errs.append(errors.invalid(path, go_value(_l(status, key)),
                                       "may specify no more than one IP for each IP family"))
        seen: set[str] = set()
        for i, ip in enumerate(ips):
            if ip in seen:
                errs.append(errors.duplicate(f"{path}[{i}]", GoValue(f"core.PodIP{{IP:{ip!r}}}")))
            seen.add(ip)


def validate_pod_status_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidatePodStatusUpdate``."""
    errs = meta_update_errors(new, old)
    errs.extend(_pod_annotation_updates(new, old))
    status, old_status = _m(new, "status"), _m(old, "status")
    for i, cond in enumerate(_l(status, "conditions")):
        kind = _s(as_map(cond), "type")
        if kind not in ("PodScheduled", "Ready", "Initialized"):
            podspec.qualified_name(kind, f"metadata.conditions[{i}].Type", errs)
    spec, old_spec = _m(new, "spec"), _m(old, "spec")
    if _s(spec, "nodeName") != _s(old_spec, "nodeName"):
        errs.append(errors.forbidden("status.nodeName", "may not be changed directly"))
    nominated = _s(status, "nominatedNodeName")
    if nominated and nominated != _s(old_status, "nominatedNodeName"):
        podspec.name_fn_errors(names.validate_node_name, nominated, "status.nominatedNodeName",
                               errs)
    qos, old_qos = status.get("qosClass"), old_status.get("qosClass")
    if not _same_qos(qos, old_qos):
        errs.extend(validate_immutable_field(qos, old_qos, "status.qosClass"))
    restart = _s(old_spec, "restartPolicy")
    errs.extend(_container_state_transitions(
        _l(status, "containerStatuses"), _l(old_status, "containerStatuses"), restart,
        "status.containerStatuses"))
    errs.extend(_container_state_transitions(
        _l(status, "initContainerStatuses"), _l(old_status, "initContainerStatuses"), restart,
        "status.initContainerStatuses", _l(old_spec, "initContainers")))
    errs.extend(_container_state_transitions(
        _l(status, "ephemeralContainerStatuses"), _l(old_status, "ephemeralContainerStatuses"),
        "Never", "status.ephemeralContainerStatuses"))
    # The stored status passed these checks when it was written (status
    # writes are validated; create and binding set no IPs): IPs it already
    # had are not parsed again on every kubelet write.
    if not _unchanged(status, old_status, ("podIPs",)):
        _pod_ips(status, "podIPs", errs)
    if not _unchanged(status, old_status, ("hostIPs", "hostIP")):
        _pod_ips(status, "hostIPs", errs)
    return errs


def _same_qos(qos: Any, old_qos: Any) -> bool:
    """Whether the qosClass immutability check has nothing to report at once:
    both unset (or null), or the same plain string."""
    if qos is None and old_qos is None:
        return True
    return type(qos) is str and type(old_qos) is str and qos == old_qos


def _unchanged(new: Obj, old: Obj, keys: tuple[str, ...]) -> bool:
    """Whether ``keys`` of ``new`` equal ``old``'s: a value that passed the
    same check when stored passes it again (``==`` may equate 1 and True,
    but the IP checks read strings only: such values fail either way)."""
    return all(new.get(key) == old.get(key) for key in keys)


def validate_pod_binding(binding: Obj) -> Errs:
    """Upstream ``ValidatePodBinding``."""
    target = _m(binding, "target")
    errs: Errs = []
    kind = _s(target, "kind")
    if kind and kind != "Node":
        errs.append(errors.not_supported("target.kind", kind, ["Node", "<empty>"]))
    if not _s(target, "name"):
        errs.append(errors.required("target.name", ""))
    return errs


def validate_pod_template(obj: Obj) -> Errs:
    """Upstream ``ValidatePodTemplate`` (the template spec as ``ValidatePodTemplateSpec``)."""
    errs = meta_errors(obj, True, names.validate_pod_name)
    errs.extend(podspec.validate_pod_template_spec(obj.get("template"), "template"))
    return errs


# -- services --------------------------------------------------------------------------


def _cluster_ips(spec: Obj) -> list[str]:
    """``spec.clusterIPs`` as the service strategy normalizes it before validation."""
    ips = [as_str(ip) for ip in _l(spec, "clusterIPs")]
    if not ips and _s(spec, "clusterIP"):
        ips = [_s(spec, "clusterIP")]
    return ips


def _is_headless(spec: Obj) -> bool:
    return _cluster_ips(spec) == ["None"]


def validate_service(svc: Obj) -> Errs:
    """Upstream ``ValidateService``."""
    errs = meta_errors(svc, True, names.validate_service_name)
    spec = _m(svc, "spec")
    svc_type = _s(spec, "type")
    headless = _is_headless(spec)
    ports = [as_map(p) for p in _l(spec, "ports")]
    if not ports and not headless and svc_type != "ExternalName":
        errs.append(errors.required("spec.ports", ""))
    _service_type_rules(spec, svc_type, headless, errs)
    seen_names: set[str] = set()
    for i, port in enumerate(ports):
        _service_port(port, len(ports) > 1, seen_names, f"spec.ports[{i}]", errs)
    if spec.get("selector") is not None:
        errs.extend(validate_labels(spec.get("selector"), "spec.selector"))
    _session_affinity(spec, errs)
    errs.extend(_cluster_ip_fields(spec, svc_type))
    for i, ip in enumerate(_l(spec, "externalIPs")):
        if podspec.valid_ip(as_str(ip), f"spec.externalIPs[{i}]", errs):
            errs.extend(validate_non_special_ip(as_str(ip), f"spec.externalIPs[{i}]"))
    if not svc_type:
        errs.append(errors.required("spec.type", ""))
    elif svc_type not in SERVICE_TYPES:
        errs.append(errors.not_supported("spec.type", svc_type, list(SERVICE_TYPES)))
    _service_ports_rules(ports, svc_type, errs)
    _service_lb_fields(svc, spec, svc_type, errs)
    _traffic_policies(spec, svc_type, errs)
    return errs


def _service_type_rules(spec: Obj, svc_type: str, headless: bool, errs: Errs) -> None:
    if svc_type in ("LoadBalancer", "NodePort") and headless:
        errs.append(errors.invalid("spec.clusterIPs[0]", "None",
                                   f"may not be set to 'None' for {svc_type} services"))
    elif svc_type == "ExternalName":
        if _cluster_ips(spec):
            errs.append(errors.forbidden("spec.clusterIPs", "may not be set for ExternalName "
                                         "services"))
        if _l(spec, "ipFamilies"):
            errs.append(errors.forbidden("spec.ipFamilies", "may not be set for ExternalName "
                                         "services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(errors.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName "
                                         "services"))
        cname = _s(spec, "externalName").removesuffix(".")
        if cname:
            podspec.dns1123_subdomain(cname, "spec.externalName", errs)
        else:
            errs.append(errors.required("spec.externalName", ""))


def _service_port(port: Obj, require_name: bool, seen: set[str], path: str, errs: Errs) -> None:
    """Upstream ``validateServicePort``."""
    name = _s(port, "name")
    if require_name and not name:
        errs.append(errors.required(f"{path}.name", ""))
    elif name:
        podspec.dns1123_label(name, f"{path}.name", errs)
        if name in seen:
            errs.append(errors.duplicate(f"{path}.name", name))
        else:
            seen.add(name)
    number = port.get("port", 0)
    if is_int(number) and not 1 <= number <= 65535:
        errs.append(errors.invalid(f"{path}.port", number, names.inclusive_range_error(1, 65535)))
    protocol = _s(port, "protocol")
    if not protocol:
        errs.append(errors.required(f"{path}.protocol", ""))
    elif protocol not in podspec.PROTOCOLS:
        errs.append(errors.not_supported(f"{path}.protocol", protocol, list(podspec.PROTOCOLS)))
    podspec._port_num_or_name(port.get("targetPort"), f"{path}.targetPort", errs)
    app_protocol = port.get("appProtocol")
    if isinstance(app_protocol, str):
        podspec.qualified_name(app_protocol, f"{path}.appProtocol", errs)


def _session_affinity(spec: Obj, errs: Errs) -> None:
    affinity = _s(spec, "sessionAffinity")
    if not affinity:
        errs.append(errors.required("spec.sessionAffinity", ""))
    elif affinity not in ("ClientIP", "None"):
        errs.append(errors.not_supported("spec.sessionAffinity", affinity, ["ClientIP", "None"]))
    config = spec.get("sessionAffinityConfig")
    path = "spec.sessionAffinityConfig"
    if affinity == "ClientIP":
        why = "when session affinity type is ClientIP"
        client_ip = as_map(config).get("clientIP")
        if not isinstance(config, dict):
            errs.append(errors.required(path, why))
        elif not isinstance(client_ip, dict):
            errs.append(errors.required(f"{path}.clientIP", why))
        elif client_ip.get("timeoutSeconds") is None:
            errs.append(errors.required(f"{path}.clientIP.timeoutSeconds", why))
        else:
            timeout = client_ip["timeoutSeconds"]
            if is_int(timeout) and not 0 < timeout <= MAX_CLIENT_IP_AFFINITY_SECONDS:
                errs.append(errors.invalid(f"{path}.clientIP.timeoutSeconds", timeout,
                                           "must be greater than 0 and less than "
                                           f"{MAX_CLIENT_IP_AFFINITY_SECONDS}"))
    elif affinity == "None" and config is not None:
        errs.append(errors.forbidden(path, "must not be set when session affinity is None"))


def _cluster_ip_fields(spec: Obj, svc_type: str) -> Errs:
    """Upstream ``ValidateServiceClusterIPsRelatedFields``."""
    if svc_type == "ExternalName":
        return []
    errs: Errs = []
    ips = _cluster_ips(spec)
    field = "spec.clusterIPs"
    if _s(spec, "clusterIP") and ips and ips[0] != _s(spec, "clusterIP"):
        errs.append(errors.invalid(field, go_value(ips), "first value must match `clusterIP`"))
    elif not _s(spec, "clusterIP") and ips:
        errs.append(errors.invalid(field, go_value(ips),
                                   "must be empty when `clusterIP` is not specified"))
    seen: set[str] = set()
    for i, family in enumerate(_l(spec, "ipFamilies")):
        family = as_str(family)
        if family not in IP_FAMILIES:
            errs.append(errors.not_supported(f"spec.ipFamilies[{i}]", family, list(IP_FAMILIES)))
        if family in seen:
            errs.append(errors.duplicate(f"spec.ipFamilies[{i}]", family))
        seen.add(family)
    policy = spec.get("ipFamilyPolicy")
    if isinstance(policy, str) and policy not in IP_FAMILY_POLICIES:
        errs.append(errors.not_supported("spec.ipFamilyPolicy", policy, list(IP_FAMILY_POLICIES)))
    invalid = False
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                invalid = True
                errs.append(errors.invalid(field, go_value(ips),
                                           "'None' must be the first and only value"))
            continue
        invalid = not podspec.valid_ip(ip, f"{field}[{i}]", errs) or invalid
    if len(ips) > 2:
        errs.append(errors.invalid(field, go_value(ips), "may only hold up to 2 values"))
    if invalid:
        return errs
    if len(ips) > 1 and len({":" in ip for ip in ips}) != 2:
        errs.append(errors.invalid(field, go_value(ips),
                                   "may specify no more than one IP for each IP family"))
    return errs


def _service_ports_rules(ports: list[Obj], svc_type: str, errs: Errs) -> None:
    """nodePort only outside ClusterIP, and no duplicate (protocol, port) pairs."""
    if svc_type == "ClusterIP":
        for i, port in enumerate(ports):
            if port.get("nodePort"):
                errs.append(errors.forbidden(f"spec.ports[{i}].nodePort",
                                             "may not be used when `type` is 'ClusterIP'"))
    node_ports: set[tuple[str, Any]] = set()
    for i, port in enumerate(ports):
        node_port = as_int(port.get("nodePort"))
        if not node_port:
            continue
        key = (_s(port, "protocol"), node_port)
        if key in node_ports:
            errs.append(errors.duplicate(f"spec.ports[{i}].nodePort", node_port))
        node_ports.add(key)
    seen: set[tuple[str, Any]] = set()
    for i, port in enumerate(ports):
        key = (_s(port, "protocol"), as_int(port.get("port")))
        if key in seen:
            errs.append(errors.duplicate(f"spec.ports[{i}]", GoValue(
                f'core.ServicePort{{Name:"", Protocol:"{key[0]}", AppProtocol:(*string)(nil), '
                f'Port:{key[1]}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:""}}, '
                "NodePort:0}")))
        seen.add(key)


def _service_lb_fields(svc: Obj, spec: Obj, svc_type: str, errs: Errs) -> None:
    ranges = _l(spec, "loadBalancerSourceRanges")
    if ranges:
        if svc_type != "LoadBalancer":
            errs.append(errors.forbidden("spec.LoadBalancerSourceRanges",
                                         "may only be used when `type` is 'LoadBalancer'"))
        for i, value in enumerate(ranges):
            value = as_str(value).strip()
            if not names.is_valid_cidr(value):
                errs.append(errors.invalid(f"spec.LoadBalancerSourceRanges[{i}]", value,
                                           CIDR_ERROR_MSG))
    if spec.get("allocateLoadBalancerNodePorts") is not None and svc_type != "LoadBalancer":
        errs.append(errors.forbidden("spec.allocateLoadBalancerNodePorts",
                                     "may only be used when `type` is 'LoadBalancer'"))
    if svc_type == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(errors.required("allocateLoadBalancerNodePorts", ""))
    lb_class = spec.get("loadBalancerClass")
    if isinstance(lb_class, str):
        if svc_type == "LoadBalancer":
            podspec.qualified_name(lb_class, "spec.loadBalancerClass", errs)
        else:
            errs.append(errors.forbidden("spec.loadBalancerClass",
                                         "may only be used when `type` is 'LoadBalancer'"))


def _externally_accessible(spec: Obj, svc_type: str) -> bool:
    return svc_type in ("LoadBalancer", "NodePort") or (
        svc_type == "ClusterIP" and bool(_l(spec, "externalIPs")))


def _traffic_policies(spec: Obj, svc_type: str, errs: Errs) -> None:
    """Upstream ``validateServiceExternalTrafficPolicy`` and
    ``validateServiceInternalTrafficFieldsValue``."""
    policy = _s(spec, "externalTrafficPolicy")
    if not _externally_accessible(spec, svc_type):
        if policy:
            errs.append(errors.invalid("spec.externalTrafficPolicy", policy,
                                       "may only be set for externally-accessible services"))
    elif not policy:
        errs.append(errors.required("spec.externalTrafficPolicy", ""))
    elif policy not in ("Cluster", "Local"):
        errs.append(errors.not_supported("spec.externalTrafficPolicy", policy, ["Cluster", "Local"]))
    health = spec.get("healthCheckNodePort")
    needs_health = svc_type == "LoadBalancer" and policy == "Local"
    if not needs_health and health:
        errs.append(errors.invalid("spec.healthCheckNodePort", health, "may only be set when "
                                   "`type` is 'LoadBalancer' and `externalTrafficPolicy` is "
                                   "'Local'"))
    elif needs_health and is_int(health) and health and not 1 <= health <= 65535:
        errs.append(errors.invalid("spec.healthCheckNodePort", health,
                                   names.inclusive_range_error(1, 65535)))
    internal = spec.get("internalTrafficPolicy")
    if internal is None and svc_type in ("NodePort", "LoadBalancer", "ClusterIP"):
        errs.append(errors.required("spec.internalTrafficPolicy", ""))
    elif isinstance(internal, str) and internal not in ("Cluster", "Local"):
        errs.append(errors.not_supported("spec.internalTrafficPolicy", internal,
                                         ["Cluster", "Local"]))
    distribution = spec.get("trafficDistribution")
    if isinstance(distribution, str) and distribution != "PreferClose":
        errs.append(errors.not_supported("spec.trafficDistribution", distribution,
                                         ["PreferClose"]))


def validate_non_special_ip(ip: str, path: str) -> Errs:
    """Upstream ``ValidateNonSpecialIP``."""
    import ipaddress

    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return []
    errs: Errs = []
    if addr.is_unspecified:
        errs.append(errors.invalid(path, ip, f"may not be unspecified ({ip})"))
    if addr.is_loopback:
        errs.append(errors.invalid(path, ip, "may not be in the loopback range (127.0.0.0/8, "
                                   "::1/128)"))
    if addr.is_link_local:
        errs.append(errors.invalid(path, ip, "may not be in the link-local range "
                                   "(169.254.0.0/16, fe80::/10)"))
    if addr.is_multicast and (ip.startswith("224.0.0.") or ip.lower().startswith("ff02:")):
        errs.append(errors.invalid(path, ip, "may not be in the link-local multicast range "
                                   "(224.0.0.0/24, ff02::/10)"))
    return errs


def validate_service_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateServiceUpdate``."""
    errs = meta_update_errors(new, old)
    spec, old_spec = _m(new, "spec"), _m(old, "spec")
    new_type, old_type = _s(spec, "type"), _s(old_spec, "type")
    if "ExternalName" not in (new_type, old_type) and not (_is_headless(spec)
                                                           and _is_headless(old_spec)):
        new_ips, old_ips = _cluster_ips(spec), _cluster_ips(old_spec)
        if len(new_ips) == len(old_ips):
            for i, ip in enumerate(old_ips):
                if ip != new_ips[i]:
                    errs.append(errors.invalid(f"spec.clusterIPs[{i}]", go_value(new_ips),
                                               "may not change once set"))
        elif len(old_ips) > len(new_ips):
            if not new_ips:
                errs.append(errors.invalid("spec.clusterIPs[0]", go_value(new_ips),
                                           "primary clusterIP can not be unset"))
            elif new_ips[0] != old_ips[0]:
                errs.append(errors.invalid("spec.clusterIPs[0]", go_value(new_ips),
                                           "may not change once set"))
        elif old_ips and new_ips[0] != old_ips[0]:
            errs.append(errors.invalid("spec.clusterIPs[0]", go_value(new_ips),
                                       "may not change once set"))
    if new_type == old_type == "LoadBalancer" and spec.get("loadBalancerClass") != old_spec.get(
            "loadBalancerClass"):
        errs.append(errors.invalid("spec.loadBalancerClass", spec.get("loadBalancerClass"),
                                   "may not change once set"))
    errs.extend(validate_service(new))
    return errs


def validate_service_status_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateServiceStatusUpdate`` (``ValidateLoadBalancerStatus``)."""
    errs = meta_update_errors(new, old)
    ingress = _l(_m(_m(new, "status"), "loadBalancer"), "ingress")
    path = "status.loadBalancer.ingress"
    if _s(_m(new, "spec"), "type") != "LoadBalancer" and ingress:
        errs.append(errors.forbidden(path, "may only be used when `spec.type` is 'LoadBalancer'"))
        return errs
    for i, item in enumerate(ingress):
        item = as_map(item)
        p = f"{path}[{i}]"
        ip, mode = _s(item, "ip"), item.get("ipMode")
        if ip:
            podspec.valid_ip(ip, f"{p}.ip", errs)
        if mode is None and ip:
            errs.append(errors.required(f"{p}.ipMode", "must be specified when `ip` is set"))
        elif mode is not None and not ip:
            errs.append(errors.forbidden(f"{p}.ipMode", "may not be specified when `ip` is not set"))
        elif mode is not None and mode not in ("Proxy", "VIP"):
            errs.append(errors.not_supported(f"{p}.ipMode", mode, ["Proxy", "VIP"]))
        hostname = _s(item, "hostname")
        if hostname:
            podspec.dns1123_subdomain(hostname, f"{p}.hostname", errs)
            if names.is_valid_ip(hostname):
                errs.append(errors.invalid(f"{p}.hostname", hostname,
                                           "must be a DNS name, not an IP address"))
    return errs


# -- config maps and secrets -----------------------------------------------------------


def _b64_len(value: Any) -> int:
    """The decoded size of a base64 ``[]byte`` field."""
    if not isinstance(value, str):
        return 0
    try:
        return len(base64.b64decode(value, validate=False))
    except (binascii.Error, ValueError):
        return len(value) * 3 // 4


def _config_keys(data: Obj, path: str, errs: Errs) -> None:
    for key in data:
        for msg in names.is_config_map_key(key):
            errs.append(errors.invalid(f"{path}[{key}]", key, msg))


def validate_config_map(cfg: Obj) -> Errs:
    """Upstream ``ValidateConfigMap``: keys, no key in both bags, 1 MiB in total."""
    errs = meta_errors(cfg, True, names.validate_config_map_name)
    data, binary = _m(cfg, "data"), _m(cfg, "binaryData")
    total = 0
    for key, value in data.items():
        for msg in names.is_config_map_key(key):
            errs.append(errors.invalid(f"data[{key}]", key, msg))
        if key in binary:
            errs.append(errors.invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
        total += len(as_str(value).encode())
    _config_keys(binary, "binaryData", errs)
    total += sum(_b64_len(v) for v in binary.values())
    if total > MAX_SECRET_SIZE:
        errs.append(errors.too_long("", MAX_SECRET_SIZE))
    return errs


def _immutable_bags(new: Obj, old: Obj, bags: tuple[str, ...]) -> Errs:
    if old.get("immutable") is not True:
        return []
    msg = "field is immutable when `immutable` is set"
    errs: Errs = []
    if new.get("immutable") is not True:
        errs.append(errors.forbidden("immutable", msg))
    for bag in bags:
        if (new.get(bag) or {}) != (old.get(bag) or {}):
            errs.append(errors.forbidden(bag, msg))
    return errs


def validate_config_map_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateConfigMapUpdate``."""
    errs = meta_update_errors(new, old)
    errs.extend(_immutable_bags(new, old, ("data", "binaryData")))
    errs.extend(validate_config_map(new))
    return errs


def validate_secret(secret: Obj) -> Errs:
    """Upstream ``ValidateSecret``: keys, 1 MiB, and the rules of each secret type."""
    errs = meta_errors(secret, True, names.validate_secret_name)
    data = dict(_m(secret, "data"))
    for key, value in _m(secret, "stringData").items():
        data[key] = base64.b64encode(as_str(value).encode()).decode()
    total = 0
    for key, value in data.items():
        for msg in names.is_config_map_key(key):
            errs.append(errors.invalid(f"data[{key}]", key, msg))
        total += _b64_len(value)
    if total > MAX_SECRET_SIZE:
        errs.append(errors.too_long("data", MAX_SECRET_SIZE))
    errs.extend(_secret_type_rules(secret, data))
    return errs


def _secret_type_rules(secret: Obj, data: Obj) -> Errs:
    kind = _s(secret, "type")
    errs: Errs = []
    if kind == "kubernetes.io/service-account-token":
        annotations = _m(_m(secret, "metadata"), "annotations")
        if not as_str(annotations.get(SERVICE_ACCOUNT_NAME_KEY)):
            errs.append(errors.required(f"metadata.annotations[{SERVICE_ACCOUNT_NAME_KEY}]", ""))
    elif kind in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        key = ".dockercfg" if kind == "kubernetes.io/dockercfg" else ".dockerconfigjson"
        if key not in data:
            errs.append(errors.required(f"data[{key}]", ""))
        else:
            problem = _json_object_error(data[key])
            if problem:
                errs.append(errors.invalid(f"data[{key}]", "<secret contents redacted>", problem))
    elif kind == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            errs.append(errors.required("data[username]", ""))
            errs.append(errors.required("data[password]", ""))
    elif kind == "kubernetes.io/ssh-auth":
        if not _b64_len(data.get("ssh-privatekey")):
            errs.append(errors.required("data[ssh-privatekey]", ""))
    elif kind == "kubernetes.io/tls":
        for key in ("tls.crt", "tls.key"):
            if key not in data:
                errs.append(errors.required(f"data[{key}]", ""))
    return errs


def _json_object_error(value: Any) -> str:
    """The error ``json.Unmarshal(bytes, &map[string]interface{}{})`` would give, or ""."""
    try:
        raw = base64.b64decode(as_str(value))
        parsed = json.loads(raw)
    except (binascii.Error, ValueError) as err:
        if isinstance(err, json.JSONDecodeError):
            return "unexpected end of JSON input" if not err.doc.strip() else (
                f"invalid character {err.doc[err.pos:err.pos + 1]!r} looking for beginning of "
                "value")
        return "unexpected end of JSON input"
    if not isinstance(parsed, dict) and parsed is not None:
        return (f"json: cannot unmarshal {_json_kind(parsed)} into Go value of type "
                "map[string]interface {}")
    return ""


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array"


def validate_secret_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateSecretUpdate``: type immutable, immutable secrets frozen."""
    errs = meta_update_errors(new, old)
    errs.extend(validate_immutable_field(_s(new, "type"), _s(old, "type"), "type"))
    errs.extend(_immutable_bags(new, old, ("data",)))
    errs.extend(validate_secret(new))
    return errs


# -- namespaces, nodes, service accounts -------------------------------------------------


def _namespace_finalizers(ns: Obj) -> Errs:
    errs: Errs = []
    for name in _l(_m(ns, "spec"), "finalizers"):
        name = as_str(name)
        podspec.qualified_name(name, "spec.finalizers", errs)
        if "/" not in name and name not in ("kubernetes", "orphan", "foregroundDeletion"):
            errs.append(errors.invalid("spec.finalizers", name, "name is neither a standard "
                                       "finalizer name nor is it fully qualified"))
    return errs


def validate_namespace(ns: Obj) -> Errs:
    """Upstream ``ValidateNamespace``."""
    errs = meta_errors(ns, False, names.validate_namespace_name)
    errs.extend(_namespace_finalizers(ns))
    return errs


def validate_namespace_status_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateNamespaceStatusUpdate``."""
    errs = meta_update_errors(new, old)
    phase = _s(_m(new, "status"), "phase")
    if not _m(new, "metadata").get("deletionTimestamp"):
        if phase != "Active":
            errs.append(errors.invalid("status.Phase", phase,
                                       "may only be 'Active' if `deletionTimestamp` is empty"))
    elif phase != "Terminating":
        errs.append(errors.invalid("status.Phase", phase,
                                   "may only be 'Terminating' if `deletionTimestamp` is not empty"))
    return errs


def _node_taints(taints: list[Any], path: str, errs: Errs) -> None:
    """Upstream ``validateNodeTaints``."""
    seen: set[tuple[str, str]] = set()
    for i, taint in enumerate(taints):
        taint = as_map(taint)
        p = f"{path}[{i}]"
        key, value, effect = _s(taint, "key"), _s(taint, "value"), _s(taint, "effect")
        errs.extend(validate_label_name(key, f"{p}.key"))
        msgs = names.is_valid_label_value(value)
        if msgs:
            errs.append(errors.invalid(f"{p}.value", value, ";".join(msgs)))
        if not effect:
            errs.append(errors.required(f"{p}.effect", ""))
        elif effect not in podspec.TAINT_EFFECTS:
            errs.append(errors.not_supported(f"{p}.effect", effect, list(podspec.TAINT_EFFECTS)))
        if (effect, key) in seen:
            err = errors.duplicate(p, GoValue(
                f'core.Taint{{Key:"{key}", Value:"{value}", Effect:"{effect}", '
                "TimeAdded:<nil>}"))
            err.detail = "taints must be unique by key and effect pair"
            errs.append(err)
            continue
        seen.add((effect, key))


def _node_resources(node: Obj, errs: Errs) -> None:
    status = _m(node, "status")
    for kind in ("capacity", "allocatable"):
        for name, raw in _m(status, kind).items():
            q = resourcelists.parse(raw)
            if q is not None:
                errs.extend(resourcelists.validate_quantity_value(name, q,
                                                                  f"status.{kind}.{name}"))


def _pod_cidrs(spec: Obj, errs: Errs) -> None:
    cidrs = [as_str(c) for c in _l(spec, "podCIDRs")]
    path = "spec.podCIDRs"
    for i, cidr in enumerate(cidrs):
        if not names.is_valid_cidr(cidr):
            errs.append(errors.invalid(f"{path}[{i}]", cidr, CIDR_ERROR_MSG))
    if len(cidrs) > 1:
        if len({":" in c for c in cidrs}) != 2 or len(cidrs) > 2:
            errs.append(errors.invalid(path, go_value(cidrs),
                                       "may specify no more than one CIDR for each IP family"))
        seen: set[str] = set()
        for i, cidr in enumerate(cidrs):
            if cidr in seen:
                errs.append(errors.duplicate(f"{path}[{i}]", cidr))
            seen.add(cidr)


def validate_node(node: Obj) -> Errs:
    """Upstream ``ValidateNode`` (taints are reported under ``metadata.taints`` as upstream
    does)."""
    errs = meta_errors(node, False, names.validate_node_name)
    spec = _m(node, "spec")
    if _l(spec, "taints"):
        _node_taints(_l(spec, "taints"), "metadata.taints", errs)
    _node_resources(node, errs)
    _pod_cidrs(spec, errs)
    return errs


def validate_node_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateNodeUpdate``: podCIDRs and providerID are set once."""
    errs = meta_update_errors(new, old)
    _node_resources(new, errs)
    seen: set[str] = set()
    for i, address in enumerate(_l(_m(new, "status"), "addresses")):
        key = _json(address)
        if key in seen:
            address = as_map(address)
            errs.append(errors.duplicate(f"status.addresses[{i}]", GoValue(
                f'core.NodeAddress{{Type:"{_s(address, "type")}", '
                f'Address:"{_s(address, "address")}"}}')))
        seen.add(key)
    spec, old_spec = _m(new, "spec"), _m(old, "spec")
    old_cidrs, new_cidrs = _l(old_spec, "podCIDRs"), _l(spec, "podCIDRs")
    msg = 'node updates may not change podCIDR except from "" to valid'
    if old_cidrs:
        if len(old_cidrs) != len(new_cidrs):
            errs.append(errors.forbidden("spec.podCIDRs", msg))
        else:
            errs.extend(errors.forbidden("spec.podCIDRs", msg)
                        for a, b in zip(old_cidrs, new_cidrs, strict=True) if a != b)
    old_provider = _s(old_spec, "providerID")
    if old_provider and old_provider != _s(spec, "providerID"):
        errs.append(errors.forbidden("spec.providerID", 'node updates may not change providerID '
                                     'except from "" to valid'))
    if _l(spec, "taints"):
        _node_taints(_l(spec, "taints"), "metadata.taints", errs)
    if _s(spec, "externalID") != _s(old_spec, "externalID"):
        errs.append(errors.forbidden("spec.externalID", "may not be updated"))
    return errs


# -- persistent volumes ------------------------------------------------------------------


def _access_modes(modes: list[Any], path: str, errs: Errs) -> None:
    rwop = other = False
    for mode in modes:
        mode = as_str(mode)
        if mode not in ACCESS_MODES:
            errs.append(errors.not_supported(path, mode, list(ACCESS_MODES)))
        elif mode == "ReadWriteOncePod":
            rwop = True
        else:
            other = True
    if rwop and other:
        errs.append(errors.forbidden(path, "may not use ReadWriteOncePod with other access modes"))


def _go_resource_list(value: Obj) -> GoValue:
    body = ", ".join(f'"{k}":{as_str(v) or v}' for k, v in sorted(value.items()))
    return GoValue("core.ResourceList{" + body + "}")


def validate_pv_spec(spec: Obj, pv_name: str) -> Errs:
    """Upstream ``ValidatePersistentVolumeSpec`` (not inline)."""
    errs: Errs = []
    modes = _l(spec, "accessModes")
    if not modes:
        errs.append(errors.required("spec.accessModes", ""))
    _access_modes(modes, "spec.accessModes", errs)
    capacity = _m(spec, "capacity")
    if not capacity:
        errs.append(errors.required("spec.capacity", ""))
    if "storage" not in capacity or len(capacity) > 1:
        errs.append(errors.not_supported("spec.capacity", _go_resource_list(capacity), ["storage"]))
    for name, raw in capacity.items():
        q = resourcelists.parse(raw)
        if q is not None:
            errs.extend(resourcelists.validate_basic_resource(q, f"spec.capacity[{name}]"))
            errs.extend(resourcelists.validate_positive_quantity(q, f"spec.capacity[{name}]"))
    policy = _s(spec, "persistentVolumeReclaimPolicy")
    if policy and policy not in RECLAIM_POLICIES:
        errs.append(errors.not_supported("spec.persistentVolumeReclaimPolicy", policy,
                                         list(RECLAIM_POLICIES)))
    affinity = spec.get("nodeAffinity")
    if isinstance(affinity, dict):
        if isinstance(affinity.get("required"), dict):
            podspec.validate_node_selector(affinity["required"], False, "spec.nodeAffinity.required",
                                           errs)
        else:
            errs.append(errors.required("spec.nodeAffinity.required",
                                        "must specify required node constraints"))
    _pv_source(spec, isinstance(affinity, dict), errs)
    host_path = _m(spec, "hostPath")
    if host_path and _s(host_path, "path").rstrip("/") == "" and _s(host_path, "path") and (
            policy == "Recycle"):
        errs.append(errors.forbidden("spec.persistentVolumeReclaimPolicy",
                                     "may not be 'recycle' for a hostPath mount of '/'"))
    if _s(spec, "storageClassName"):
        podspec.name_fn_errors(names.validate_class_name, _s(spec, "storageClassName"),
                               "spec.storageClassName", errs)
    mode = spec.get("volumeMode")
    if isinstance(mode, str) and mode not in VOLUME_MODES:
        errs.append(errors.not_supported("spec.volumeMode", mode, list(VOLUME_MODES)))
    return errs


def _pv_source(spec: Obj, has_affinity: bool, errs: Errs) -> None:
    count = 0
    for key, label in PV_SOURCES:
        if not isinstance(spec.get(key), dict):
            continue
        if count and key != "flexVolume":
            errs.append(errors.forbidden(f"spec.{label}", "may not specify more than 1 volume type"))
            continue
        count += 1
        source = spec[key]
        if key in ("hostPath", "local"):
            target = _s(source, "path")
            if not target:
                errs.append(errors.required(f"spec.{key}.path", ""))
            elif ".." in target.split("/"):
                errs.append(errors.invalid(f"spec.{key}.path", target, "must not contain '..'"))
            if key == "local" and not has_affinity:
                errs.append(errors.required("spec.nodeAffinity", "Local volume requires node "
                                            "affinity"))
        elif key == "nfs":
            podspec._nfs_volume(source, "spec.nfs", errs)
        elif key == "csi":
            podspec.validate_csi_driver_name(_s(source, "driver"), "spec.csi.driver", errs)
            if not _s(source, "volumeHandle"):
                errs.append(errors.required("spec.csi.volumeHandle", ""))
    if not count:
        errs.append(errors.required("spec", "must specify a volume type"))


def validate_pv(pv: Obj) -> Errs:
    """Upstream ``ValidatePersistentVolume``."""
    errs = meta_errors(pv, False, names.validate_persistent_volume_name)
    errs.extend(validate_pv_spec(_m(pv, "spec"), _s(_m(pv, "metadata"), "name")))
    return errs


_PV_NON_SOURCE = frozenset({"accessModes", "capacity", "claimRef", "persistentVolumeReclaimPolicy",
                            "storageClassName", "mountOptions", "volumeMode", "nodeAffinity",
                            "volumeAttributesClassName"})


def validate_pv_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidatePersistentVolumeUpdate``: the volume source is immutable."""
    errs = validate_pv(new)
    spec, old_spec = _m(new, "spec"), _m(old, "spec")
    new_src = {k: v for k, v in spec.items() if k not in _PV_NON_SOURCE}
    old_src = {k: v for k, v in old_spec.items() if k not in _PV_NON_SOURCE}
    csi, old_csi = _m(new_src, "csi"), _m(old_src, "csi")
    if old_csi and "controllerExpandSecretRef" not in old_csi and csi.get(
            "controllerExpandSecretRef") is not None:
        new_src["csi"] = {k: v for k, v in csi.items() if k != "controllerExpandSecretRef"}
    if not semantic_equal(new_src, old_src):
        errs.append(errors.forbidden("spec.persistentvolumesource",
                                     "spec.persistentvolumesource is immutable after creation\n"
                                     + spec_diff("core.PersistentVolumeSource", old_src, new_src)))
    errs.extend(validate_immutable_field(spec.get("volumeMode"), old_spec.get("volumeMode"),
                                         "volumeMode"))
    if old_spec.get("nodeAffinity") is not None and not semantic_equal(
            spec.get("nodeAffinity"), old_spec.get("nodeAffinity")):
        errs.append(errors.invalid("nodeAffinity", go_value(spec.get("nodeAffinity")),
                                   FIELD_IMMUTABLE_ERROR_MSG + ", except for updating from beta "
                                   "label to GA"))
    return errs


def _data_source(ref: Obj, path: str, errs: Errs) -> None:
    if not _s(ref, "name"):
        errs.append(errors.required(f"{path}.name", ""))
    kind = _s(ref, "kind")
    if not kind:
        errs.append(errors.required(f"{path}.kind", ""))
    group = _s(ref, "apiGroup")
    if not group and kind != "PersistentVolumeClaim":
        errs.append(errors.invalid(path, kind, "must be 'PersistentVolumeClaim' when referencing "
                                   "the default apiGroup"))
    if group:
        podspec.dns1123_subdomain(group, f"{path}.apiGroup", errs)


def validate_pvc_spec(spec: Obj, path: str = "spec") -> Errs:
    """Upstream ``ValidatePersistentVolumeClaimSpec``."""
    errs: Errs = []
    modes = _l(spec, "accessModes")
    if not modes:
        errs.append(errors.required(f"{path}.accessModes", "at least 1 access mode is required"))
    if isinstance(spec.get("selector"), dict):
        errs.extend(validate_label_selector(spec["selector"], f"{path}.selector"))
    _access_modes(modes, f"{path}.accessModes", errs)
    storage = _m(_m(spec, "resources"), "requests").get("storage")
    storage_path = f"{path}.resources[storage]"
    q = resourcelists.parse(storage) if storage is not None else None
    if storage is None:
        errs.append(errors.required(storage_path, ""))
    elif q is not None:
        positive = resourcelists.validate_positive_quantity(q, storage_path)
        errs.extend(positive or resourcelists.validate_quantity_value("storage", q, storage_path))
    if _s(spec, "storageClassName"):
        podspec.name_fn_errors(names.validate_class_name, _s(spec, "storageClassName"),
                               f"{path}.storageClassName", errs)
    mode = spec.get("volumeMode")
    if isinstance(mode, str) and mode not in VOLUME_MODES:
        errs.append(errors.not_supported(f"{path}.volumeMode", mode, list(VOLUME_MODES)))
    for key in ("dataSource", "dataSourceRef"):
        if isinstance(spec.get(key), dict):
            _data_source(spec[key], f"{path}.{key}", errs)
    return errs


def validate_pvc(pvc: Obj) -> Errs:
    """Upstream ``ValidatePersistentVolumeClaim``."""
    errs = meta_errors(pvc, True, names.validate_persistent_volume_name)
    errs.extend(validate_pvc_spec(_m(pvc, "spec")))
    return errs


def validate_pvc_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidatePersistentVolumeClaimUpdate``: the spec is immutable except a
    first ``volumeName`` binding, a storage class set from nil and, for bound claims,
    ``resources.requests.storage``."""
    errs = meta_update_errors(new, old)
    errs.extend(validate_pvc(new))
    spec, old_spec = dict(_m(new, "spec")), dict(_m(old, "spec"))
    if not _s(old_spec, "volumeName"):
        old_spec["volumeName"] = spec.get("volumeName")
    if old_spec.get("storageClassName") is None and spec.get("storageClassName") is not None:
        spec["storageClassName"] = None
        old_spec["storageClassName"] = None
    bound = _s(_m(new, "status"), "phase") == "Bound"
    if bound:
        for s, other in ((spec, _m(old, "spec")),):
            resources = dict(_m(s, "resources"))
            requests = dict(_m(resources, "requests"))
            old_storage = _m(_m(other, "resources"), "requests").get("storage")
            if old_storage is None:
                requests.pop("storage", None)
            else:
                requests["storage"] = old_storage
            resources["requests"] = requests
            s["resources"] = resources
        spec["volumeAttributesClassName"] = old_spec.get("volumeAttributesClassName")
    if not semantic_equal(spec, old_spec):
        errs.append(errors.forbidden("spec", "spec is immutable after creation except "
                                     "resources.requests and volumeAttributesClassName for bound "
                                     "claims\n" + spec_diff("core.PersistentVolumeClaimSpec",
                                                            old_spec, spec)))
    errs.extend(_pvc_shrink(new, old))
    errs.extend(validate_immutable_field(_m(new, "spec").get("volumeMode"),
                                         _m(old, "spec").get("volumeMode"), "volumeMode"))
    return errs


def _pvc_shrink(new: Obj, old: Obj) -> Errs:
    """RecoverVolumeExpansionFailure (beta in v1.32): shrinking is allowed down to, but not
    to or below, the recorded ``status.capacity``."""
    def storage(obj: Obj, *path: str) -> Any:
        cur: Any = obj
        for part in path:
            cur = as_map(cur).get(part)
        q = resourcelists.parse(cur) if cur is not None else None
        return q.value if q is not None else 0

    new_size = storage(new, "spec", "resources", "requests", "storage")
    old_size = storage(old, "spec", "resources", "requests", "storage")
    status_size = storage(old, "status", "capacity", "storage")
    if new_size < old_size and new_size <= status_size:
        return [errors.forbidden("spec.resources.requests.storage",
                                 "field can not be less than status.capacity")]
    return []


# -- replication controllers --------------------------------------------------------------


def _labels_match(selector: Obj, labels: Obj) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def validate_rc_spec(spec: Obj) -> Errs:
    """Upstream ``ValidateReplicationControllerSpec`` / ``ValidatePodTemplateSpecForRC``."""
    errs: Errs = []
    for key in ("minReadySeconds",):
        value = spec.get(key)
        if is_int(value) and value < 0:
            errs.append(errors.invalid(f"spec.{key}", value, IS_NEGATIVE_ERROR_MSG))
    selector = _m(spec, "selector")
    if not selector:
        errs.append(errors.required("spec.selector", ""))
    replicas = spec.get("replicas")
    if is_int(replicas) and replicas < 0:
        errs.append(errors.invalid("spec.replicas", replicas, IS_NEGATIVE_ERROR_MSG))
    template = spec.get("template")
    if not isinstance(template, dict):
        errs.append(errors.required("spec.template", ""))
        return errs
    labels = _m(_m(template, "metadata"), "labels")
    if selector and not _labels_match(selector, labels):
        errs.append(errors.invalid("spec.template.metadata.labels",
                                   go_string_map(_m(template, "metadata").get("labels")),
                                   "`selector` does not match template `labels`"))
    errs.extend(podspec.validate_pod_template_spec(template, "spec.template"))
    tspec = _m(template, "spec")
    restart = _s(tspec, "restartPolicy")
    if restart != "Always":
        errs.append(errors.not_supported("spec.template.spec.restartPolicy", restart, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(errors.forbidden("spec.template.spec.activeDeadlineSeconds",
                                     "activeDeadlineSeconds in ReplicationController is not "
                                     "Supported"))
    return errs


def replica_status_errors(status: Obj, path: str = "status",
                          keys: tuple[str, ...] = ("replicas", "fullyLabeledReplicas",
                                                   "readyReplicas", "availableReplicas",
                                                   "observedGeneration")) -> Errs:
    """Upstream ``ValidateReplicationControllerStatus`` / ``ValidateReplicaSetStatus``."""
    errs: Errs = []
    for key in keys:
        value = status.get(key)
        if is_int(value) and value < 0:
            errs.append(errors.invalid(f"{path}.{key}", value, IS_NEGATIVE_ERROR_MSG))
    replicas = status.get("replicas", 0)
    msg = "cannot be greater than status.replicas"
    for key in ("fullyLabeledReplicas", "readyReplicas", "availableReplicas"):
        value = status.get(key, 0)
        if is_int(value) and is_int(replicas) and value > replicas:
            errs.append(errors.invalid(f"{path}.{key}", value, msg))
    available, ready = status.get("availableReplicas", 0), status.get("readyReplicas", 0)
    if is_int(available) and is_int(ready) and available > ready:
        errs.append(errors.invalid(f"{path}.availableReplicas", available,
                                   "cannot be greater than readyReplicas"))
    return errs


def _rc_status_update(new: Obj, old: Obj) -> Errs:
    errs = meta_update_errors(new, old)
    errs.extend(replica_status_errors(_m(new, "status")))
    return errs


# -- endpoints -------------------------------------------------------------------------


def _endpoint_address(address: Obj, path: str, errs: Errs) -> None:
    ip = _s(address, "ip")
    podspec.valid_ip(ip, f"{path}.ip", errs)
    if _s(address, "hostname"):
        podspec.dns1123_label(_s(address, "hostname"), f"{path}.hostname", errs)
    node = address.get("nodeName")
    if isinstance(node, str):
        podspec.name_fn_errors(names.validate_node_name, node, f"{path}.nodeName", errs)
    if not names.is_valid_ip(ip):
        errs.append(errors.invalid(f"{path}.ip", ip, "must be a valid IP address"))
    else:
        errs.extend(validate_non_special_ip(ip, f"{path}.ip"))


def _endpoint_port(port: Obj, require_name: bool, path: str, errs: Errs) -> None:
    name = _s(port, "name")
    if require_name and not name:
        errs.append(errors.required(f"{path}.name", ""))
    elif name:
        podspec.dns1123_label(name, f"{path}.name", errs)
    number = port.get("port", 0)
    if is_int(number) and not 1 <= number <= 65535:
        errs.append(errors.invalid(f"{path}.port", number, names.inclusive_range_error(1, 65535)))
    protocol = _s(port, "protocol")
    if not protocol:
        errs.append(errors.required(f"{path}.protocol", ""))
    elif protocol not in podspec.PROTOCOLS:
        errs.append(errors.not_supported(f"{path}.protocol", protocol, list(podspec.PROTOCOLS)))
    if isinstance(port.get("appProtocol"), str):
        podspec.qualified_name(port["appProtocol"], f"{path}.appProtocol", errs)


def validate_endpoints(ep: Obj) -> Errs:
    """Upstream ``ValidateEndpoints``."""
    errs = meta_errors(ep, True, names.validate_endpoints_name)
    for i, subset in enumerate(_l(ep, "subsets")):
        subset = as_map(subset)
        p = f"subsets[{i}]"
        if not _l(subset, "addresses") and not _l(subset, "notReadyAddresses"):
            errs.append(errors.required(p, "must specify `addresses` or `notReadyAddresses`"))
        for kind in ("addresses", "notReadyAddresses"):
            for j, address in enumerate(_l(subset, kind)):
                _endpoint_address(as_map(address), f"{p}.{kind}[{j}]", errs)
        ports = _l(subset, "ports")
        for j, port in enumerate(ports):
            _endpoint_port(as_map(port), len(ports) > 1, f"{p}.ports[{j}]", errs)
    return errs


# -- events ----------------------------------------------------------------------------

REPORTING_INSTANCE_LIMIT = 128
ACTION_LIMIT = 128
REASON_LIMIT = 128
NOTE_LIMIT = 1024


_EVENT_KEYS = (  # internal name, events.k8s.io/v1 name, core/v1 name
    ("involvedObject", "regarding", "involvedObject"), ("reason", "reason", "reason"),
    ("message", "note", "message"), ("source", "deprecatedSource", "source"),
    ("firstTimestamp", "deprecatedFirstTimestamp", "firstTimestamp"),
    ("lastTimestamp", "deprecatedLastTimestamp", "lastTimestamp"),
    ("count", "deprecatedCount", "count"), ("type", "type", "type"),
    ("action", "action", "action"), ("related", "related", "related"),
    ("reportingController", "reportingController", "reportingComponent"),
    ("reportingInstance", "reportingInstance", "reportingInstance"),
    ("eventTime", "eventTime", "eventTime"), ("series", "series", "series"),
)


def _is_new_shape(event: Obj) -> bool:
    return "regarding" in event or "note" in event or _s(event, "apiVersion").startswith(
        "events.k8s.io/")


def _internal_event(event: Obj) -> dict[str, Any]:
    """The internal ``core.Event`` fields, from either JSON shape."""
    column = 1 if _is_new_shape(event) else 2
    return {keys[0]: event.get(keys[column]) for keys in _EVENT_KEYS}


# The JSON names, in either shape, of the string fields the event checks read
# (internal name, events.k8s.io/v1 name, core/v1 name).
_EVENT_STRINGS = tuple(keys for keys in _EVENT_KEYS if keys[0] in (
    "reportingController", "reportingInstance", "action", "reason", "message", "type"))


def _event_fields(event: Obj) -> dict[str, Any]:
    """What the event checks read, by internal name: :func:`_internal_event`'s
    fields, without building the fields they do not read."""
    column = 1 if _is_new_shape(event) else 2
    get = event.get
    fields: dict[str, Any] = {}
    for keys in _EVENT_STRINGS:
        value = get(keys[column])
        fields[keys[0]] = value if isinstance(value, str) else ""
    fields["namespace"] = _s(_m(event, "metadata"), "namespace")
    fields["involved"] = as_map(get(_EVENT_KEYS[0][column]))
    fields["eventTime"] = get("eventTime")
    return fields


def _legacy_event(f: dict[str, Any], new_api: bool) -> Errs:
    """Upstream ``legacyValidateEvent``."""
    errs: Errs = []
    ns, involved_ns = f["namespace"], _s(f["involved"], "namespace")
    path = "involvedObject.namespace"
    msg = "does not match event.namespace"
    if not f["eventTime"]:
        if not involved_ns:
            if ns not in ("", "default"):
                errs.append(errors.invalid(path, involved_ns, msg))
        elif ns != involved_ns:
            errs.append(errors.invalid(path, involved_ns, msg))
    else:
        if not involved_ns and ns not in ("default", "kube-system"):
            errs.append(errors.invalid(path, involved_ns, msg))
        controller_path = "reportingController" if new_api else "reportingComponent"
        if not f["reportingController"]:
            errs.append(errors.required(controller_path, ""))
        podspec.qualified_name(f["reportingController"], controller_path, errs)
        _event_lengths(f, errs)
    podspec.dns1123_subdomain(ns, "namespace", errs)
    return errs


def _event_lengths(f: dict[str, Any], errs: Errs) -> None:
    for key, limit, required in (("reportingInstance", REPORTING_INSTANCE_LIMIT, True),
                                 ("action", ACTION_LIMIT, True), ("reason", REASON_LIMIT, True),
                                 ("message", NOTE_LIMIT, False)):
        value = f[key]
        if required and not value:
            errs.append(errors.required(key, ""))
        if len(value) > limit:
            errs.append(errors.invalid(key, "", f"can have at most {limit} characters"))


def _strict_event(event: Obj, f: dict[str, Any]) -> Errs:
    """The rest of ``ValidateEventCreate`` for events.k8s.io/v1."""
    errs = meta_errors(event, True, names.name_is_dns_subdomain)
    series = event.get("series")
    if isinstance(series, dict):
        count = series.get("count", 0)
        if is_int(count) and count < 2:
            errs.append(errors.invalid("series.count", "", "should be at least 2"))
        if not series.get("lastObservedTime"):
            errs.append(errors.required("series.lastObservedTime", ""))
    if not f["eventTime"]:
        errs.append(errors.required("eventTime", ""))
    if f["type"] not in ("Normal", "Warning"):
        errs.append(errors.invalid("type", "", f"has invalid value: {f['type']}"))
    return errs


def _generic_name_check(event: Obj) -> Errs:
    """``rest.BeforeCreate``'s closing ``ValidateObjectMetaAccessor`` with path-segment names."""
    return validate_object_meta(event.get("metadata"), True, names.validate_path_segment_name)


def _event_create(new_api: bool):
    def validate(event: Obj) -> Errs:
        """Upstream ``ValidateEventCreate``."""
        f = _event_fields(event)
        errs = _legacy_event(f, new_api)
        if new_api:
            errs.extend(_strict_event(event, f))
        return errs or _generic_name_check(event)
    return validate


_EVENT_IMMUTABLE = ("involvedObject", "reason", "message", "source", "firstTimestamp",
                    "lastTimestamp", "count", "type", "action", "related",
                    "reportingController", "reportingInstance")


def _event_update(new_api: bool):
    def validate(new: Obj, old: Obj) -> Errs:
        """Upstream ``ValidateEventUpdate``."""
        errs = _legacy_event(_event_fields(new), new_api)
        if not new_api:
            return errs or meta_update_errors(new, old)
        errs.extend(meta_update_errors(new, old))
        internal, old_internal = _internal_event(new), _internal_event(old)
        for path in _EVENT_IMMUTABLE:
            errs.extend(validate_immutable_field(internal[path], old_internal[path], path))
        return errs
    return validate


# -- limit ranges and quotas -------------------------------------------------------------


def _limit_type_name(kind: str, path: str, errs: Errs) -> None:
    msgs = names.is_qualified_name(kind)
    errs.extend(errors.invalid(path, kind, m) for m in msgs)
    if not msgs and "/" not in kind and kind not in ("Pod", "Container", "PersistentVolumeClaim"):
        errs.append(errors.invalid(path, kind, "must be a standard limit type or fully qualified"))


def _limit_resource_name(kind: str, name: str, path: str) -> Errs:
    if kind in ("Pod", "Container"):
        return resourcelists.validate_container_resource_name(name, path)
    return resourcelists.validate_resource_name(name, path)


def _limit_item(item: Obj, path: str, seen_types: set[str], errs: Errs) -> None:
    kind = _s(item, "type")
    _limit_type_name(kind, f"{path}.type", errs)
    if kind in seen_types:
        errs.append(errors.duplicate(f"{path}.type", kind))
    seen_types.add(kind)
    bags: dict[str, dict[str, Any]] = {}
    keys: set[str] = set()
    for bag in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
        if kind == "Pod" and bag in ("default", "defaultRequest"):
            if _m(item, bag):
                errs.append(errors.forbidden(f"{path}.{bag}",
                                             "may not be specified when `type` is 'Pod'"))
            continue
        parsed = {}
        for name, raw in _m(item, bag).items():
            errs.extend(_limit_resource_name(kind, name, f"{path}.{bag}[{name}]"))
            keys.add(name)
            q = resourcelists.parse(raw)
            if q is not None:
                parsed[name] = q
        bags[bag] = parsed
    if kind == "PersistentVolumeClaim" and "storage" not in _m(item, "min") and (
            "storage" not in _m(item, "max")):
        errs.append(errors.required(f"{path}.limits", "either minimum or maximum storage value is "
                                    "required, but neither was provided"))
    for key in sorted(keys):
        _limit_comparisons(key, bags, path, errs)


def _limit_comparisons(k: str, bags: dict[str, dict[str, Any]], path: str, errs: Errs) -> None:
    lo, hi = bags.get("min", {}).get(k), bags.get("max", {}).get(k)
    default, request = bags.get("default", {}).get(k), bags.get("defaultRequest", {}).get(k)
    ratio = bags.get("maxLimitRequestRatio", {}).get(k)

    def bad(bag: str, q: Any, msg: str) -> None:
        errs.append(errors.invalid(f"{path}.{bag}[{k}]", GoValue(str(q)), msg))

    if lo is not None and hi is not None and lo.value > hi.value:
        bad("min", lo, f"min value {lo} is greater than max value {hi}")
    if request is not None and lo is not None and lo.value > request.value:
        bad("defaultRequest", request, f"min value {lo} is greater than default request value "
            f"{request}")
    if request is not None and hi is not None and request.value > hi.value:
        bad("defaultRequest", request, f"default request value {request} is greater than max "
            f"value {hi}")
    if request is not None and default is not None and request.value > default.value:
        bad("defaultRequest", request, f"default request value {request} is greater than default "
            f"limit value {default}")
    if default is not None and lo is not None and lo.value > default.value:
        bad("default", lo, f"min value {lo} is greater than default value {default}")
    if default is not None and hi is not None and default.value > hi.value:
        bad("default", hi, f"default value {default} is greater than max value {hi}")
    if ratio is not None and ratio.value < 1:
        bad("maxLimitRequestRatio", ratio, f"ratio {ratio} is less than 1")
    if ratio is not None and lo is not None and hi is not None and lo.value:
        limit = float(hi.value / lo.value)
        if float(ratio.value) > limit:
            bad("maxLimitRequestRatio", ratio, f"ratio {ratio} is greater than max/min = "
                f"{limit:f}")
    if (not resourcelists.is_overcommit_allowed(k) and default is not None
            and request is not None and default.value != request.value):
        bad("defaultRequest", request, f"default value {default} must equal to defaultRequest "
            f"value {request} in {k}")


def validate_limit_range(lr: Obj) -> Errs:
    """Upstream ``ValidateLimitRange``."""
    errs = meta_errors(lr, True, names.validate_limit_range_name)
    seen: set[str] = set()
    for i, item in enumerate(_l(_m(lr, "spec"), "limits")):
        _limit_item(as_map(item), f"spec.limits[{i}]", seen, errs)
    return errs


SCOPES = ("Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass",
          "CrossNamespacePodAffinity", "VolumeAttributesClass")


def _quota_list(values: Obj, path: str, errs: Errs) -> None:
    for name, raw in values.items():
        p = f"{path}[{name}]"
        errs.extend(resourcelists.validate_quota_resource_name(name, p))
        q = resourcelists.parse(raw)
        if q is not None:
            errs.extend(resourcelists.validate_quantity_value(name, q, p))


def validate_quota_spec(spec: Obj) -> Errs:
    """Upstream ``ValidateResourceQuotaSpec`` (scopes checked by name and pairing)."""
    errs: Errs = []
    _quota_list(_m(spec, "hard"), "spec.hard", errs)
    scopes = [as_str(s) for s in _l(spec, "scopes")]
    for scope in scopes:
        if scope not in SCOPES:
            errs.append(errors.invalid("spec.scopes", go_value(scopes), "unsupported scope"))
    for pair in (("BestEffort", "NotBestEffort"), ("Terminating", "NotTerminating")):
        if set(pair) <= set(scopes):
            errs.append(errors.invalid("spec.scopes", go_value(scopes), "conflicting scopes"))
    selector = spec.get("scopeSelector")
    for i, req in enumerate(_l(as_map(selector), "matchExpressions")):
        _scope_requirement(as_map(req), f"spec.scopeSelector.matchExpressions[{i}]", errs)
    return errs


def _scope_requirement(req: Obj, path: str, errs: Errs) -> None:
    scope, op, values = _s(req, "scopeName"), _s(req, "operator"), _l(req, "values")
    base = path.rsplit("[", 1)[0]
    if scope not in SCOPES:
        errs.append(errors.invalid(f"{base}.scopeName", scope, "unsupported scope"))
    if scope in SCOPES[:4] + ("CrossNamespacePodAffinity",) and op != "Exists":
        errs.append(errors.invalid(f"{base}.operator", op, "must be 'Exists' when scope is any of "
                                   "ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, "
                                   "ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort "
                                   "or ResourceQuotaScopeCrossNamespacePodAffinity"))
    if op in ("In", "NotIn"):
        if not values:
            errs.append(errors.required(f"{base}.values", "must be at least one value when "
                                        "`operator` is 'In' or 'NotIn' for scope selector"))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(errors.invalid(f"{base}.values", go_value(values), "must be no value when "
                                       "`operator` is 'Exist' or 'DoesNotExist' for scope selector"))
    else:
        errs.append(errors.invalid(f"{base}.operator", op, "not a valid selector operator"))


def _quota_status(status: Obj, errs: Errs) -> None:
    _quota_list(_m(status, "hard"), "status.hard", errs)
    _quota_list(_m(status, "used"), "status.used", errs)


def validate_resource_quota(quota: Obj) -> Errs:
    """Upstream ``ValidateResourceQuota``."""
    errs = meta_errors(quota, True, names.validate_resource_quota_name)
    errs.extend(validate_quota_spec(_m(quota, "spec")))
    _quota_status(_m(quota, "status"), errs)
    return errs


def validate_resource_quota_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateResourceQuotaUpdate``: scopes are immutable."""
    errs = meta_update_errors(new, old)
    errs.extend(validate_quota_spec(_m(new, "spec")))
    new_scopes = set(map(as_str, _l(_m(new, "spec"), "scopes")))
    if new_scopes != set(map(as_str, _l(_m(old, "spec"), "scopes"))):
        errs.append(errors.invalid("spec.scopes", go_value(_l(_m(new, "spec"), "scopes")),
                                   FIELD_IMMUTABLE_ERROR_MSG))
    return errs


def _quota_status_update(new: Obj, old: Obj) -> Errs:
    errs = meta_update_errors(new, old)
    _quota_status(_m(new, "status"), errs)
    return errs


def _pv_status_update(new: Obj, old: Obj) -> Errs:
    return meta_update_errors(new, old)


def _pvc_status_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidatePersistentVolumeClaimStatusUpdate``."""
    errs = meta_update_errors(new, old)
    if not _l(_m(new, "spec"), "accessModes"):
        errs.append(errors.required("Spec.accessModes", ""))
    for name, raw in _m(_m(new, "status"), "capacity").items():
        q = resourcelists.parse(raw)
        if q is not None:
            errs.extend(resourcelists.validate_basic_resource(q, f"status.capacity[{name}]"))
    return errs


def _node_status_update(new: Obj, old: Obj) -> Errs:
    return validate_node_update(new, old)


def _rc_update(new: Obj, old: Obj) -> Errs:
    errs = meta_update_errors(new, old)
    errs.extend(validate_rc_spec(_m(new, "spec")))
    return errs


def _rc_create(rc: Obj) -> Errs:
    errs = meta_errors(rc, True, names.validate_replication_controller_name)
    errs.extend(validate_rc_spec(_m(rc, "spec")))
    return errs


def _pod_template_update(new: Obj, old: Obj) -> Errs:
    errs = meta_update_errors(new, old)
    errs.extend(podspec.validate_pod_template_spec(new.get("template"), "template"))
    return errs


def _namespace_update(new: Obj, old: Obj) -> Errs:
    return meta_update_errors(new, old)


def _with_meta_update(create):
    def update(new: Obj, old: Obj) -> Errs:
        errs = meta_update_errors(new, old)
        errs.extend(create(new))
        return errs
    return update


VALIDATORS: dict[tuple[str, str], KindValidators] = {
    ("", "Pod"): custom(validate_pod, validate_pod_update, validate_pod_status_update),
    ("", "Binding"): custom(validate_pod_binding, lambda new, old: validate_pod_binding(new)),
    ("", "PodTemplate"): custom(validate_pod_template, _pod_template_update),
    ("", "Service"): custom(validate_service, validate_service_update,
                            validate_service_status_update),
    ("", "ConfigMap"): custom(validate_config_map, validate_config_map_update),
    ("", "Secret"): custom(validate_secret, validate_secret_update),
    ("", "Namespace"): custom(validate_namespace, _namespace_update,
                              validate_namespace_status_update),
    ("", "Node"): custom(validate_node, validate_node_update, _node_status_update),
    ("", "PersistentVolume"): custom(validate_pv, validate_pv_update, _pv_status_update),
    ("", "PersistentVolumeClaim"): custom(validate_pvc, validate_pvc_update, _pvc_status_update),
    ("", "ReplicationController"): custom(_rc_create, _rc_update, _rc_status_update),
    ("", "Endpoints"): custom(validate_endpoints, _with_meta_update(validate_endpoints)),
    ("", "Event"): custom(_event_create(False), _event_update(False)),
    ("events.k8s.io", "Event"): custom(_event_create(True), _event_update(True)),
    ("", "LimitRange"): custom(validate_limit_range, _with_meta_update(validate_limit_range)),
    ("", "ResourceQuota"): custom(validate_resource_quota, validate_resource_quota_update,
                                  _quota_status_update),
    ("", "ServiceAccount"): simple(True, names.validate_service_account_name),
}

__all__ = ["VALIDATORS", "validate_pvc_spec"]
