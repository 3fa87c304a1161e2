"""The scheduler cache (``pkg/scheduler/backend/cache``): NodeInfos, node tree, counts."""
