"""The default plugins of the scheduler, one module per plugin.

Upstream: ``pkg/scheduler/framework/plugins/`` and the default set and
weights in ``pkg/scheduler/apis/config/v1/default_plugins.go`` (see
:mod:`engine.scheduler.config`).
"""
