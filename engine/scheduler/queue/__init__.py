"""The scheduling queue (``pkg/scheduler/internal/queue``) and cluster events."""
