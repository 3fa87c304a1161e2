"""The DaemonSet controller (``pkg/controller/daemon``)."""

from engine.controllers.daemon.controller import DaemonSetsController

__all__ = ["DaemonSetsController"]
