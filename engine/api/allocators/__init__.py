"""Service address allocators: ClusterIPs from the service CIDR and NodePorts
from the node port range (upstream ``pkg/registry/core/service/ipallocator``
and ``portallocator``), plus the simulated load-balancer IP pool."""

from engine.api.allocators.bitmap import AllocationError, RangeAllocator
from engine.api.allocators.ips import SERVICE_CIDR, ClusterIPAllocator, ip_range
from engine.api.allocators.ports import NODE_PORT_RANGE, NodePortAllocator

__all__ = [
    "NODE_PORT_RANGE",
    "SERVICE_CIDR",
    "AllocationError",
    "ClusterIPAllocator",
    "NodePortAllocator",
    "RangeAllocator",
    "ip_range",
]
