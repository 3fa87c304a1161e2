"""The StatefulSet controller (``pkg/controller/statefulset``)."""

from engine.controllers.statefulset.controller import StatefulSetController

__all__ = ["StatefulSetController"]
