"""The ServiceAccounts controller: every active namespace has ``default``.

Upstream: ``pkg/controller/serviceaccount/serviceaccounts_controller.go``
(``syncNamespace``: for each namespace that is not terminating, create the
managed service accounts that are missing - only ``default`` - and
recreate one when it is deleted). Since v1.24 no token Secret is made.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.runtime import Controller, SharedInformerFactory

Obj = dict[str, Any]
MANAGED = ("default",)


class ServiceAccountsController(Controller):
    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        super().__init__(client.clock, name="serviceaccount")
        self.client = client
        namespaces = factory.informer_for("namespaces")
        accounts = factory.informer_for("serviceaccounts")
        self.namespaces, self.accounts = namespaces.lister(), accounts.lister()
        self.watch(namespaces)
        self.watch(accounts, self._deleted_account)

    @staticmethod
    def _deleted_account(sa: Obj) -> str | None:
        m = sa["metadata"]
        return m.get("namespace") if m.get("name") in MANAGED else None

    async def reconcile(self, key: str) -> float | None:
        ns = self.namespaces.get(None, key)
        if ns is None or (ns.get("status") or {}).get("phase") == "Terminating":
            return None
        if ns["metadata"].get("deletionTimestamp"):
            return None
        for name in MANAGED:
            if self.accounts.get(key, name) is None:
                self._create(key, name)
        return None

    def _create(self, namespace: str, name: str) -> None:
        body = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}}
        try:
            self.client.create("serviceaccounts", body, namespace=namespace)
        except errors.StatusError as err:
            # AlreadyExists: the cache was behind; Forbidden: the namespace is terminating.
            if err.reason not in ("AlreadyExists", "Forbidden"):
                raise
