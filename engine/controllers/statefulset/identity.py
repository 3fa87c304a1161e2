"""A StatefulSet pod's identity: ordinal, name, hostname, labels, volumes.

Upstream: ``pkg/controller/statefulset/stateful_set_utils.go``
(``getParentNameAndOrdinal``, ``getStartOrdinal``/``getEndOrdinal``,
``podInOrdinalRange``, ``getPodName``, ``identityMatches``,
``storageMatches``, ``getPersistentVolumeClaims``, ``updateStorage``,
``initIdentity``/``updateIdentity``, ``newStatefulSetPod``,
``newVersionedStatefulSetPod``, the pod predicates and revision label).
"""

from __future__ import annotations

import re
from typing import Any

from engine.api import meta
from engine.controllers.util.owners import controller_ref
from engine.controllers.util.pods import is_pod_available, is_pod_ready

Obj = dict[str, Any]

POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
REVISION_LABEL = "controller-revision-hash"
API_VERSION, KIND = "apps/v1", "StatefulSet"
_POD_RE = re.compile(r"(.*)-([0-9]+)$", re.DOTALL)
_INT32_MAX = 2**31 - 1


def parent_and_ordinal(pod: Obj) -> tuple[str, int]:
    """``getParentNameAndOrdinal``: ("", -1) for a name without an ordinal."""
    match = _POD_RE.match(pod["metadata"].get("name") or "")
    if match is None:
        return "", -1
    ordinal = int(match.group(2))
    return match.group(1), (ordinal if ordinal <= _INT32_MAX else -1)


def ordinal_of(pod: Obj) -> int:
    return parent_and_ordinal(pod)[1]


def is_member_of(sts: Obj, pod: Obj) -> bool:
    return parent_and_ordinal(pod)[0] == sts["metadata"]["name"]


def start_ordinal(sts: Obj) -> int:
    return int(((sts["spec"].get("ordinals") or {}).get("start")) or 0)


def replicas_of(sts: Obj) -> int:
    replicas = sts["spec"].get("replicas")
    return 1 if replicas is None else int(replicas)


def end_ordinal(sts: Obj) -> int:
    return start_ordinal(sts) + replicas_of(sts) - 1


def in_ordinal_range(pod: Obj, sts: Obj) -> bool:
    return start_ordinal(sts) <= ordinal_of(pod) <= end_ordinal(sts)


def pod_name(sts: Obj, ordinal: int) -> str:
    return f"{sts['metadata']['name']}-{ordinal}"


def claim_name(sts: Obj, template: Obj, ordinal: int) -> str:
    """``getPersistentVolumeClaimName``: ``<template>-<set>-<ordinal>``."""
    return f"{template['metadata']['name']}-{sts['metadata']['name']}-{ordinal}"


def identity_matches(sts: Obj, pod: Obj) -> bool:
    parent, ordinal = parent_and_ordinal(pod)
    pm = pod["metadata"]
    return (ordinal >= 0 and parent == sts["metadata"]["name"]
            and pm["name"] == pod_name(sts, ordinal)
            and pm.get("namespace") == sts["metadata"].get("namespace")
            and (pm.get("labels") or {}).get(POD_NAME_LABEL) == pm["name"])


def storage_matches(sts: Obj, pod: Obj) -> bool:
    ordinal = ordinal_of(pod)
    if ordinal < 0:
        return False
    volumes = {v.get("name"): v for v in pod["spec"].get("volumes") or ()}
    for template in sts["spec"].get("volumeClaimTemplates") or ():
        source = (volumes.get(template["metadata"]["name"]) or {}).get("persistentVolumeClaim")
        if not source or source.get("claimName") != claim_name(sts, template, ordinal):
            return False
    return True


def claims_for(sts: Obj, pod: Obj) -> dict[str, Obj]:
    """``getPersistentVolumeClaims``: template name -> the pod's claim."""
    ordinal = ordinal_of(pod)
    match = (sts["spec"].get("selector") or {}).get("matchLabels") or {}
    claims: dict[str, Obj] = {}
    for template in sts["spec"].get("volumeClaimTemplates") or ():
        claim = meta.deep_copy(template)
        claim.pop("status", None)
        cm = claim.setdefault("metadata", {})
        cm["name"] = claim_name(sts, template, ordinal)
        cm["namespace"] = sts["metadata"].get("namespace")
        cm["labels"] = {**(cm.get("labels") or {}), **match}
        claims[template["metadata"]["name"]] = {"apiVersion": "v1",
                                                "kind": "PersistentVolumeClaim", **claim}
    return claims


