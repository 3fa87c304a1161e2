"""Defaults for ``PodSpec`` and everything nested in it, shared by Pods and by
every pod template (PodTemplate, ReplicationController, Deployment, ReplicaSet,
StatefulSet, DaemonSet, Job, CronJob).

Upstream: ``pkg/apis/core/v1/defaults.go`` (``SetDefaults_PodSpec``,
``SetDefaults_Container``, ``SetDefaults_Probe``, ``SetDefaults_HTTPGetAction``,
``SetDefaults_Volume`` and the volume sources, ``SetDefaults_ObjectFieldSelector``,
``SetDefaults_ResourceList``, ``SetDefaults_PersistentVolumeClaimSpec``), the
``+default`` markers in ``k8s.io/api/core/v1/types.go`` (ContainerPort.protocol,
GRPCAction.service) and ``zz_generated.defaults.go`` for where each applies.
Image pull policy parsing follows ``pkg/util/parsers.ParseImageName`` over
``github.com/distribution/reference``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from engine.api.defaults._util import (
    canonical_quantity,
    child,
    ensure,
    items,
    resource_list,
    set_if_empty,
    set_if_none,
)

Obj = dict[str, Any]

# v1.DefaultTerminationGracePeriodSeconds, v1.DefaultSchedulerName, file modes (0644).
TERMINATION_GRACE_PERIOD = 30
SCHEDULER_NAME = "default-scheduler"
DEFAULT_MODE = 0o644
TOKEN_EXPIRATION_SECONDS = 3600
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
PROBES = ("livenessProbe", "readinessProbe", "startupProbe")

# -- image pull policy ------------------------------------------------------------
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = f"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])"
_NAME = rf"(?:{_HOST}(?::[0-9]+)?/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(rf"({_NAME})(?::({_TAG}))?(?:@({_DIGEST}))?", re.ASCII)
_IDENTIFIER = re.compile(r"[a-f0-9]{64}")
_DEFAULT_DOMAIN = "docker.io"
_NAME_TOTAL_LENGTH_MAX = 255


def _split_domain(name: str) -> tuple[str, str]:
    """``reference.splitDockerDomain``."""
    i = name.find("/")
    head = name[:i]
    if i == -1 or (
        "." not in head and ":" not in head and head != "localhost" and head.lower() == head
    ):
        domain, remainder = _DEFAULT_DOMAIN, name
    else:
        domain, remainder = head, name[i + 1 :]
    if domain == "index.docker.io":
        domain = _DEFAULT_DOMAIN
    if domain == _DEFAULT_DOMAIN and "/" not in remainder:
        remainder = "library/" + remainder
    return domain, remainder


@functools.lru_cache(maxsize=4096)
def image_pull_policy(image: str) -> str:
    """``SetDefaults_Container``: ``Always`` when the tag is ``latest`` or there
    is neither tag nor digest, else ``IfNotPresent`` (also when the reference
    does not parse, since upstream ignores that error here)."""
    if _IDENTIFIER.fullmatch(image):
        return "IfNotPresent"
    domain, remainder = _split_domain(image)
    remote = remainder.split(":", 1)[0]
    if remote.lower() != remote:
        return "IfNotPresent"
    match = _REFERENCE.fullmatch(f"{domain}/{remainder}")
    if match is None or len(match.group(1)) > _NAME_TOTAL_LENGTH_MAX:
        return "IfNotPresent"
    tag, digest = match.group(2), match.group(3)
    if tag == "latest" or (not tag and not digest):
        return "Always"
    return "IfNotPresent"


# -- containers --------------------------------------------------------------------
def default_http_get(action: Obj | None) -> None:
    """``SetDefaults_HTTPGetAction``: path ``/``, scheme ``HTTP``."""
    if action is not None:
        set_if_empty(action, "path", "/")
        set_if_empty(action, "scheme", "HTTP")


def default_probe(probe: Obj | None) -> None:
    """``SetDefaults_Probe`` plus its handler's defaults."""
    if probe is None:
        return
    set_if_empty(probe, "timeoutSeconds", 1)
    set_if_empty(probe, "periodSeconds", 10)
    set_if_empty(probe, "successThreshold", 1)
    set_if_empty(probe, "failureThreshold", 3)
    default_http_get(child(probe, "httpGet"))
    grpc = child(probe, "grpc")
    if grpc is not None:
        set_if_none(grpc, "service", "")


def default_field_ref(holder: Obj) -> None:
    """``SetDefaults_ObjectFieldSelector`` (apiVersion ``v1``) and the resource
    field selector's divisor (a zero Quantity serialises as ``"0"``)."""
    ref = child(holder, "fieldRef")
    if ref is not None:
        set_if_empty(ref, "apiVersion", "v1")
    ref = child(holder, "resourceFieldRef")
    if ref is not None:
        set_if_none(ref, "divisor", "0")
        canonical_quantity(ref, "divisor")


def default_container(c: Obj) -> None:
    """``SetDefaults_Container`` and the types nested in a container."""
    if not c.get("imagePullPolicy"):
        image = c.get("image")
        c["imagePullPolicy"] = (
            image_pull_policy(image) if isinstance(image, str) and image else "IfNotPresent"
        )
    set_if_empty(c, "terminationMessagePath", "/dev/termination-log")
    set_if_empty(c, "terminationMessagePolicy", "File")
    for port in items(c, "ports"):
        set_if_empty(port, "protocol", "TCP")
    for name in PROBES:
        default_probe(child(c, name))
    lifecycle = child(c, "lifecycle")
    if lifecycle is not None:
        for hook in ("postStart", "preStop"):
            handler = child(lifecycle, hook)
            if handler is not None:
                default_http_get(child(handler, "httpGet"))
    for env in items(c, "env"):
        source = child(env, "valueFrom")
        if source is not None:
            default_field_ref(source)
    resources = ensure(c, "resources")
    if resources is not None:
        resource_list(resources, "limits")
        resource_list(resources, "requests")


