"""Skins: k9s-style YAML files mapped onto Textual themes plus k9py's colours.

A skin (``themes/*.yaml``, or ``<config dir>/themes/*.yaml`` for the user's
own, which win on a name clash) becomes a Textual ``Theme`` whose
``variables`` carry every k9py colour as ``$k9-<name>`` for the stylesheet
and for the table's Python-side styles (:class:`Palette`). Any Textual
built-in theme works too: k9py's colours are then derived from it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rich.style import Style
from textual.color import Color, ColorParseError
from textual.theme import Theme

from k9py.config import config_dir

log = logging.getLogger(__name__)

DEFAULT_THEME = "k9py-dark"
BUNDLED_DIR = Path(__file__).resolve().parent.parent / "themes"

# k9py variable -> path in a skin file.
SKIN_PATHS: dict[str, tuple[str, ...]] = {
    "k9-fg": ("body", "fgColor"), "k9-bg": ("body", "bgColor"),
    "k9-logo": ("body", "logoColor"),
    "k9-prompt-fg": ("prompt", "fgColor"), "k9-prompt-suggest": ("prompt", "suggestColor"),
    "k9-info-fg": ("info", "fgColor"), "k9-info-section": ("info", "sectionColor"),
    "k9-menu-fg": ("menu", "fgColor"), "k9-menu-key": ("menu", "keyColor"),
    "k9-menu-numkey": ("menu", "numKeyColor"),
    "k9-crumb-fg": ("crumbs", "fgColor"), "k9-crumb-bg": ("crumbs", "bgColor"),
    "k9-crumb-active": ("crumbs", "activeColor"),
    "k9-dialog-fg": ("dialog", "fgColor"), "k9-dialog-bg": ("dialog", "bgColor"),
    "k9-dialog-label": ("dialog", "labelFgColor"),
    "k9-button-fg": ("dialog", "buttonFgColor"), "k9-button-bg": ("dialog", "buttonBgColor"),
    "k9-button-focus-fg": ("dialog", "buttonFocusFgColor"),
    "k9-button-focus-bg": ("dialog", "buttonFocusBgColor"),
    "k9-border": ("frame", "border", "fgColor"), "k9-border-focus": ("frame", "border",
                                                                       "focusColor"),
    "k9-title-fg": ("frame", "title", "fgColor"),
    "k9-title-highlight": ("frame", "title", "highlightColor"),
    "k9-title-counter": ("frame", "title", "counterColor"),
    "k9-title-filter": ("frame", "title", "filterColor"),
    "k9-status-new": ("frame", "status", "newColor"),
    "k9-status-modify": ("frame", "status", "modifyColor"),
    "k9-status-pending": ("frame", "status", "pendingColor"),
    "k9-status-error": ("frame", "status", "errorColor"),
    "k9-status-highlight": ("frame", "status", "highlightColor"),
    "k9-status-kill": ("frame", "status", "killColor"),
    "k9-status-completed": ("frame", "status", "completedColor"),
    "k9-status-cordoned": ("frame", "status", "cordonedColor"),
    "k9-status-warning": ("frame", "status", "warningColor"),
    "k9-table-fg": ("views", "table", "fgColor"), "k9-table-bg": ("views", "table", "bgColor"),
    "k9-cursor-fg": ("views", "table", "cursorFgColor"),
    "k9-cursor-bg": ("views", "table", "cursorBgColor"),
    "k9-mark": ("views", "table", "markColor"),
    "k9-header-fg": ("views", "table", "header", "fgColor"),
    "k9-header-bg": ("views", "table", "header", "bgColor"),
    "k9-sorter": ("views", "table", "header", "sorterColor"),
    "k9-yaml-key": ("views", "yaml", "keyColor"), "k9-yaml-colon": ("views", "yaml",
                                                                      "colonColor"),
    "k9-yaml-value": ("views", "yaml", "valueColor"),
    "k9-logs-fg": ("views", "logs", "fgColor"), "k9-logs-bg": ("views", "logs", "bgColor"),
}


def derived_variables(theme: Theme) -> dict[str, str]:
    """k9py colours for a theme that is not a k9py skin (any Textual theme)."""
    fg = theme.foreground or ("#e0e0e0" if theme.dark else "#202020")
    bg = theme.background or ("#121212" if theme.dark else "#f5f5f5")
    primary, accent = theme.primary, theme.accent or theme.primary
    warning, error = theme.warning or "#ffa62b", theme.error or "#ba3c5b"
    muted = "#808080"
    values = {
        "k9-fg": fg, "k9-bg": bg, "k9-logo": accent, "k9-prompt-fg": fg,
        "k9-prompt-suggest": muted, "k9-info-fg": accent, "k9-info-section": fg,
        "k9-menu-fg": fg, "k9-menu-key": primary, "k9-menu-numkey": accent,
        "k9-crumb-fg": bg, "k9-crumb-bg": primary, "k9-crumb-active": accent,
        "k9-dialog-fg": fg, "k9-dialog-bg": theme.panel or bg, "k9-dialog-label": accent,
        "k9-button-fg": fg, "k9-button-bg": theme.panel or bg, "k9-button-focus-fg": bg,
        "k9-button-focus-bg": primary, "k9-border": primary, "k9-border-focus": accent,
        "k9-title-fg": fg, "k9-title-highlight": accent, "k9-title-counter": warning,
        "k9-title-filter": theme.success or primary, "k9-status-new": primary,
        "k9-status-modify": primary, "k9-status-pending": warning, "k9-status-error": error,
        "k9-status-highlight": accent, "k9-status-kill": theme.secondary or accent,
        "k9-status-completed": muted, "k9-status-cordoned": warning,
        "k9-status-warning": warning, "k9-table-fg": fg, "k9-table-bg": bg,
        "k9-cursor-fg": bg, "k9-cursor-bg": primary, "k9-mark": theme.success or accent,
        "k9-header-fg": fg, "k9-header-bg": bg, "k9-sorter": accent, "k9-yaml-key": primary,
        "k9-yaml-colon": fg, "k9-yaml-value": accent, "k9-logs-fg": fg, "k9-logs-bg": bg,
    }
    return values


def _dig(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def _colour(value: Any, where: str) -> str:
    try:
        return Color.parse(str(value)).hex
    except ColorParseError as err:
        raise ValueError(f"{where}: {err}") from None


def theme_from_skin(data: Mapping[str, Any], fallback_name: str) -> Theme:
    """A Textual theme from a parsed skin; raises ValueError on a bad colour."""
    skin = data.get("k9py") or data.get("k9s") or {}
    if not isinstance(skin, Mapping):
        raise ValueError("a skin needs a 'k9py:' mapping at the top")
    name = str(skin.get("name") or fallback_name)
    dark = bool(skin.get("dark", True))
    variables = {}
    for var, path in SKIN_PATHS.items():
        value = _dig(skin, path)
        if value not in (None, "", "default"):
            variables[var] = _colour(value, ".".join(path))
    base = Theme(name="tmp", primary=variables.get("k9-border", "#1e90ff"), dark=dark)
    defaults = derived_variables(base)
    variables = {**defaults, **variables}
    extra = {k: _colour(v, f"textual.{k}") for k, v in (skin.get("textual") or {}).items()}
    return Theme(
        name=name, dark=dark,
        primary=extra.get("primary", variables["k9-border"]),
        secondary=extra.get("secondary", variables["k9-title-highlight"]),
        accent=extra.get("accent", variables["k9-logo"]),
        warning=extra.get("warning", variables["k9-status-pending"]),
        error=extra.get("error", variables["k9-status-error"]),
        success=extra.get("success", variables["k9-title-filter"]),
        foreground=extra.get("foreground", variables["k9-fg"]),
        background=extra.get("background", variables["k9-bg"]),
        surface=extra.get("surface", variables["k9-table-bg"]),
        panel=extra.get("panel", variables["k9-dialog-bg"]),
        variables={**variables, "block-cursor-background": variables["k9-cursor-bg"],
                   "block-cursor-foreground": variables["k9-cursor-fg"]},
    )


def theme_dirs() -> list[Path]:
    """Bundled skins first, then the user's (later files override earlier ones)."""
    return [BUNDLED_DIR, config_dir() / "themes"]


