"""Simulated kubelets: one per node, each acting only through the API.

Upstream: ``pkg/kubelet``. The pieces, each a small module:

* :mod:`.manager` - ``run_kubelets(cluster)``, the component; the
  ``cluster.kubelets`` API (stop/start a node's kubelet, add/remove nodes,
  logs, usage, load);
* :mod:`.kubelet` - one node's kubelet; :mod:`.registration`,
  :mod:`.node_status`, :mod:`.lease` - the Node, its status, its heartbeat;
* :mod:`.pod_workers`, :mod:`.lifecycle`, :mod:`.containers` - the per-pod
  state machine (sandbox, init containers, pulls, starts, restarts with
  back-off, termination); :mod:`.status`, :mod:`.status_manager` - the pod
  status and its batched writes; :mod:`.probes`; :mod:`.admission`;
  :mod:`.config` and :mod:`.volumes` - what must exist before a container
  starts; :mod:`.mirror` - mirror pods;
* :mod:`.runtime` - the node's simulated containerd (images, sandboxes,
  container instances), :mod:`.images` - references, sizes and the failing
  image rule, :mod:`.ipam` - pod IPs;
* :mod:`.behaviour` and :mod:`.script` - the documented model of what a
  container does; :mod:`.logs`; :mod:`.usage`;
* :mod:`.backoff`, :mod:`.durations`, :mod:`.events` - helpers.

Everything runs on the engine loop and reads time from the cluster clock;
work is timer-driven (no per-pod tasks, no polling).
"""
