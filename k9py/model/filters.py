"""``/`` filters as k9s parses them: regex, ``!`` inverse, ``-f`` fuzzy, ``-l`` labels.

A label selector is not a row predicate: the view re-watches with it, so the
API server does the matching (as k9s hands it to the informer).

Literal and regex filters test only a row's text, so besides being row
predicates they say how to test a text (:class:`Contains` ``term``,
:class:`Search` ``search``/``inverse``): the table then scans its aligned
list of texts without touching the rows (see :mod:`k9py.model.index`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from k9py.render.base import FAULTS, Row

Predicate = Callable[[Row], bool]
_PLAIN = re.compile(r"^[\w\-/: ]*$")


@dataclass(frozen=True)
class Filter:
    """A parsed filter; ``text`` is what the user typed."""

    text: str = ""
    mode: str = "none"  # none | regex | inverse | fuzzy | labels
    term: str = ""
    error: str = ""

    @property
    def plain(self) -> bool:
        """A literal term: a longer literal only narrows the previous matches."""
        return self.mode == "regex" and bool(_PLAIN.match(self.term))

    def narrows(self, previous: Filter) -> bool:
        return (self.plain and previous.plain and self.term.lower().startswith(
            previous.term.lower()))

    def predicate(self) -> Predicate | None:
        if self.mode in ("none", "labels"):
            return None
        if self.mode == "fuzzy":
            return fuzzy_predicate(self.term)
        if self.plain:
            return Contains(self.term.lower())
        return Search(_compile(self.term), inverse=self.mode == "inverse")


class Contains:
    """A literal filter: rows whose text contains the term (texts are lower-case)."""

    __slots__ = ("term",)

    def __init__(self, term: str) -> None:
        self.term = term

    def __call__(self, row: Row) -> bool:
        return self.term in row.text


class Search:
    """A regex filter (``inverse``: rows it does not match)."""

    __slots__ = ("inverse", "search")

    def __init__(self, pattern: re.Pattern[str], inverse: bool = False) -> None:
        self.search = pattern.search
        self.inverse = inverse

    def __call__(self, row: Row) -> bool:
        return (self.search(row.text) is None) is self.inverse


def _compile(term: str) -> re.Pattern[str]:
    try:
        return re.compile(term, re.IGNORECASE)
    except re.error:
        return re.compile(re.escape(term), re.IGNORECASE)


def parse_filter(text: str) -> Filter:
    text = text.strip()
    if not text:
        return Filter()
    if text.startswith("-l ") or text.startswith("-l="):
        return Filter(text, "labels", text[3:].strip())
    if text.startswith("-f "):
        return Filter(text, "fuzzy", text[3:].strip())
    if text.startswith("!"):
        return Filter(text, "inverse", text[1:], _regex_error(text[1:]))
    return Filter(text, "regex", text, _regex_error(text))


def _regex_error(term: str) -> str:
    try:
        re.compile(term)
    except re.error as err:
        return f"invalid regex ({err}); matching it literally"
    return ""


def fuzzy_predicate(term: str) -> Predicate:
    """The term's characters appear in order in the row's key (k9s: fuzzy on row IDs)."""
    pattern = re.compile(".*?".join(re.escape(c) for c in term.lower()))
    return lambda row: pattern.search(row.key.lower()) is not None


def faults(row: Row) -> bool:
    return row.status in FAULTS


def both(first: Predicate | None, second: Predicate | None) -> Predicate | None:
    if first is None or second is None:
        return first or second
    return lambda row: first(row) and second(row)
