"""The k9py application: k9s's layout over a cluster session.

Header (cluster info, key hints, logo), a prompt for ``:`` and ``/``, a stack
of views, breadcrumbs and a flash line. Cluster calls never run on the UI
thread: reads stream in from watches, writes go through :meth:`cluster_call`
on worker threads, and every failure becomes a flash message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.widgets import Static

from k9py import __version__
from k9py.applying import ApplyMixin
from k9py.client import Session, error_text
from k9py.commands import ALL, APPLY_COMMANDS, parse_command
from k9py.config import Config, load_config
from k9py.kinds import Catalog, engine_catalog
from k9py.model.watcher import ResourceWatcher
from k9py.render.base import condition
from k9py.themes import DEFAULT_THEME, derived_variables, load_themes, theme_dirs
from k9py.views.base import View
from k9py.views.usage import UsageFeed
from k9py.widgets.chrome import Crumbs, Flash, Header, HeaderInfo, Hints
from k9py.widgets.prompt import Prompt

log = logging.getLogger(__name__)
PUMP_INTERVAL = 1 / 30


class K9pyApp(ApplyMixin, App):
    """k9py: a k9s-grade explorer of the cluster behind ``session``."""

    CSS_PATH = str(Path(__file__).with_name("k9py.tcss"))  # absolute: subclasses live elsewhere
    TITLE = "k9py"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar = [
        # ':' and '/' are priority bindings: handled the moment they arrive, so the
        # keys typed right after them (tmux send-keys ':deploy' Enter) reach the prompt.
        Binding("colon", "command", "Command", id="k9py.command", priority=True),
        Binding("slash", "filter", "Filter", id="k9py.appfilter", priority=True, show=False),
        Binding("question_mark", "help", "Help", id="k9py.help"),
        Binding("ctrl+a", "aliases", "Aliases", id="k9py.aliases"),
        Binding("ctrl+e", "toggle_header", "Toggle header", id="k9py.toggleheader"),
        Binding("ctrl+g", "toggle_crumbs", "Toggle crumbs", id="k9py.togglecrumbs"),
        Binding("left_square_bracket", "history(-1)", "History back", id="k9py.historyback"),
        Binding("right_square_bracket", "history(1)", "History forward",
                id="k9py.historyforward"),
        Binding("minus", "last_view", "Last view", id="k9py.lastview"),
        Binding("ctrl+o", "pick_manifest", "Apply file", id="k9py.applyfile"),
        Binding("ctrl+c,ctrl+q", "quit", "Quit", priority=True, id="k9py.quit"),
    ]

    def __init__(self, session: Session | None = None, *,
                 connect: Callable[[], Session] | None = None, config: Config | None = None,
                 theme: str | None = None, command: str | None = None,
                 readonly: bool = False, catalog: Catalog | None = None) -> None:
        super().__init__()
        self.config = config or load_config()
        self.session = session or Session(client=None)
        self._connect = connect
        self.readonly = readonly or self.config.readonly or self.session.readonly
        self.catalog = catalog or engine_catalog(self.config.aliases)
        self.catalog.user_aliases.update(self.config.aliases)
        self.namespace: str | None = self.config.namespace or "default"
        self.start_command = command or "pods"
        self.theme_name = theme or self.config.theme
        self.stack: list[View] = []
        self.history: list[str] = []
        self.history_pos = -1
        self.node_watch: ResourceWatcher | None = None
        self._node_ready: dict[str, bool] = {}
        self.usage = UsageFeed()  # metrics.k8s.io readings for the tables and header
        self._theme_sources: dict[str, Any] = {}
        self._hints_key: Any = None
        self.internal_errors: list[Exception] = []
        self._hints_dirty = True

    # -- properties ------------------------------------------------------------------------
    @property
    def client(self) -> Any:
        return self.session.client

    @property
    def top(self) -> View | None:
        return self.stack[-1] if self.stack else None

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """k9py's colours for any theme (a skin overrides them through its variables)."""
        try:
            return derived_variables(self.current_theme)
        except Exception:  # before themes are registered
            return {}

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(id="header")
        yield Prompt(id="prompt")
        yield Container(id="content")
        yield Crumbs(id="crumbs")
        yield Flash(id="flash")

    def on_mount(self) -> None:
        tune_gc()
        self._load_themes()
        self.set_keymap(self.config.keys)
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.set_interval(PUMP_INTERVAL, self._pump)
        self.set_interval(self.config.refresh_rate, self._tick)
        self._watch_theme_files()
        if self.config.error:
            self.flash(self.config.error, "error")
        if self.session.client is None and self._connect is not None:
            self.query_one("#content").mount(Static("Booting the embedded cluster…",
                                                    classes="placeholder", id="booting"))
            # After the first frame: the boot's imports would compete for the GIL with it.
            self.call_after_refresh(self._boot)
        else:
            self._started()
        self._update_header()

    @work(thread=True, exit_on_error=False, group="boot")
    def _boot(self) -> None:
        try:
            session = self._connect()
        except Exception as err:
            self.call_from_thread(self.flash, f"cannot start the cluster: {error_text(err)}",
                                  "error", 3600)
            return
        self.call_from_thread(self._connected, session)

    def _connected(self, session: Session) -> None:
        self.session = session
        self.readonly = self.readonly or session.readonly
        for placeholder in self.query("#booting"):
            placeholder.remove()
        self._started()

    def _started(self) -> None:
        self.node_watch = ResourceWatcher(self.client, "nodes").start()
        self.usage.start(self.client, self.config.refresh_rate, self.call_from_thread,
                         self._update_header)
        self.run_command(self.start_command)
        self.attach_manifests()
        self._update_header()

    # -- themes ------------------------------------------------------------------------------
    def _load_themes(self) -> None:
        result = load_themes()
        for theme in result.themes.values():
            self.register_theme(theme)
        self._theme_sources = result.sources
        for err in result.errors:
            self.flash(err, "error")
        self.set_theme(self.theme_name)

    def set_theme(self, name: str) -> bool:
        if name not in self.available_themes:
            self.flash(f"unknown theme {name!r}; using {DEFAULT_THEME}. Themes: "
                       + ", ".join(sorted(self.available_themes)), "error")
            self.theme = DEFAULT_THEME
            return False
        self.theme = name
        return True

    @work(exclusive=True, group="theme-files", exit_on_error=False)
    async def _watch_theme_files(self) -> None:
        """Reload skins when their files change (watchfiles), re-applying the current one."""
        import watchfiles

        dirs = [str(d) for d in theme_dirs() if d.is_dir()]
        if not dirs:
            return
        async for _changes in watchfiles.awatch(*dirs, debounce=200, step=50):
            self.reload_themes()

    def reload_themes(self) -> None:
        result = load_themes()
        for theme in result.themes.values():
            self.register_theme(theme)
        for err in result.errors:
            self.flash(err, "error")
        current = self.theme
        if current in result.themes:
            self.refresh_css(animate=False)
            self.theme_changed_signal.publish(self.current_theme)
            self.flash(f"theme {current} reloaded")

    # -- the view stack ---------------------------------------------------------------------------
    def push_view(self, view: View) -> None:
        if self.top is not None:
            self.top.display = False
        self.stack.append(view)
        self.usage.attach(view)
        self.query_one("#content").mount(view)
        self.call_after_refresh(self._focus_view, view)
        self._update_chrome()

    def _focus_view(self, view: View) -> None:
        """Focus a new view, unless the user already moved on (typing at the prompt)."""
        if view is self.top and not self.query_one(Prompt).display:
            view.focus_main()

    def pop_view(self) -> None:
        if len(self.stack) <= 1:
            return
        view = self.stack.pop()
        view.stop()
        view.remove()
        top = self.stack[-1]
        top.display = True
        top.focus_main()
        self._update_chrome()

    def replace_views(self, view: View) -> None:
        """A ``:`` command starts a new stack (as k9s does)."""
        for old in self.stack:
            old.stop()
            old.remove()
        self.stack = []
        self.push_view(view)

    def replace_top(self, view: View) -> None:
        if self.stack:
            old = self.stack.pop()
            old.stop()
            old.remove()
        self.push_view(view)

    def _update_chrome(self) -> None:
        self.query_one(Crumbs).set_crumbs([v.crumb for v in self.stack])
        self.usage.focus(self.top)
        self._hints_dirty = True

    # -- the ticker ----------------------------------------------------------------------------
    def _pump(self) -> None:
        top = self.top
        if top is not None:
            try:
                top.pump()
            except Exception as err:  # a rendering bug must not take the app down
                log.exception("view update failed")
                self.flash(f"view update failed: {error_text(err)}", "error")
        self._pump_nodes()
        if self._hints_dirty:
            self._update_hints()

    def _tick(self) -> None:
        if self.top is not None:
            self.top.tick()

    def _pump_nodes(self) -> None:
        if self.node_watch is None:
            return
        events = self.node_watch.drain()
        if not events:
            return
        for ev in events:
            if ev.type in ("ADDED", "MODIFIED"):
                ready = (condition(ev.object, "Ready") or {}).get("status") == "True"
                self._node_ready[ev.object["metadata"]["name"]] = ready
            elif ev.type == "DELETED":
                self._node_ready.pop(ev.object["metadata"]["name"], None)
        self._update_header()

    def _update_header(self) -> None:
        ready = sum(self._node_ready.values())
        nodes = f"{len(self._node_ready)} ({ready} ready)" if self._node_ready else "n/a"
        s = self.session
        cpu, mem = self.usage.header()
        info = HeaderInfo(context=s.context, cluster=s.cluster_name, user=s.user,
                          k9py_version=f"v{__version__}", k8s_version=s.k8s_version,
                          nodes=nodes, cpu=cpu, mem=mem, readonly=self.readonly)
        self.query_one(Header).set_info(info)

    def _bindings_changed(self, _screen: Any = None) -> None:
        self._hints_dirty = True

    def binding_hints(self, everything: bool = False) -> list[tuple[str, str]]:
        """The focused view's keys, its own first (what the header and help show)."""
        try:
            bindings = self.screen.active_bindings
        except Exception:
            return []
        ranked, seen = [], set()
        for order, active in enumerate(bindings.values()):
            b = active.binding
            if not active.enabled or active.node is self or not (b.show or everything):
                continue
            rank = hint_rank(active.node, b)
            if rank is None or (b.action, b.description) in seen:
                continue
            seen.add((b.action, b.description))
            ranked.append((rank, order, self.get_key_display(b), b.description))
        return [(key, desc) for _r, _o, key, desc in sorted(ranked)]

    def _update_hints(self) -> None:
        self._hints_dirty = False
        top = self.top
        if top is None:
            return
        keys = self.binding_hints()
        numbered = []
        if getattr(top, "kind", None) is not None and top.check_action("namespace", (0,)):
            numbered = [("0", "all")] + [(str(i + 1), ns) for i, ns in
                                          enumerate(self.config.favorites[:9])]
        hints = Hints(numbered, keys)
        if hints != self._hints_key:
            self._hints_key = hints
            self.query_one(Header).set_hints(hints)

    # -- commands and the prompt ----------------------------------------------------------------
    def open_prompt(self, mode: str, value: str = "") -> None:
        candidates = sorted({*self.catalog.names(), *APPLY_COMMANDS}) if mode == "command" else []
        self.query_one(Prompt).open(mode, value, candidates)

    @on(Prompt.CommandSubmitted)
    def _prompt_submitted(self, event: Prompt.CommandSubmitted) -> None:
        if event.mode == "command":
            self.run_command(event.value)
        else:
            self._filter(event.value)
        if self.top is not None:
            self.top.focus_main()

    @on(Prompt.CommandEdited)
    def _prompt_edited(self, event: Prompt.CommandEdited) -> None:
        if event.mode == "filter":
            self._filter(event.value)

    @on(Prompt.CommandCancelled)
    def _prompt_cancelled(self, event: Prompt.CommandCancelled) -> None:
        if event.mode == "filter":
            self._filter("")
        if self.top is not None:
            self.top.focus_main()

    def _filter(self, text: str) -> None:
        top = self.top
        if top is not None and hasattr(top, "apply_filter"):
            top.apply_filter(text)

    def run_command(self, text: str, *, record: bool = True) -> bool:
        """Run a ``:`` command; unknown ones flash an error."""
        from k9py.views.resource import Scope

        if self.client is None:
            self.flash("the cluster is still starting", "warn")
            return False
        cmd = parse_command(text, self.catalog)
        if cmd.error:
            self.flash(cmd.error, "error")
            return False
        if cmd.special:
            return self._special(cmd.special, cmd.args, cmd.line)
        kind = cmd.kind
        ns: str | None = None
        if kind.namespaced:
            ns = None if cmd.namespace is ALL else (cmd.namespace or self.namespace)
            if isinstance(cmd.namespace, str):
                self.set_namespace(cmd.namespace)
        from k9py.views.registry import view_for

        scope = Scope(kind, ns, label_selector=cmd.label_selector or None)
        self.replace_views(view_for(scope, cmd.filter))
        if record:
            self._record(text.strip())
        return True

    def _record(self, text: str) -> None:
        if self.history and self.history[self.history_pos] == text:
            return
        del self.history[self.history_pos + 1:]
        self.history.append(text)
        self.history_pos = len(self.history) - 1

    def _special(self, special: str, args: list[str], line: str = "") -> bool:
        from k9py.views.help import AliasesView, HelpView

        if special == "quit":
            self.exit()
        elif special == "help":
            self.push_view(HelpView(self.binding_hints(everything=True)))
        elif special == "aliases":
            self.push_view(AliasesView(self.catalog))
        elif special == "pulses":
            from k9py.views.pulses import PulsesView

            self.replace_views(PulsesView())
        elif special == "xray":
            return self._xray(args)
        elif special == "contexts":
            self.flash(f"one context: {self.session.context} (the embedded cluster)")
        elif special == "theme":
            return self._theme_command(args)
        elif special == "apply":
            return self.apply_command(line)
        elif special == "applylog":
            from k9py.views.applylog import ApplyLogView

            self.replace_views(ApplyLogView())
        return True

    def _xray(self, args: list[str]) -> bool:
        from k9py.views.xray import XRAY_KINDS, XrayView

        kind = self.catalog.lookup(args[0]) if args else self.catalog.by_kind("Deployment")
        if kind is None or kind.kind not in XRAY_KINDS:
            self.flash("xray: give one of " + ", ".join(sorted(XRAY_KINDS)), "error")
            return False
        ns = args[1] if len(args) > 1 else self.namespace
        self.replace_views(XrayView(kind, None if ns in ("all", "-A") else ns))
        return True

    def _theme_command(self, args: list[str]) -> bool:
        from k9py.dialogs.picker import PickerDialog

        if args:
            return self.set_theme(args[0])
        names = sorted(self.available_themes)
        self.push_screen(PickerDialog("Theme", names), lambda n: n and self.set_theme(n))
        return True

    # -- namespaces ---------------------------------------------------------------------------
    def set_namespace(self, ns: str | None) -> None:
        self.namespace = ns
        if ns:
            self.config.namespace = ns
            self.config.remember_namespace(ns)

    def switch_namespace(self, index: int) -> None:
        """0: all namespaces; 1-9: the favourites (k9s's numbered keys)."""
        if index == 0:
            ns = None
        elif index <= len(self.config.favorites):
            ns = self.config.favorites[index - 1]
        else:
            self.flash(f"no favourite namespace #{index}", "warn")
            return
        self.namespace = ns
        top = self.top
        if top is not None and hasattr(top, "with_namespace"):
            view = top.with_namespace(ns)
            self.replace_top(view)
            text = view.command_text()
            if text:
                self._record(text)

    # -- history ------------------------------------------------------------------------------
    def action_history(self, delta: int) -> None:
        pos = self.history_pos + delta
        if not 0 <= pos < len(self.history):
            self.flash("no more history", "warn")
            return
        self.history_pos = pos
        self.run_command(self.history[pos], record=False)

    def action_last_view(self) -> None:
        if len(self.history) < 2:
            self.flash("no previous view", "warn")
            return
        pos = self.history_pos - 1 if self.history_pos > 0 else self.history_pos + 1
        self.history_pos = pos
        self.run_command(self.history[pos], record=False)

    # -- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action in ("command", "filter"):
            return self._keys_are_commands() and (
                action == "command" or hasattr(self.top, "apply_filter"))
        return True

    def _keys_are_commands(self) -> bool:
        """Not while typing in a field or while a dialog is open."""
        from textual.widgets import Input, TextArea

        if self.screen is not self.screen_stack[0]:
            return False
        return not isinstance(self.focused, Input | TextArea)

    def action_command(self) -> None:
        self.open_prompt("command")

    def action_filter(self) -> None:
        top = self.top
        if top is not None and hasattr(top, "action_filter"):
            top.action_filter()

    def action_help(self) -> None:
        from k9py.views.help import HelpView

        if self.top is not None and self.top.crumb == "help":
            return
        self.push_view(HelpView(self.binding_hints(everything=True)))

    def action_aliases(self) -> None:
        from k9py.views.help import AliasesView

        self.push_view(AliasesView(self.catalog))

    def action_toggle_header(self) -> None:
        self.query_one(Header).toggle_class("-hidden")

    def action_toggle_crumbs(self) -> None:
        self.query_one(Crumbs).toggle_class("-hidden")

    async def action_quit(self) -> None:
        self.shutdown_views()
        self.exit()

    def on_unmount(self) -> None:
        self.shutdown_views()

    def shutdown_views(self) -> None:
        for view in self.stack:
            view.stop()
        if self.node_watch is not None:
            self.node_watch.stop()
        self.usage.stop()
        self.stop_manifests()

    # -- cluster calls and messages ----------------------------------------------------------------
    def cluster_call(self, fn: Callable[..., Any], *args: Any, ok: str | None = None,
                     on_result: Callable[[Any], Any] | None = None,
                     on_error: Callable[[Exception], Any] | None = None, quiet: bool = False,
                     **kwargs: Any) -> None:
        """Run ``fn`` on a worker thread; report success or the error in the flash line."""

        def run() -> None:
            try:
                result = fn(*args, **kwargs)
            except Exception as err:
                self.call_from_thread(self._call_failed, err, on_error)
                return
            if on_result is not None:
                self.call_from_thread(on_result, result)
            elif ok and not quiet:
                self.call_from_thread(self.flash, ok)

        self.run_worker(run, thread=True, exit_on_error=False, group="cluster")

    def _call_failed(self, err: Exception, on_error: Callable[[Exception], Any] | None) -> None:
        self.flash_error(err)
        if on_error is not None:
            on_error(err)

    def flash(self, message: str, level: str = "info", seconds: float = 6.0) -> None:
        try:
            self.query_one(Flash).show(message, level, seconds)
        except Exception:  # not mounted yet
            log.info("flash: %s", message)

    def flash_error(self, err: BaseException) -> None:
        self.flash(error_text(err), "error")

    def edit_object(self, kind: Any, name: str, namespace: str | None) -> None:
        if self.readonly:
            self.flash("read-only mode: editing is disabled", "warn")
            return
        from k9py.views.edit import EditView, edit_external

        if self.config.editor == "external":
            edit_external(self, kind, name, namespace)
        else:
            self.push_view(EditView(kind, name, namespace))

    async def _dispatch_action(self, namespace: Any, action_name: str, params: Any) -> bool:
        """Every key's action runs here: a failing action is a flash message, and
        the app (and the widget whose key it was) keeps running."""
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except Exception as err:
            log.exception("action %s failed", action_name)
            self.internal_errors.append(err)
            self.flash(f"{action_name.replace('_', ' ')} failed: {error_text(err)}", "error")
            return True

    def _handle_exception(self, error: Exception) -> None:
        """A bug outside actions: log the traceback to a file and leave cleanly
        with one line, rather than paint a traceback over the terminal."""
        self.internal_errors.append(error)
        path = write_crash_log(error)
        if self._exception is None:  # what the test pilot re-raises
            self._exception = error
            self._exception_event.set()
        self._return_code = 1
        self.exit(return_code=1, message=f"k9py stopped on an internal error: "
                  f"{error_text(error)} (details in {path})")


def tune_gc() -> None:
    """Collect young objects less often. The process holds the engine and up to
    100,000 rendered rows; with CPython's default threshold (700) decoding a list
    of 10,000 pods triggers enough collections to take several times longer."""
    import gc

    gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(gen0, 50_000), max(gen1, 20), max(gen2, 100))


def hint_rank(node: Any, binding: Binding) -> int | None:
    """The header lists a view's own keys first (the most specific class first),
    then the common ones, then the table's; Textual's own scrolling keys not at all."""
    for depth, cls in enumerate(type(node).__mro__):
        if any(isinstance(b, Binding) and b.action == binding.action
               for b in cls.__dict__.get("BINDINGS", ())):
            if not cls.__module__.startswith("k9py"):
                return None
            return depth + (100 if not isinstance(node, View) else 0)
    return 1000


def write_crash_log(error: BaseException) -> str:
    import traceback

    from k9py.config import config_dir

    path = config_dir() / "k9py-crash.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as f:
            f.write("".join(traceback.format_exception(error)) + "\n")
    except OSError:
        return "(unwritable)"
    return str(path)
