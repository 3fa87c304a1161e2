"""The order objects are applied (and pruned) in.

kubectl itself applies in input order: files as the paths name them (a
directory's files in lexical order) and documents as written. Objects that
others need to exist first would then fail when a folder lists them late, so
(as issue 6 asks, and as Helm's ``InstallOrder`` and kustomize's
``legacy`` ordering do) prerequisites go first:

* tier 0: Namespaces and CustomResourceDefinitions;
* tier 1: what admission or the API looks up when others are created —
  ResourceQuota and LimitRange (they change Pods on admission), ServiceAccounts
  (the ServiceAccount admission plugin), PriorityClasses (Priority admission),
  StorageClasses and IngressClasses;
* tier 2: everything else, in input order.

Within a file the order is (tier, position); files go by (their lowest tier,
position), so a file holding a Namespace is applied before the files that use
it while every file still applies as one unit (see ``transaction.py``).
Pruning deletes in the reverse order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from engine.apply.loader import Document

TIERS: dict[str, int] = {
    "Namespace": 0,
    "CustomResourceDefinition": 0,
    "ResourceQuota": 1,
    "LimitRange": 1,
    "ServiceAccount": 1,
    "PriorityClass": 1,
    "StorageClass": 1,
    "IngressClass": 1,
}
LAST_TIER = 2

T = TypeVar("T")


def tier(kind: str) -> int:
    return TIERS.get(kind, LAST_TIER)


def order_documents(docs: Sequence[Document]) -> list[Document]:
    """One file's documents, prerequisites first, otherwise as written."""
    return [d for _, _, d in sorted((tier(str(d.obj.get("kind"))), i, d)
                                    for i, d in enumerate(docs))]


def file_tier(docs: Sequence[Document]) -> int:
    return min((tier(str(d.obj.get("kind"))) for d in docs), default=LAST_TIER)


def order_files(files: Sequence[tuple[str, Sequence[Document]]]
                ) -> list[tuple[str, Sequence[Document]]]:
    """Files with prerequisites first, otherwise in kubectl's path order."""
    ranked = sorted((file_tier(docs), i) for i, (_, docs) in enumerate(files))
    return [files[i] for _, i in ranked]


def deletion_order(kinds: Sequence[tuple[str, T]]) -> list[T]:
    """Items keyed by kind, dependants first (the reverse of apply order)."""
    ranked = sorted(((-tier(kind), i) for i, (kind, _) in enumerate(kinds)))
    return [kinds[i][1] for _, i in ranked]
