"""The storage, autoscaling, disruption-budget, service-account and RBAC
controllers, by kube-controller-manager's ``--controllers`` names.

Kept apart from :func:`engine.controllers.manager.default_controllers`,
which merges this table, so these controllers can be added to without
touching the manager.

``pvc-protection`` and ``root-ca-cert-publisher`` are in the table, as in
kube-controller-manager's default set (``NewControllerDescriptors`` in
``cmd/kube-controller-manager/app/controllermanager.go``): every namespace
gets a ``kube-root-ca.crt`` ConfigMap, and a deleted claim that a scheduled
pod references stays Terminating until that pod is gone. The
StorageObjectInUseProtection admission plugin (``engine/api/admission/storage.py``)
adds the claim's finalizer at creation.
"""

from __future__ import annotations

from typing import Any


def storage_and_access_controllers() -> dict[str, Any]:
    from engine.controllers.clusterroleaggregation import ClusterRoleAggregationController
    from engine.controllers.disruption import DisruptionController
    from engine.controllers.podautoscaler import HorizontalController
    from engine.controllers.rootcacertpublisher import RootCACertPublisher
    from engine.controllers.serviceaccount import ServiceAccountsController
    from engine.controllers.volume import (
        PersistentVolumeController,
        PVCProtectionController,
        PVProtectionController,
    )

    return {
        "persistentvolume-binder": PersistentVolumeController,
        "pvc-protection": PVCProtectionController,
        "pv-protection": PVProtectionController,
        "serviceaccount": ServiceAccountsController,
        "disruption": DisruptionController,
        "horizontalpodautoscaling": HorizontalController,
        "clusterrole-aggregation": ClusterRoleAggregationController,
        "root-ca-cert-publisher": RootCACertPublisher,
    }

