"""The garbage collector (``pkg/controller/garbagecollector``)."""

from engine.controllers.garbagecollector.collector import GarbageCollector

__all__ = ["GarbageCollector"]
