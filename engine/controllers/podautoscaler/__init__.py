"""The horizontal pod autoscaler (upstream ``pkg/controller/podautoscaler``)."""

from engine.controllers.podautoscaler.controller import HorizontalController

__all__ = ["HorizontalController"]
