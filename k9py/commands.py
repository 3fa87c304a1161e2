"""Parsing ``:`` commands as k9s does: ``:po``, ``:po kube-system``,
``:po app=nginx``, ``:po /nginx``, ``:xray deploy default``, user aliases."""

from __future__ import annotations

from dataclasses import dataclass, field

from k9py.kinds import SPECIAL_COMMANDS, Catalog, Kind

ALL = object()
# Apply commands (issue 6): ``:apply`` keeps its argument line whole (kubectl flags, quoting).
APPLY_COMMANDS = {"apply": "apply", "applylog": "applylog", "al": "applylog"}


@dataclass
class Command:
    """A parsed command: a special view or a resource with its scope."""

    special: str = ""
    kind: Kind | None = None
    namespace: object = None  # None: keep the current; ALL: every namespace; or a name
    label_selector: str = ""
    filter: str = ""
    args: list[str] = field(default_factory=list)
    error: str = ""
    line: str = ""  # the arguments as typed (``:apply 'my dir' -R``)


def _is_selector(arg: str) -> bool:
    return "=" in arg or arg.startswith("!") or " in (" in arg


def parse_command(text: str, catalog: Catalog, depth: int = 0) -> Command:
    parts = text.strip().split()
    if not parts:
        return Command(error="empty command")
    head, args = parts[0], parts[1:]
    alias = catalog.user_aliases.get(head)
    if alias and depth < 3:
        return parse_command(" ".join([alias, *args]), catalog, depth + 1)
    if head in APPLY_COMMANDS:
        line = text.strip()[len(head):].strip()
        return Command(special=APPLY_COMMANDS[head], args=args, line=line)
    if head in SPECIAL_COMMANDS:
        return Command(special=SPECIAL_COMMANDS[head], args=args)
    kind = catalog.lookup(head)
    if kind is None:
        return Command(error=f"`{head}` command not found")
    cmd = Command(kind=kind)
    for arg in args:
        if arg.startswith("/"):
            cmd.filter = arg[1:]
        elif arg in ("all", "-A", "--all-namespaces", "*"):
            cmd.namespace = ALL
        elif arg.startswith("@"):
            continue  # contexts: the embedded cluster has one
        elif _is_selector(arg):
            cmd.label_selector = ",".join(s for s in (cmd.label_selector, arg) if s)
        else:
            cmd.namespace = arg
    return cmd
