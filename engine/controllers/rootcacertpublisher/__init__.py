"""The ``root-ca-cert-publisher`` controller: a ``kube-root-ca.crt`` ConfigMap in
every namespace (upstream ``pkg/controller/certificates/rootcacertpublisher``)."""

from engine.controllers.rootcacertpublisher.publisher import RootCACertPublisher

__all__ = ["RootCACertPublisher"]
