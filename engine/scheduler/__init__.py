"""kube-scheduler for the embedded cluster (Kubernetes v1.32 semantics).

Upstream: ``pkg/scheduler`` of kubernetes/kubernetes. The component is
``run_scheduler(cluster)`` (:mod:`.scheduler`, listed in
``engine/components.py``); it acts only through the API: informers in,
``pods/binding``, pod status patches, deletions (preemption) and events out.

Module map:

* :mod:`.scheduler` - informers and event handlers, the scheduling loop, the
  handle plugins use; ``cluster.scheduler.explain(ns, name)``;
* :mod:`.schedule_one` - one attempt: PreFilter, Filter (with
  percentageOfNodesToScore and the round-robin start), PreScore/Score,
  selectHost, assume, Reserve/PreBind/Bind, failure handling;
* :mod:`.config` - default plugins, weights, ``numFeasibleNodesToFind``;
* :mod:`.queue` - activeQ/podBackoffQ/unschedulablePods with queueing hints
  (:mod:`.queue.events`: cluster events and their classification);
* :mod:`.cache` - NodeInfos kept incrementally (the cache is the snapshot:
  a cycle never yields the loop), node tree order, affinity counts;
* :mod:`.framework` - Status/FitError, PodInfo, NodeInfo, resources,
  selectors, the plugin interfaces, the runner and the score phase;
  :mod:`.framework.plugins` - one module per default plugin;
* :mod:`.explain` - the per-attempt explanation record (in memory, and as
  the pod annotation ``k9py.dev/scheduling-explanation``);
* :mod:`.binding` - the DefaultBinder's Binding write;
* :mod:`.event_sink` - events written off the scheduling path.

Deviations from upstream, each deliberate: the binding cycle runs right
after the scheduling cycle (the Binding write is a direct call); ties in
selectHost are broken by one draw of a seeded generator (same law as the
reservoir sampling); events are queued and written when the active queue
empties (or every 1,000), instead of on the broadcaster's goroutine; losing
the leader lease stops scheduling until it is won again (upstream exits and
is restarted); VolumeBinding does not wait for the
PV controller after PreBind; VolumeRestrictions, NodeVolumeLimits,
VolumeZone and DynamicResources are not implemented.
"""
