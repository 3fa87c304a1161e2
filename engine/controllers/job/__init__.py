"""The Job controller (``pkg/controller/job``) and the TTL-after-finished
controller that deletes finished Jobs (``pkg/controller/ttlafterfinished``)."""

from engine.controllers.job.controller import JobController
from engine.controllers.job.ttl import TTLAfterFinishedController

__all__ = ["JobController", "TTLAfterFinishedController"]