def update_storage(sts: Obj, pod: Obj) -> None:
    """``updateStorage``: one PVC volume per template, other volumes kept."""
    claims = claims_for(sts, pod)
    volumes = [{"name": name, "persistentVolumeClaim": {"claimName": c["metadata"]["name"]}}
               for name, c in claims.items()]
    volumes += [v for v in pod["spec"].get("volumes") or () if v.get("name") not in claims]
    if volumes:
        pod["spec"]["volumes"] = volumes


def update_identity(sts: Obj, pod: Obj) -> None:
    """``updateIdentity``: name, namespace and the pod-name and pod-index labels."""
    ordinal = ordinal_of(pod)
    pm = pod["metadata"]
    pm["name"] = pod_name(sts, ordinal)
    pm["namespace"] = sts["metadata"].get("namespace")
    labels = pm.setdefault("labels", {})
    labels[POD_NAME_LABEL] = pm["name"]
    labels[POD_INDEX_LABEL] = str(ordinal)


def new_pod(sts: Obj, ordinal: int) -> Obj:
    """``newStatefulSetPod``: ``GetPodFromTemplate`` plus the stable identity
    (hostname = pod name, subdomain = serviceName) and the claims' volumes."""
    template = sts["spec"].get("template") or {}
    tm = template.get("metadata") or {}
    metadata: Obj = {"name": pod_name(sts, ordinal), "namespace": sts["metadata"].get("namespace"),
                     "ownerReferences": [controller_ref(sts, API_VERSION, KIND)]}
    for field in ("labels", "annotations", "finalizers"):
        if tm.get(field):
            metadata[field] = meta.deep_copy(tm[field])
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
           "spec": meta.deep_copy(template.get("spec") or {}), "status": {}}
    update_identity(sts, pod)
    pod["spec"]["hostname"] = pod["metadata"]["name"]
    if sts["spec"].get("serviceName"):
        pod["spec"]["subdomain"] = sts["spec"]["serviceName"]
    update_storage(sts, pod)
    return pod


def new_versioned_pod(current_set: Obj, update_set: Obj, current_revision: str,
                      update_revision: str, ordinal: int) -> Obj:
    """``newVersionedStatefulSetPod``: below the partition (or, without one,
    within the current replicas) a pod is made at the current revision."""
    spec = current_set["spec"]
    strategy = spec.get("updateStrategy") or {}
    rolling = strategy.get("rollingUpdate")
    start = start_ordinal(current_set)
    current_count = int((current_set.get("status") or {}).get("currentReplicas") or 0)
    if ((strategy.get("type", "RollingUpdate") == "RollingUpdate" and rolling is None
         and ordinal < start + current_count)
            or (rolling is not None and ordinal < start + int(rolling.get("partition") or 0))):
        pod = new_pod(current_set, ordinal)
        set_revision(pod, current_revision)
        return pod
    pod = new_pod(update_set, ordinal)
    set_revision(pod, update_revision)
    return pod


def set_revision(pod: Obj, revision: str) -> None:
    pod["metadata"].setdefault("labels", {})[REVISION_LABEL] = revision


def revision_of(pod: Obj) -> str:
    return (pod["metadata"].get("labels") or {}).get(REVISION_LABEL, "")


def phase(pod: Obj) -> str:
    return (pod.get("status") or {}).get("phase") or ""


def is_created(pod: Obj) -> bool:
    """``isCreated``: the API server gave it a phase."""
    return phase(pod) != ""


def is_terminating(pod: Obj) -> bool:
    return "deletionTimestamp" in pod["metadata"]


def is_running_and_ready(pod: Obj) -> bool:
    return phase(pod) == "Running" and is_pod_ready(pod)


def is_running_and_available(pod: Obj, min_ready: int, now: float) -> bool:
    """``isRunningAndAvailable`` (upstream only asks ``IsPodAvailable``)."""
    return is_pod_available(pod, min_ready, now)


def is_healthy(pod: Obj) -> bool:
    return is_running_and_ready(pod) and not is_terminating(pod)
