"""Defaults for ``storage.k8s.io/v1``.

Upstream: ``pkg/apis/storage/v1/defaults.go`` (``SetDefaults_StorageClass``):
reclaim policy ``Delete`` and volume binding mode ``Immediate`` when unset.
"""

from __future__ import annotations

from typing import Any

from engine.api.defaults._util import set_if_none

Obj = dict[str, Any]


def default_storage_class(obj: Obj) -> None:
    set_if_none(obj, "reclaimPolicy", "Delete")
    set_if_none(obj, "volumeBindingMode", "Immediate")


DEFAULTERS = {("storage.k8s.io", "StorageClass"): default_storage_class}
