"""The CronJob controller (``pkg/controller/cronjob``, ControllerV2)."""

from engine.controllers.cronjob.controller import CronJobController

__all__ = ["CronJobController"]
