"""k9py: a k9s-grade terminal UI over an embedded Kubernetes control plane."""

__version__ = "0.1.0"
