"""The default StorageClass a fresh cluster has, as kind installs it.

Upstream: kind's ``pkg/cluster/internal/create/actions/installstorage``
(the ``standard`` class of rancher's local-path-provisioner, default,
reclaim policy Delete, binding mode WaitForFirstConsumer). minikube's
``standard`` class differs only in its provisioner
(``k8s.io/minikube-hostpath``) and Immediate binding.
"""

from __future__ import annotations

from typing import Any

from engine.client import LocalClient

Obj = dict[str, Any]
PROVISIONER = "rancher.io/local-path"
DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"


def standard_class() -> Obj:
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": {"name": "standard", "annotations": {DEFAULT_CLASS: "true"}},
            "provisioner": PROVISIONER, "reclaimPolicy": "Delete",
            "volumeBindingMode": "WaitForFirstConsumer"}


def ensure_storage(client: LocalClient, create: Any) -> None:
    """Create ``standard`` unless it exists (``create`` tolerates AlreadyExists)."""
    create(lambda: client.create("storageclasses", standard_class()))
