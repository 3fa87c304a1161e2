"""The controller runtime every component is built on (client-go's role).

* :mod:`~engine.runtime.workqueue` - deduplicating, delaying, rate-limited
  work queues (``util/workqueue``);
* :mod:`~engine.runtime.informer` - reflector-fed shared caches with event
  handlers and resync (``tools/cache``), shared through a
  :class:`SharedInformerFactory`;
* :mod:`~engine.runtime.lister` - read-only queries over those caches;
* :mod:`~engine.runtime.controller` - the queue-and-workers reconcile loop;
* :mod:`~engine.runtime.leaderelection` - Lease-based leader election.

Everything runs on the engine's event loop and reads time from its clock.
"""

from engine.runtime.controller import Controller
from engine.runtime.factory import SharedInformerFactory
from engine.runtime.handlers import EventHandlerFuncs, FilteringEventHandler, ResourceEventHandler
from engine.runtime.indexer import NAMESPACE_INDEX, Indexer, meta_namespace_index_func
from engine.runtime.informer import HandlerRegistration, SharedInformer
from engine.runtime.keys import (
    DeletedFinalStateUnknown,
    deletion_handling_key,
    meta_namespace_key,
    split_meta_namespace_key,
    tombstone_object,
)
from engine.runtime.leaderelection import LeaderCallbacks, LeaderElectionConfig, LeaderElector
from engine.runtime.lister import Lister, NamespaceLister
from engine.runtime.ratelimiter import (
    BucketRateLimiter,
    ItemExponentialFailureRateLimiter,
    ItemFastSlowRateLimiter,
    MaxOfRateLimiter,
    RateLimiter,
    default_controller_rate_limiter,
)
from engine.runtime.reflector import Reflector
from engine.runtime.resourcelock import LeaderElectionRecord, LeaseLock
from engine.runtime.workqueue import DelayingQueue, RateLimitingQueue, ShutDown, WorkQueue

__all__ = [
    "NAMESPACE_INDEX",
    "BucketRateLimiter",
    "Controller",
    "DelayingQueue",
    "DeletedFinalStateUnknown",
    "EventHandlerFuncs",
    "FilteringEventHandler",
    "HandlerRegistration",
    "Indexer",
    "ItemExponentialFailureRateLimiter",
    "ItemFastSlowRateLimiter",
    "LeaderCallbacks",
    "LeaderElectionConfig",
    "LeaderElectionRecord",
    "LeaderElector",
    "LeaseLock",
    "Lister",
    "MaxOfRateLimiter",
    "NamespaceLister",
    "RateLimiter",
    "RateLimitingQueue",
    "Reflector",
    "ResourceEventHandler",
    "SharedInformer",
    "SharedInformerFactory",
    "ShutDown",
    "WorkQueue",
    "default_controller_rate_limiter",
    "deletion_handling_key",
    "meta_namespace_index_func",
    "meta_namespace_key",
    "split_meta_namespace_key",
    "tombstone_object",
]
