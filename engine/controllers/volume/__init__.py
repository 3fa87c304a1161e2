"""Persistent volumes: binding, simulated provisioning, reclaiming, and the
in-use protection finalizers (upstream ``pkg/controller/volume``)."""

from engine.controllers.volume.controller import PersistentVolumeController
from engine.controllers.volume.protection import PVCProtectionController, PVProtectionController

__all__ = ["PVCProtectionController", "PVProtectionController", "PersistentVolumeController"]
