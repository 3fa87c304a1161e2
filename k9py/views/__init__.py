"""The views stacked in the content area: resource tables, describe/YAML, logs,
xray, pulses, help, rollout history, scheduling."""
