"""The user's configuration: ``<config dir>/config.yaml``.

Example::

    k9py:
      theme: k9py-dark          # a name from themes/ or <config dir>/themes/
      readOnly: false
      refreshRate: 1.0          # seconds between age ticks
      editor: inline            # inline (in-app editor) or external ($EDITOR)
      namespace:
        active: default
        favorites: [default, kube-system]
      aliases:                  # name -> a command line, as k9s's aliases.yaml
        pp: pods
        sys: pods kube-system
      keys:                     # binding id -> keys, as Textual keymaps
        k9py.scale: S

The config dir is ``$K9PY_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/k9py``, else
``~/.config/k9py``. A broken file never stops k9py: the error is shown and
the defaults are used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FAVORITES = 9


def config_dir() -> Path:
    if os.environ.get("K9PY_CONFIG_DIR"):
        return Path(os.environ["K9PY_CONFIG_DIR"])
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "k9py"


@dataclass
class Config:
    """Settings with k9s's defaults."""

    theme: str = "k9py-dark"
    readonly: bool = False
    refresh_rate: float = 1.0
    editor: str = "inline"
    namespace: str = "default"
    favorites: list[str] = field(default_factory=lambda: ["default"])
    aliases: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    error: str = ""
    path: Path | None = None

    def remember_namespace(self, ns: str) -> None:
        """Most-recently used namespaces become favourites (k9s keeps up to 9)."""
        if not ns or ns in self.favorites:
            return
        self.favorites.insert(1 if self.favorites else 0, ns)
        del self.favorites[MAX_FAVORITES:]

    def save(self) -> None:
        if self.path is None or not self.path.exists():
            return  # only remember namespaces in a config file the user has
        data: dict[str, Any] = {}
        if self.path.exists():
            try:
                data = yaml.safe_load(self.path.read_text()) or {}
            except (OSError, yaml.YAMLError):
                return  # never overwrite a file we could not read
        k9 = data.setdefault("k9py", {})
        k9.setdefault("namespace", {})
        k9["namespace"]["active"] = self.namespace
        k9["namespace"]["favorites"] = self.favorites
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(yaml.safe_dump(data, sort_keys=False))
        except OSError:
            pass


def load_config(path: Path | None = None) -> Config:
    path = path or config_dir() / "config.yaml"
    cfg = Config(path=path)
    if not path.exists():
        return cfg
    try:
        data = yaml.safe_load(path.read_text()) or {}
        _apply(cfg, data.get("k9py") or {})
    except (OSError, yaml.YAMLError, AttributeError, TypeError, ValueError) as err:
        cfg.error = f"config {path}: {err}"
    return cfg


def _apply(cfg: Config, k9: dict[str, Any]) -> None:
    cfg.theme = str(k9.get("theme", cfg.theme))
    cfg.readonly = bool(k9.get("readOnly", cfg.readonly))
    cfg.refresh_rate = max(0.1, float(k9.get("refreshRate", cfg.refresh_rate)))
    cfg.editor = str(k9.get("editor", cfg.editor))
    ns = k9.get("namespace") or {}
    cfg.namespace = str(ns.get("active", cfg.namespace))
    favorites = [str(n) for n in ns.get("favorites") or cfg.favorites]
    cfg.favorites = favorites[:MAX_FAVORITES]
    cfg.aliases = {str(k): str(v) for k, v in (k9.get("aliases") or {}).items()}
    cfg.keys = {str(k): str(v) for k, v in (k9.get("keys") or {}).items()}
