"""Service accounts: ``default`` in every namespace and the root CA bundle
(upstream ``pkg/controller/serviceaccount`` and
``pkg/controller/certificates/rootcacertpublisher``)."""

from engine.controllers.serviceaccount.rootca import RootCACertPublisher
from engine.controllers.serviceaccount.serviceaccounts import ServiceAccountsController

__all__ = ["RootCACertPublisher", "ServiceAccountsController"]
