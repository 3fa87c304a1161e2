"""The writes a StatefulSet makes: pods and their claims, with upstream's events.

Upstream: ``pkg/controller/statefulset/stateful_pod_control.go``
(``StatefulPodControl``: ``CreateStatefulPod`` creates the pod's claims
first, ``UpdateStatefulPod`` repairs identity and storage,
``DeleteStatefulPod``, ``ClaimsMatchRetentionPolicy``,
``UpdatePodClaimForRetentionPolicy``, ``PodClaimIsStale``,
``createPersistentVolumeClaims``, ``recordPodEvent``, ``recordClaimEvent``).
Events (``cases.Title`` of the verb):

* ``SuccessfulCreate`` ``create Pod web-0 in StatefulSet web successful``
  (``FailedCreate`` ``create Pod web-0 in StatefulSet web failed error: ...``);
* ``SuccessfulCreate`` ``create Claim www-web-0 Pod web-0 in StatefulSet web success``
  (``FailedCreate`` ``create Claim www-web-0 for Pod web-0 in StatefulSet web failed
  error: ...``);
* ``SuccessfulDelete`` ``delete Pod web-2 in StatefulSet web successful``;
* ``SuccessfulUpdate`` ``update Pod web-0 in StatefulSet web successful``.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, meta
from engine.controllers.statefulset import claims as c
from engine.controllers.statefulset.identity import (
    claim_name,
    claims_for,
    identity_matches,
    ordinal_of,
    storage_matches,
    update_identity,
    update_storage,
)
from engine.events.recorder import NORMAL, WARNING, EventRecorder
from engine.runtime import Lister

Obj = dict[str, Any]


class StatefulPodControl:
    """Pod and claim writes for the StatefulSet controller."""

    def __init__(self, client: Any, recorder: EventRecorder, pvc_lister: Lister) -> None:
        self.client = client
        self.recorder = recorder
        self.pvcs = pvc_lister

    # -- pods ------------------------------------------------------------------------------
    def create_pod(self, sts: Obj, pod: Obj) -> None:
        """``CreateStatefulPod``: claims first, then the pod, then claim owners."""
        try:
            self.create_claims(sts, pod)
        except errors.StatusError as err:
            self._pod_event("create", sts, pod, err)
            raise
        try:
            body = {k: v for k, v in pod.items() if k != "status"}
            self.client.create("pods", body, namespace=pod["metadata"]["namespace"])
        except errors.StatusError as err:
            if err.reason == "AlreadyExists":
                raise
            self._pod_event("create", sts, pod, err)
            raise
        try:
            self.update_claims_for_retention(sts, pod)
        except errors.StatusError as err:
            self._pod_event("update", sts, pod, err)
            raise
        self._pod_event("create", sts, pod, None)

    def update_pod(self, sts: Obj, pod: Obj) -> None:
        """``UpdateStatefulPod``: fix identity, storage and claim owners; retry conflicts."""
        pod = meta.deep_copy(pod)
        attempted = False
        error: errors.StatusError | None = None
        for _ in range(5):
            consistent = True
            if not identity_matches(sts, pod):
                update_identity(sts, pod)
                consistent = False
            if not storage_matches(sts, pod):
                update_storage(sts, pod)
                consistent = False
                self._create_claims_or_event("update", sts, pod)
            if not self.claims_match_retention(sts, pod):
                self._retention_or_event(sts, pod)
                consistent = False
            if consistent:
                return
            attempted = True
            try:
                self.client.update("pods", pod)
                error = None
                break
            except errors.StatusError as err:
                error = err
                if err.code != 409:
                    break
                m = pod["metadata"]
                pod = self.client.get("pods", m["name"], m["namespace"])
        if attempted:
            self._pod_event("update", sts, pod, error)
        if error is not None:
            raise error

    def delete_pod(self, sts: Obj, pod: Obj) -> None:
        """``DeleteStatefulPod``."""
        m = pod["metadata"]
        try:
            self.client.delete("pods", m["name"], namespace=m["namespace"])
        except errors.StatusError as err:
            self._pod_event("delete", sts, pod, err)
            raise
        self._pod_event("delete", sts, pod, None)

    # -- claims ------------------------------------------------------------------------------
    def create_claims(self, sts: Obj, pod: Obj) -> None:
        """``createPersistentVolumeClaims``: create the missing ones; a claim
        being deleted is an error (the pod must wait for its replacement)."""
        problems: list[str] = []
        for claim in claims_for(sts, pod).values():
            cm = claim["metadata"]
            existing = self.pvcs.get(cm["namespace"], cm["name"])
            if existing is None:
                try:
                    self.client.create("persistentvolumeclaims", claim, namespace=cm["namespace"])
                    self._claim_event(sts, pod, claim, None)
                except errors.StatusError as err:
                    problems.append(f"failed to create PVC {cm['name']}: {err}")
                    if err.reason != "AlreadyExists":
                        self._claim_event(sts, pod, claim, err)
            elif "deletionTimestamp" in existing["metadata"]:
                problems.append(f"pvc {cm['name']} is being deleted")
        if problems:
            raise errors.StatusError(500, "InternalError", ", ".join(problems)
                                     if len(problems) == 1 else f"[{', '.join(problems)}]")

    def claims_match_retention(self, sts: Obj, pod: Obj) -> bool:
        """``ClaimsMatchRetentionPolicy`` (missing claims count as matching)."""
        for claim in self._existing_claims(sts, pod):
            if not c.is_claim_owner_up_to_date(claim, sts, pod):
                return False
        return True

    def update_claims_for_retention(self, sts: Obj, pod: Obj) -> None:
        """``UpdatePodClaimForRetentionPolicy``."""
        for claim in self._existing_claims(sts, pod):
            if c.is_claim_owner_up_to_date(claim, sts, pod):
                continue
            fixed = meta.deep_copy(claim)
            c.update_claim_owner_refs(fixed, sts, pod)
            self.client.update("persistentvolumeclaims", fixed)

    def claim_is_stale(self, sts: Obj, pod: Obj) -> bool:
        """``PodClaimIsStale``: with ``whenScaled: Delete``, a claim still
        owned by an earlier pod of the same name blocks the new pod."""
        if c.retention_policy(sts)[0] == c.RETAIN:
            return False
        return any(c.has_stale_owner_ref(claim, pod, "v1", "Pod")
                   for claim in self._existing_claims(sts, pod))

    def _existing_claims(self, sts: Obj, pod: Obj) -> list[Obj]:
        ns, ordinal = sts["metadata"].get("namespace"), ordinal_of(pod)
        found = []
        for template in sts["spec"].get("volumeClaimTemplates") or ():
            claim = self.pvcs.get(ns, claim_name(sts, template, ordinal))
            if claim is not None:
                found.append(claim)
        return found

    def _create_claims_or_event(self, verb: str, sts: Obj, pod: Obj) -> None:
        try:
            self.create_claims(sts, pod)
        except errors.StatusError as err:
            self._pod_event(verb, sts, pod, err)
            raise

    def _retention_or_event(self, sts: Obj, pod: Obj) -> None:
        try:
            self.update_claims_for_retention(sts, pod)
        except errors.StatusError as err:
            self._pod_event("update", sts, pod, err)
            raise

    # -- events ------------------------------------------------------------------------------
    def _pod_event(self, verb: str, sts: Obj, pod: Obj, err: Exception | None) -> None:
        """``recordPodEvent``."""
        pod_name, set_name = pod["metadata"]["name"], sts["metadata"]["name"]
        if err is None:
            self.recorder.event(sts, NORMAL, f"Successful{verb.title()}",
                                f"{verb} Pod {pod_name} in StatefulSet {set_name} successful")
        else:
            self.recorder.event(sts, WARNING, f"Failed{verb.title()}",
                                f"{verb} Pod {pod_name} in StatefulSet {set_name} failed "
                                f"error: {err}")

    def _claim_event(self, sts: Obj, pod: Obj, claim: Obj, err: Exception | None) -> None:
        """``recordClaimEvent`` (always the ``create`` verb here)."""
        names = (claim["metadata"]["name"], pod["metadata"]["name"], sts["metadata"]["name"])
        if err is None:
            self.recorder.event(sts, NORMAL, "SuccessfulCreate",
                                "create Claim {} Pod {} in StatefulSet {} success".format(*names))
        else:
            self.recorder.event(sts, WARNING, "FailedCreate",
                                "create Claim {} for Pod {} in StatefulSet {} failed error: {}"
                                .format(*names, err))
