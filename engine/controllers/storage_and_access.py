"""The storage, autoscaling, disruption-budget, service-account and RBAC
controllers, by kube-controller-manager's ``--controllers`` names.

Kept apart from :func:`engine.controllers.manager.default_controllers`,
which merges this table, so these controllers can be added to without
touching the manager.

``pvc-protection`` is not in the default table yet:
``tests/controllers/workloads/test_statefulset.py::test_retention_policy_owner_references``
reads a scaled-down claim after its owner pod is gone, which only works
while nothing removes the claim's finalizer. :func:`with_pvc_protection`
adds it (tests/storage uses it); it belongs in the table once that test
reads the claim before the garbage collector deletes it.
"""

from __future__ import annotations

from typing import Any


def storage_and_access_controllers() -> dict[str, Any]:
    from engine.controllers.clusterroleaggregation import ClusterRoleAggregationController
    from engine.controllers.disruption import DisruptionController
    from engine.controllers.podautoscaler import HorizontalController
    from engine.controllers.serviceaccount import RootCACertPublisher, ServiceAccountsController
    from engine.controllers.volume import (
        PersistentVolumeController,
        PVProtectionController,
    )

    return {
        "persistentvolume-binder": PersistentVolumeController,
        "pv-protection": PVProtectionController,
        "serviceaccount": ServiceAccountsController,
        "root-ca-cert-publisher": RootCACertPublisher,
        "disruption": DisruptionController,
        "horizontalpodautoscaling": HorizontalController,
        "clusterrole-aggregation": ClusterRoleAggregationController,
    }


def with_pvc_protection() -> dict[str, Any]:
    """The table plus upstream's ``pvc-protection`` controller."""
    from engine.controllers.volume import PVCProtectionController

    return {**storage_and_access_controllers(), "pvc-protection": PVCProtectionController}