@dataclass
class LoadResult:
    themes: dict[str, Theme]
    sources: dict[str, Path]
    errors: list[str]


def load_themes(dirs: Iterable[Path] | None = None) -> LoadResult:
    """Every skin in the theme directories; broken files are reported, not fatal."""
    themes: dict[str, Theme] = {}
    sources: dict[str, Path] = {}
    errors: list[str] = []
    for directory in dirs or theme_dirs():
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.y*ml")):
            try:
                data = yaml.safe_load(path.read_text()) or {}
                theme = theme_from_skin(data, path.stem)
            except (OSError, yaml.YAMLError, ValueError, AttributeError, TypeError) as err:
                errors.append(f"theme {path.name}: {err}")
                continue
            themes[theme.name] = theme
            sources[theme.name] = path
    if DEFAULT_THEME not in themes:
        themes[DEFAULT_THEME] = theme_from_skin({"k9py": {"name": DEFAULT_THEME}}, DEFAULT_THEME)
    return LoadResult(themes, sources, errors)


STATUS_VARS = {"pending": "k9-status-pending", "error": "k9-status-error",
               "completed": "k9-status-completed", "kill": "k9-status-kill",
               "cordoned": "k9-status-cordoned", "warning": "k9-status-warning",
               "": "k9-table-fg"}


@dataclass
class Palette:
    """Rich styles for widgets that paint themselves (the table, the header)."""

    base: Style
    header: Style
    sorter: Style
    cursor: Style
    mark: Style
    status: dict[str, Style]
    title: Style
    counter: Style
    filter: Style
    key: Style
    numkey: Style
    logo: Style
    info: Style
    section: Style

    @classmethod
    def from_variables(cls, v: Mapping[str, str]) -> Palette:
        def get(name: str) -> str:
            return v.get(name) or "default"

        bg = get("k9-table-bg")
        status = {k: Style(color=get(var), bgcolor=bg) for k, var in STATUS_VARS.items()}
        return cls(
            base=Style(color=get("k9-table-fg"), bgcolor=bg),
            header=Style(color=get("k9-header-fg"), bgcolor=get("k9-header-bg"), bold=True),
            sorter=Style(color=get("k9-sorter"), bgcolor=get("k9-header-bg"), bold=True),
            cursor=Style(color=get("k9-cursor-fg"), bgcolor=get("k9-cursor-bg")),
            mark=Style(color=get("k9-mark"), bgcolor=bg, bold=True),
            status=status, title=Style(color=get("k9-title-fg"), bold=True),
            counter=Style(color=get("k9-title-counter"), bold=True),
            filter=Style(color=get("k9-title-filter")),
            key=Style(color=get("k9-menu-key"), bold=True),
            numkey=Style(color=get("k9-menu-numkey"), bold=True),
            logo=Style(color=get("k9-logo"), bold=True),
            info=Style(color=get("k9-info-fg"), bold=True),
            section=Style(color=get("k9-info-section")),
        )
