"""The horizontal pod autoscaler (autoscaling/v2, resource metrics).

Upstream: ``pkg/controller/podautoscaler/horizontal.go``
(``reconcileAutoscaler``: read the target's scale, compute the replicas
each metric asks for - CPU 80 % of requests when none is given -, keep
within min/max, stabilise and rate-limit by the behaviour, rescale with a
``SuccessfulRescale`` event, write the status; every HPA again after the
15 s ``--horizontal-pod-autoscaler-sync-period``). Metrics come from the
simulated kubelets (:mod:`engine.metrics`); Pods, Object and External
metrics from the values pods, objects and namespaces declare in
``k9py.dev/metrics`` annotations (:mod:`engine.metrics.custom`, the
simulated custom and external metrics adapter).
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from engine.api import errors, patch
from engine.api.selectors import SelectorError, try_label_selector_from_dict
from engine.controllers.podautoscaler import behavior as bh
from engine.controllers.podautoscaler.metrics import MetricComputer, MetricError
from engine.controllers.podautoscaler.status import Conditions
from engine.events.recorder import EventRecorder
from engine.metrics import ResourceMetricsClient
from engine.metrics.custom import CustomMetricsClient
from engine.runtime import (
    Controller,
    EventHandlerFuncs,
    SharedInformerFactory,
    deletion_handling_key,
    split_meta_namespace_key,
)

Obj = dict[str, Any]
log = logging.getLogger(__name__)
SYNC_PERIOD = 15.0
COMPONENT = "horizontal-pod-autoscaler"
TARGETS = {("apps", "Deployment"): "deployments", ("apps", "ReplicaSet"): "replicasets",
           ("apps", "StatefulSet"): "statefulsets",
           ("", "ReplicationController"): "replicationcontrollers"}


def _group(api_version: str) -> str:
    return api_version.split("/")[0] if "/" in api_version else ""


class HorizontalController(Controller):
    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        super().__init__(client.clock, name=COMPONENT)
        self.client = client
        self.recorder = EventRecorder(client, COMPONENT)
        hpas = factory.informer_for("horizontalpodautoscalers")
        pods = factory.informer_for("pods")
        self.hpas, self.pods = hpas.lister(), pods.lister()
        self.targets = {}
        for resource in TARGETS.values():
            informer = factory.informer_for(resource)
            self.targets[resource] = informer.lister()
            self.informers.append(informer)
        self.informers.append(pods)
        self.informers.append(hpas)
        hpas.add_event_handler(EventHandlerFuncs(
            on_add=self._enqueue_later, on_update=lambda _old, new: self._enqueue_later(new),
            on_delete=self.enqueue))
        self.computer = MetricComputer(ResourceMetricsClient(client.api),
                                       CustomMetricsClient(client))
        self.recommendations: dict[str, list[bh.Recommendation]] = {}
        self.ups: dict[str, list[bh.ScaleEvent]] = {}
        self.downs: dict[str, list[bh.ScaleEvent]] = {}

    def _enqueue_later(self, hpa: Obj) -> None:
        """``enqueueHPA``: every request waits one resync period in the queue
        (upstream's fixed-interval rate limiter), so a new HPA's first sync
        is 15 s after it is created."""
        self.queue.add_after(deletion_handling_key(hpa), SYNC_PERIOD)

    async def reconcile(self, key: str) -> float | None:
        ns, name = split_meta_namespace_key(key)
        hpa = self.hpas.get(ns, name)
        if hpa is None:
            for store in (self.recommendations, self.ups, self.downs):
                store.pop(key, None)
            return None
        self.sync(key, hpa)
        return SYNC_PERIOD

    # -- the target --------------------------------------------------------------------
    def target_of(self, hpa: Obj) -> tuple[str, Obj]:
        ref = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
        resource = TARGETS.get((_group(ref.get("apiVersion", "")), ref.get("kind", "")))
        if resource is None:
            raise errors.not_found(ref.get("kind", "").lower() + "s",
                                   _group(ref.get("apiVersion", "")), ref.get("name", ""))
        found = self.targets[resource].get(hpa["metadata"]["namespace"], ref.get("name", ""))
        if found is None:
            group = "apps" if resource != "replicationcontrollers" else ""
            raise errors.not_found(resource, group, ref.get("name", ""))
        return resource, found

    def pods_of(self, target: Obj) -> list[Obj]:
        try:
            selector = try_label_selector_from_dict((target.get("spec") or {}).get("selector"))
        except SelectorError:
            return []
        ns = target["metadata"]["namespace"]
        return [p for p in self.pods.list(ns) if selector.matches(p["metadata"].get("labels")
                                                                  or {})]

    # -- one sync ----------------------------------------------------------------------
    def sync(self, key: str, hpa: Obj) -> None:
        """``reconcileAutoscaler``."""
        now_s, now = self.clock.rfc3339(), self.clock.now()
        conds = Conditions((hpa.get("status") or {}).get("conditions") or [], now_s)
        status = dict(hpa.get("status") or {})
        try:
            resource, target = self.target_of(hpa)
        except errors.StatusError as err:
            self.recorder.event(hpa, "Warning", "FailedGetScale", err.message)
            conds.set("AbleToScale", False, "FailedGetScale",
                      f"the HPA controller was unable to get the target's current scale: "
                      f"{err.message}")
            self._write(hpa, status, conds)
            return
        conds.set("AbleToScale", True, "SucceededGetScale",
                  "the HPA controller was able to get the target's current scale")
        spec = hpa.get("spec") or {}
        current = int((target.get("spec") or {}).get("replicas", 1))
        lo, hi = int(spec.get("minReplicas") or 1), int(spec.get("maxReplicas") or 1)
        status["currentReplicas"] = current
        desired, reason = self._desired(key, hpa, target, current, lo, hi, now, conds, status)
        if desired is None:
            self._write(hpa, status, conds)
            return
        if desired != current:
            self._rescale(key, hpa, resource, target, current, desired, reason, conds, status)
        status["desiredReplicas"] = desired
        self._write(hpa, status, conds)

    def _desired(self, key: str, hpa: Obj, target: Obj, current: int, lo: int, hi: int,
                 now: float, conds: Conditions, status: Obj) -> tuple[int | None, str]:
        if current == 0 and lo != 0:
            conds.set("ScalingActive", False, "ScalingDisabled",
                      "scaling is disabled since the replica count of the target is zero")
            return 0, ""
        if current > hi:
            conds.set("ScalingLimited", True, "TooManyReplicas",
                      "the desired replica count is more than the maximum replica count")
            return hi, "Current number of replicas above Spec.MaxReplicas"
        if current < lo:
            conds.set("ScalingLimited", True, "TooFewReplicas",
                      "the desired replica count is less than the minimum replica count")
            return lo, "Current number of replicas below Spec.MinReplicas"
        status_replicas = int((target.get("status") or {}).get("replicas") or 0)
        try:
            proposed, metric_name, metrics = self.computer.replicas(
                hpa, self.pods_of(target), current, now, status_replicas,
                lambda err: self.recorder.event(hpa, "Warning", err.reason, err.detail))
        except MetricError as err:
            self._metric_failed(hpa, err, conds, status)
            return None, ""
        status["currentMetrics"] = metrics
        conds.set("ScalingActive", True, "ValidMetricFound",
                  f"the HPA was able to successfully calculate a replica count from "
                  f"{metric_name}")
        reason = (f"{metric_name} above target" if proposed > current
                  else "All metrics below target")
        return self._normalize(key, hpa, current, proposed, lo, hi, now, conds), reason

    def _metric_failed(self, hpa: Obj, err: MetricError, conds: Conditions,
                       status: Obj) -> None:
        """The first failed metric's condition; the metric's own event was
        recorded as it failed."""
        self.recorder.event(hpa, "Warning", "FailedComputeMetricsReplicas", err.summary)
        conds.set("ScalingActive", False, err.reason,
                  f"the HPA was unable to compute the replica count: {err.detail}")
        status.pop("currentMetrics", None)

    def _normalize(self, key: str, hpa: Obj, current: int, proposed: int, lo: int, hi: int,
                   now: float, conds: Conditions) -> int:
        """``normalizeDesiredReplicasWithBehaviors``."""
        up_rule, down_rule = bh.rules(hpa, "scaleUp"), bh.rules(hpa, "scaleDown")
        down_window = float(down_rule["stabilizationWindowSeconds"])
        recs = self.recommendations.get(key)
        if recs is None:  # maybeInitScaleDownStabilizationWindow
            recs = self.recommendations[key] = (
                [bh.Recommendation(current, now)] if down_window > 0 else [])
        stable, reason, message = bh.stabilize(
            recs, current, proposed, now, float(up_rule["stabilizationWindowSeconds"]),
            down_window)
        conds.set("AbleToScale", True, reason, message)
        desired, limited, reason, message = bh.limit_rate(
            stable, current, lo, hi, self.ups.setdefault(key, []),
            self.downs.setdefault(key, []), hpa, now)
        conds.set("ScalingLimited", limited, reason, message)
        return desired

    def _rescale(self, key: str, hpa: Obj, resource: str, target: Obj, current: int,
                 desired: int, reason: str, conds: Conditions, status: Obj) -> None:
        m = target["metadata"]
        try:
            self.client.patch(resource, m["name"], {"spec": {"replicas": desired}},
                              patch.MERGE_PATCH, namespace=m["namespace"])
        except errors.StatusError as err:
            self.recorder.event(hpa, "Warning", "FailedRescale",
                                f"New size: {desired}; reason: {reason}; error: {err.message}")
            conds.set("AbleToScale", False, "FailedUpdateScale",
                      f"the HPA controller was unable to update the target scale: {err.message}")
            return
        now = self.clock.now()
        events = self.ups if desired > current else self.downs
        events.setdefault(key, []).append(bh.ScaleEvent(abs(desired - current), now))
        self._forget_old_events(key, now)
        self.recorder.event(hpa, "Normal", "SuccessfulRescale",
                            f"New size: {desired}; reason: {reason}")
        conds.set("AbleToScale", True, "SucceededRescale",
                  f"the HPA controller was able to update the target scale to {desired}")
        status["lastScaleTime"] = self.clock.rfc3339()

    def _forget_old_events(self, key: str, now: float) -> None:
        horizon = 1800.0  # longer than any policy period (max 1800 s)
        for store in (self.ups, self.downs):
            store[key] = [e for e in store.get(key, []) if e.at > now - horizon]

    def _write(self, hpa: Obj, status: Obj, conds: Conditions) -> None:
        status["conditions"] = conds.items()
        status["observedGeneration"] = hpa["metadata"].get("generation", 1)
        status.setdefault("desiredReplicas", status.get("currentReplicas", 0))
        status.setdefault("currentReplicas", 0)
        if status == hpa.get("status"):
            return
        new = copy.deepcopy(hpa)
        new["status"] = status
        try:
            self.client.update_status("horizontalpodautoscalers", new)
        except errors.StatusError as err:
            if err.code not in (404, 409):
                raise
