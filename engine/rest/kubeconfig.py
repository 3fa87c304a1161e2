"""The kubeconfig ``k9py serve`` writes: cluster, users and contexts.

Two users share the cluster entry: ``k9py`` (admin) and ``k9py-readonly``,
each with its bearer token; ``current-context`` is ``k9py``. The file holds
secrets, so it is created with mode 0600 (as kind and kubeadm write theirs).
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import yaml

from engine.rest.auth import Tokens


def render(url: str, tokens: Tokens, ca_pem: bytes, name: str = "k9py") -> str:
    ca = base64.b64encode(ca_pem).decode()
    readonly = f"{name}-readonly"
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": name, "cluster": {"server": url,
                                                "certificate-authority-data": ca}}],
        "users": [{"name": name, "user": {"token": tokens.admin}},
                  {"name": readonly, "user": {"token": tokens.readonly}}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": name}},
                     {"name": readonly, "context": {"cluster": name, "user": readonly}}],
        "current-context": name,
        "preferences": {},
    }
    return yaml.safe_dump(config, sort_keys=False)


def write(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` readable by its owner only."""
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.chmod(target, 0o600)
    return target