# -- volumes -----------------------------------------------------------------------
def default_pvc_spec(spec: Obj | None) -> None:
    """``SetDefaults_PersistentVolumeClaimSpec`` (volumeMode ``Filesystem``) and
    its resource lists."""
    if spec is None:
        return
    set_if_none(spec, "volumeMode", "Filesystem")
    resources = child(spec, "resources")
    if resources is not None:
        resource_list(resources, "limits")
        resource_list(resources, "requests")


def _default_mode(source: Obj | None) -> Obj | None:
    if source is not None:
        set_if_none(source, "defaultMode", DEFAULT_MODE)
    return source


def _projected(source: Obj) -> None:
    """``SetDefaults_ProjectedVolumeSource`` and its projections."""
    set_if_none(source, "defaultMode", DEFAULT_MODE)
    for projection in items(source, "sources"):
        token = child(projection, "serviceAccountToken")
        if token is not None:
            set_if_none(token, "expirationSeconds", TOKEN_EXPIRATION_SECONDS)
        downward = child(projection, "downwardAPI")
        if downward is not None:
            for item in items(downward, "items"):
                default_field_ref(item)


def default_plugin_sources(volume: Obj) -> None:
    """Defaults of the in-tree volume plugins (iSCSI, RBD, Azure Disk, ScaleIO),
    for pod volumes and persistent volume specs alike."""
    source = child(volume, "iscsi")
    if source is not None:
        set_if_empty(source, "iscsiInterface", "default")
    source = child(volume, "rbd")
    if source is not None:
        set_if_empty(source, "pool", "rbd")
        set_if_empty(source, "user", "admin")
        set_if_empty(source, "keyring", "/etc/ceph/keyring")
    source = child(volume, "azureDisk")
    if source is not None:
        set_if_none(source, "cachingMode", "ReadWrite")
        set_if_none(source, "kind", "Shared")
        set_if_none(source, "fsType", "ext4")
        set_if_none(source, "readOnly", False)
    source = child(volume, "scaleIO")
    if source is not None:
        set_if_empty(source, "storageMode", "ThinProvisioned")
        set_if_empty(source, "fsType", "xfs")


_COMMON_SOURCES = frozenset(
    {
        "name",
        "emptyDir",
        "secret",
        "configMap",
        "projected",
        "persistentVolumeClaim",
        "hostPath",
        "downwardAPI",
        "ephemeral",
    }
)


def default_volume(volume: Obj) -> None:
    """``SetDefaults_Volume`` (no source means ``emptyDir: {}``) and the
    defaults of each volume source."""
    if all(v is None for k, v in volume.items() if k != "name"):
        volume["emptyDir"] = {}
        return
    _default_mode(child(volume, "secret"))
    _default_mode(child(volume, "configMap"))
    downward = _default_mode(child(volume, "downwardAPI"))
    if downward is not None:
        for item in items(downward, "items"):
            default_field_ref(item)
    projected = child(volume, "projected")
    if projected is not None:
        _projected(projected)
    host_path = child(volume, "hostPath")
    if host_path is not None:
        set_if_none(host_path, "type", "")
    empty_dir = child(volume, "emptyDir")
    if empty_dir is not None:
        canonical_quantity(empty_dir, "sizeLimit")
    ephemeral = child(volume, "ephemeral")
    if ephemeral is not None:
        template = child(ephemeral, "volumeClaimTemplate")
        if template is not None:
            default_pvc_spec(child(template, "spec"))
    if not _COMMON_SOURCES.issuperset(volume):
        default_plugin_sources(volume)


# -- pod spec ------------------------------------------------------------------------
def default_pod_spec(spec: Obj) -> None:
    """``SetDefaults_PodSpec`` and every nested default; what pods and pod
    templates share (pod-only defaults are in :func:`engine.api.defaults.core.default_pod`)."""
    set_if_empty(spec, "dnsPolicy", "ClusterFirst")
    set_if_empty(spec, "restartPolicy", "Always")
    set_if_none(spec, "securityContext", {})
    set_if_none(spec, "terminationGracePeriodSeconds", TERMINATION_GRACE_PERIOD)
    set_if_empty(spec, "schedulerName", SCHEDULER_NAME)
    sync_service_account(spec)
    for key in CONTAINER_LISTS:
        for container in items(spec, key):
            default_container(container)
    for volume in items(spec, "volumes"):
        default_volume(volume)
    resource_list(spec, "overhead")


def sync_service_account(spec: Obj) -> None:
    """The v1 conversion of ``serviceAccountName`` and its deprecated alias
    ``serviceAccount``: the name wins, the alias fills an empty name, and the
    alias is written back equal to the name."""
    name = spec.get("serviceAccountName") or spec.get("serviceAccount")
    if name:
        spec["serviceAccountName"] = name
        spec["serviceAccount"] = name
    else:
        spec.pop("serviceAccount", None)


def default_template(template: Obj | None) -> None:
    """A ``PodTemplateSpec``: its spec gets PodSpec defaults (not the pod-only ones)."""
    if template is None:
        return
    spec = ensure(template, "spec")
    if spec is not None:
        default_pod_spec(spec)
