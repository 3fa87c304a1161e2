"""Service accounts: ``default`` in every namespace (upstream
``pkg/controller/serviceaccount``)."""

from engine.controllers.serviceaccount.serviceaccounts import ServiceAccountsController

__all__ = ["ServiceAccountsController"]
