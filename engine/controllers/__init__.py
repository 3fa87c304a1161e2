"""kube-controller-manager's workload controllers.

One package per controller, each a reconcile loop over shared informers
(:mod:`engine.runtime`), acting only through the API:

* :mod:`~engine.controllers.deployment` - ``pkg/controller/deployment``;
* :mod:`~engine.controllers.replicaset` - ``pkg/controller/replicaset``;
* :mod:`~engine.controllers.replication` - ``pkg/controller/replication``;
* :mod:`~engine.controllers.garbagecollector` - ``pkg/controller/garbagecollector``;
* :mod:`~engine.controllers.namespace` - ``pkg/controller/namespace``;
* :mod:`~engine.controllers.manager` - ``cmd/kube-controller-manager``: leader
  election, one informer factory, every controller started on it.

Helpers shared between them (``pkg/controller/controller_utils.go``,
``controller_ref_manager.go``) live in :mod:`~engine.controllers.util`.
"""
