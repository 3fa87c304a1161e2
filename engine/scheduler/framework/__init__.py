"""The scheduling framework (``pkg/scheduler/framework``): types, plugins, runner."""
