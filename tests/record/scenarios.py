"""Scenario text shared by the recording tests and ``benchmarks/record_bench.py``."""

from __future__ import annotations

# Hidden setup: a 2-replica Deployment ``web`` applied and waited for off
# screen, so the shown steps start on a settled cluster.
WEB_DEPLOYMENT_SETUP = """\
  - hide
  - apply:
      manifest: |
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: nginx, image: "nginx:1.14.2"}]}
  - wait: deployment web available 2
    timeout: 120s
  - show
"""


def web_scenario(header: str, shown: str) -> str:
    """A scenario: ``header`` (title, terminal, cluster...), the hidden
    :data:`WEB_DEPLOYMENT_SETUP`, then the ``shown`` steps."""
    return f"{header}steps:\n{WEB_DEPLOYMENT_SETUP}{shown}"
