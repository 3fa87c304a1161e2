"""The storage, autoscaling, disruption-budget, service-account and RBAC
controllers, by kube-controller-manager's ``--controllers`` names.

Kept apart from :func:`engine.controllers.manager.default_controllers`,
which merges this table, so these controllers can be added to without
touching the manager.

Two controllers are not in the default table yet, because other areas'
tests were written without them: ``pvc-protection``
(``tests/controllers/workloads/test_statefulset.py::test_retention_policy_owner_references``
reads a scaled-down claim after its owner pod is gone, which only works
while nothing removes the claim's finalizer) and ``root-ca-cert-publisher``
(tests/rest expect namespaces without a ``kube-root-ca.crt`` ConfigMap).
:func:`with_pending` adds them (tests/storage uses it); they belong in the
table once those tests allow for them.
"""

from __future__ import annotations

from typing import Any


def storage_and_access_controllers() -> dict[str, Any]:
    from engine.controllers.clusterroleaggregation import ClusterRoleAggregationController
    from engine.controllers.disruption import DisruptionController
    from engine.controllers.podautoscaler import HorizontalController
    from engine.controllers.serviceaccount import ServiceAccountsController
    from engine.controllers.volume import (
        PersistentVolumeController,
        PVProtectionController,
    )

    return {
        "persistentvolume-binder": PersistentVolumeController,
        "pv-protection": PVProtectionController,
        "serviceaccount": ServiceAccountsController,
        "disruption": DisruptionController,
        "horizontalpodautoscaling": HorizontalController,
        "clusterrole-aggregation": ClusterRoleAggregationController,
    }


def with_pending() -> dict[str, Any]:
    """The table plus ``pvc-protection`` and ``root-ca-cert-publisher``."""
    from engine.controllers.serviceaccount import RootCACertPublisher
    from engine.controllers.volume import PVCProtectionController

    return {**storage_and_access_controllers(), "pvc-protection": PVCProtectionController,
            "root-ca-cert-publisher": RootCACertPublisher}
