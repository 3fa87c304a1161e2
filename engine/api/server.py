"""The API server: the only component that writes the store.

Every other component (scheduler, controllers, kubelets, the TUI through its
client, the HTTP server) goes through these verbs, which carry
kube-apiserver's semantics: defaulting, admission, validation, optimistic
concurrency on resourceVersion, generation, graceful deletion and finalizers,
selectors, paging and resumable watches.

Upstream: k8s.io/apiserver ``pkg/registry/generic/registry/store.go`` (the
generic registry store: Create, Update, Get, List, Delete, Watch) and
``pkg/endpoints/handlers`` (request decoding, patch retries).

All verbs are synchronous and must run on the engine's loop thread; other
threads use :class:`engine.client.ThreadClient`, which hands calls over.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.api import (
    aggregated,
    authorization,
    binding,
    errors,
    event_ttl,
    jsonbytes,
    listing,
    meta,
    patch,
)
from engine.api.admission.base import AdmissionChain, Attributes, UserInfo
from engine.api.apilister import APILister
from engine.api.createplan import Plan, PodCreatePlans, Recording, metadata_errors
from engine.api.decoding import decode_request, decode_update, owned_copy
from engine.api.deletion import DeletionMixin
from engine.api.resources import ResourceInfo, resolve
from engine.api.rest_hooks import hooks_for
from engine.api.strategies import strategy_for, subresource_strategy
from engine.api.watchcache import Watch, WatchCache
from engine.clock import Clock
from engine.store import CompactedError, Store

Obj = dict[str, Any]
ResourceLike = str | ResourceInfo

# kube-apiserver's --etcd-compaction-interval default.
COMPACTION_INTERVAL = 300.0
# The cacher sends bookmarks to watches about once a minute.
BOOKMARK_INTERVAL = 60.0
# Patches retry on a conflicting concurrent write, as the patch handler does.
PATCH_RETRIES = 5
# pkg/registry/generic/registry/store.go: generated names are tried up to 8 times.
GENERATE_NAME_RETRIES = 7


class APIServer(DeletionMixin):
    """kube-apiserver's verbs over the store."""

    def __init__(self, store: Store, clock: Clock, *, identity: meta.IdentitySource | None = None,
                 admission: Callable[[APIServer], AdmissionChain] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.identity = identity or meta.IdentitySource()
        self.cache = WatchCache(store)
        if admission is None:
            from engine.api.admission import default_chain

            admission = default_chain
        self.admission = admission(self)
        self._timers: list[Any] = []
        self._listers: dict[ResourceInfo, APILister] = {}
        self._listers_by_name: dict[str, APILister] = {}  # the same listers, by the name asked
        self._now_second: int | None = None  # _now's last second and its text
        self._now_text = ""
        # Decides requests that carry a user (RBAC sets it); None allows all.
        self.authorizer: authorization.Authorizer | None = None
        self._last_seen_revision = store.revision
        self._pod_plans = PodCreatePlans()  # see create

    # -- lifecycle -----------------------------------------------------------
    def start(self) -> None:
        """Start the periodic compaction and bookmark timers (on the loop)."""
        self._schedule(COMPACTION_INTERVAL, self._compact_tick)
        self._schedule(BOOKMARK_INTERVAL, self._bookmark_tick)
        self._schedule(event_ttl.SWEEP_INTERVAL, lambda: event_ttl.expire_events(self))

    def lister(self, resource: ResourceLike) -> APILister:
        """A cached, always-current view of one resource for admission plugins."""
        if type(resource) is str:
            found = self._listers_by_name.get(resource)
            if found is not None:
                return found
        info = self.info(resource)
        found = self._listers.get(info)
        if found is None:
            found = self._listers[info] = APILister(self, info)
        if type(resource) is str:
            self._listers_by_name[resource] = found
        return found

    def close(self) -> None:
        for lister in self._listers.values():
            lister.stop()
        self._listers.clear()
        self._listers_by_name.clear()
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        self.cache.close()

    def _schedule(self, delay: float, fn: Callable[[], None]) -> None:
        def fire() -> None:
            self._timers.remove(handle)
            fn()
            self._schedule(delay, fn)

        handle = self.clock.call_later(delay, fire)
        self._timers.append(handle)

    def _compact_tick(self) -> None:
        """Compact to the revision seen one interval ago, as the apiserver's
        compactor does, so watches have at least one interval to resume."""
        target = self._last_seen_revision
        self._last_seen_revision = self.store.revision
        if target > self.store.compact_revision:
            self.compact(target)

    def _bookmark_tick(self) -> None:
        self.cache.send_bookmarks()

    def compact(self, revision: int) -> None:
        self.store.compact(revision)
        self.cache.compacted(revision)

    # -- helpers -------------------------------------------------------------
    @staticmethod
    def info(resource: ResourceLike) -> ResourceInfo:
        if isinstance(resource, ResourceInfo):
            if resource.group in aggregated.GROUPS:  # get/list went to aggregated first
                aggregated.refuse(resource)
            return resource
        try:
            return resolve(resource)
        except errors.StatusError:
            aggregated.refuse(resource)  # 405 for a delegated resource's other verbs
            raise

    def _namespace(self, info: ResourceInfo, namespace: str | None, obj: Obj | None = None) -> str:
        """The request's namespace; the object's must agree with it."""
        if not info.namespaced:
            if obj is not None:
                obj.get("metadata", {}).pop("namespace", None)
            return ""
        in_obj = meta.namespace_of(obj) if obj is not None else ""
        if namespace and in_obj and namespace != in_obj:
            raise errors.bad_request(
                "the namespace of the provided object does not match the namespace sent on the "
                "request"
            )
        ns = namespace or in_obj or "default"
        if obj is not None:
            obj.setdefault("metadata", {})["namespace"] = ns
        return ns

    def _authorize(self, user: UserInfo | None, verb: str, info: ResourceInfo,
                   namespace: str | None, name: str = "", subresource: str = "") -> None:
        if user is not None and self.authorizer is not None:
            authorization.check(self.authorizer, authorization.RequestAttributes(
                user, verb, info, namespace or "", name, subresource))

    def _old(self, key: str, kv: Any, owned: bool) -> Obj:
        """The object stored at ``key`` as ``kv``. For an owned update, the
        watch cache's decoded object at that revision when it holds one
        (shared: read only, as every watcher's); others decode their own, so
        that a component that mutates its informer's objects (a bug) cannot
        change what other writes compute."""
        held = self.cache.latest(key, kv.mod_revision) if owned else None
        return meta.decode(kv.value, kv.mod_revision) if held is None else held

    @staticmethod
    def _key_of(info: ResourceInfo, namespace: str | None, body: Any) -> str:
        """The key an update's body names, as :meth:`_namespace` will work it
        out, without raising: "" when the body is not plain enough to tell."""
        m = body.get("metadata") if type(body) is dict else None
        if type(m) is not dict:
            return ""
        name, in_obj = m.get("name"), m.get("namespace")
        if not name or type(name) is not str or (in_obj is not None and type(in_obj) is not str):
            return ""
        if not info.namespaced:
            return info.key("", name)
        if namespace and in_obj and namespace != in_obj:
            return ""
        return info.key(namespace or in_obj or "default", name)

    def _read(self, info: ResourceInfo, namespace: str, name: str) -> tuple[Obj, int]:
        kv = self.store.get(info.key(namespace, name))
        if kv is None:
            raise errors.not_found(info.plural, info.group, name)
        return meta.decode(kv.value, kv.mod_revision), kv.mod_revision

    # -- read verbs ------------------------------------------------------------
    def get(self, resource: ResourceLike, name: str, namespace: str | None = None, *,
            user: UserInfo | None = None) -> Obj:
        if (delegated := aggregated.lookup(resource)) is not None:
            return aggregated.get(self, delegated, name, namespace, user=user)
        info = self.info(resource)
        ns = self._namespace(info, namespace)
        self._authorize(user, "get", info, ns, name)
        return self._read(info, ns, name)[0]

    def list(self, resource: ResourceLike, namespace: str | None = None, *,
             label_selector: str | None = None, field_selector: str | None = None,
             limit: int = 0, continue_: str | None = None,
             user: UserInfo | None = None) -> Obj:
        """A List object; ``namespace=None`` lists across all namespaces."""
        if (delegated := aggregated.lookup(resource)) is not None:
            return aggregated.list_(self, delegated, namespace, label_selector=label_selector,
                                    field_selector=field_selector, user=user)
        info = self.info(resource)
        self._authorize(user, "list", info, namespace if info.namespaced else None)
        matcher = listing.make_matcher(info, label_selector, field_selector)
        prefix = info.key_prefix + (f"{namespace}/" if info.namespaced and namespace else "")
        start_after, at = None, 0
        if continue_:
            at, start_after = listing.decode_continue(continue_, prefix)
        items: list[Obj] = []
        while True:
            kvs, revision, more = self._range_at(prefix, start_after, at,
                                                 (limit - len(items)) if limit else 0)
            at = revision
            for kv in kvs:
                obj = meta.decode(kv.value, kv.mod_revision)
                if matcher is None or matcher(obj):
                    items.append(obj)
            if not (limit and more and len(items) < limit and kvs):
                break
            start_after = kvs[-1].key
        token = ""
        if limit and more and kvs:
            token = listing.encode_continue(revision, kvs[-1].key, prefix)
        return listing.list_envelope(info, items, revision, token)

    def _range_at(self, prefix: str, start_after: str | None, revision: int,
                  limit: int) -> tuple[list[Any], int, bool]:
        """One page of keys, read at ``revision`` so every page of a paged list
        shows the same instant (0 = now)."""
        try:
            return self.store.range(prefix, start_after=start_after, limit=limit,
                                    revision=revision or None)
        except CompactedError:
            raise errors.resource_expired(
                "The provided continue parameter is too old to display a consistent list "
                "result. You can start a new list without the continue parameter, or use the "
                "continue token in this response to retrieve the remainder of the results. "
                "Continuing with the provided token results in an inconsistent list - objects "
                "that were created, modified, or deleted between the time the first chunk was "
                "returned and now may show up in the list.") from None

    def watch(self, resource: ResourceLike, namespace: str | None = None, *,
              label_selector: str | None = None, field_selector: str | None = None,
              resource_version: str | None = None, allow_bookmarks: bool = False,
              user: UserInfo | None = None) -> Watch:
        """Changes to matching objects.

        ``resource_version`` unset or "0": every current object as ADDED, then
        changes (upstream's "Get State and Start at Most Recent"). A specific
        revision: exactly the changes after it, or 410 Expired if compacted.
        """
        info = self.info(resource)
        self._authorize(user, "watch", info, namespace if info.namespaced else None)
        matcher = listing.make_matcher(info, label_selector, field_selector)
        prefix = info.key_prefix + (f"{namespace}/" if info.namespaced and namespace else "")
        if resource_version in (None, "", "0"):
            kvs, revision, _ = self.store.range(prefix)
            initial = [o for o in (meta.decode(kv.value, kv.mod_revision) for kv in kvs)
                       if matcher is None or matcher(o)]
            return self.cache.watch(info, prefix, matcher, since=revision, initial=initial,
                                    bookmarks=allow_bookmarks)
        since = _parse_rv(resource_version)
        return self.cache.watch(info, prefix, matcher, since=since, initial=None,
                                bookmarks=allow_bookmarks)

    # -- create ----------------------------------------------------------------
    def create(self, resource: ResourceLike, obj: Obj, *, namespace: str | None = None,
               dry_run: bool = False, field_manager: str | None = None,
               field_validation: str = "Warn", user: UserInfo | None = None,
               warnings: list[str] | None = None, owned: bool = False) -> Obj:
        """Create an object. ``owned``: an in-process caller hands ``obj`` over
        (built of JSON values, sharing nothing the server may write), so it is
        not copied first (:func:`decode_request`), and takes the result read
        only: it is the very object the watchers get. Off for everyone else."""
        info = self.info(resource)
        obj = decode_request(info, obj, field_validation, warnings, owned=owned)
        ns = self._namespace(info, namespace, obj)
        self._authorize(user, "create", info, ns)  # upstream names no object on create
        strategy = strategy_for(info)
        m = obj["metadata"]
        attrs = Attributes("CREATE", info, ns, m.get("name", ""), user=user, dry_run=dry_run)
        # A pod of a template seen before: defaults, admission's mutations,
        # PrepareForCreate and the spec's validation as remembered (createplan.py).
        plan = self._pod_plans.find(self, strategy, attrs, obj) if info.plural == "pods" else None
        if type(plan) is not Plan:
            strategy.default(obj)
        if m.get("resourceVersion"):
            raise errors.bad_request("resourceVersion should not be set on objects to be created")
        if type(plan) is Plan:
            late = plan.admit(self, attrs, obj)
        else:
            self.admission.admit(attrs, obj)
        generated = not m.get("name") and bool(m.get("generateName"))
        self._fill_system_fields(obj)
        if not m.get("name"):
            raise errors.invalid_object(info.kind, info.group, "", [errors.required(
                "metadata.name", "name or generateName is required")])
        if type(plan) is Plan:
            plan.prepare(obj, late)
            self._check(info, obj, metadata_errors(obj))
        else:
            strategy.prepare_for_create(obj)
            self._check(info, obj, strategy.validate(obj))
        self.admission.validate(attrs, obj)
        if plan is not None and type(plan) is not Plan:
            self._remember_plan(plan, obj, attrs, generated)
        if field_manager:
            obj = patch.update_managed_fields(None, obj, field_manager, "Update",
                                              definition=strategy.definition, now=self._now())
            m = obj["metadata"]  # a new object: stamp the result, not the input
        hooks = hooks_for(self, info)
        hooks.before_create(obj, dry_run)
        if dry_run:
            return obj
        kv = self._store_create(info.key(ns, m["name"]), obj, owned)
        for _ in range(GENERATE_NAME_RETRIES if generated else 0):
            if kv is not None:
                break
            # RetryGenerateName (beta, on by default since 1.30): a clash of a
            # generated name is retried with a new suffix before giving up.
            m["name"] = self.identity.generate_name(m["generateName"])
            kv = self._store_create(info.key(ns, m["name"]), obj, owned)
        if kv is None:
            hooks.create_failed(obj)
            raise errors.already_exists(info.plural, info.group, m["name"])
        m["resourceVersion"] = str(kv.mod_revision)
        return obj

    def _remember_plan(self, recording: Recording, obj: Obj, attrs: Attributes,
                       generated: bool) -> None:
        """Remember what this pod create made of its template, for the next."""
        m = obj["metadata"]
        name, uid, stamp = m["name"] if generated else None, m["uid"], m["creationTimestamp"]
        self._pod_plans.remember(
            recording, obj, attrs, lambda o: _set_system_fields(o["metadata"], name, uid, stamp))

    def _store_create(self, key: str, obj: Obj, shared: bool) -> Any:
        """Create ``key``; a ``shared`` object goes to the watchers as it is."""
        value = meta.encode(obj)
        if not shared:
            return self.store.create(key, value)
        self.cache.hint(key, value, obj)
        kv = self.store.create(key, value)
        if kv is None:
            self.cache.unhint(key)
        return kv

    def _fill_system_fields(self, obj: Obj) -> None:
        """``rest.FillObjectMetaSystemFields`` plus generateName."""
        m = obj["metadata"]
        name = None
        if not m.get("name") and m.get("generateName"):
            name = self.identity.generate_name(m["generateName"])
        _set_system_fields(m, name, self.identity.uid(), self._now())

    def _now(self) -> str:
        """``clock.rfc3339()`` (second precision), formatted once per second."""
        clock = self.clock
        if type(clock).rfc3339 is not Clock.rfc3339:
            return clock.rfc3339()
        second = int(clock.now())
        if second != self._now_second:
            self._now_text = clock.rfc3339(second)
            self._now_second = second
        return self._now_text

    @staticmethod
    def _check(info: ResourceInfo, obj: Obj, errs: list[errors.FieldError]) -> None:
        if errs:
            raise errors.invalid_object(info.kind, info.group, meta.name_of(obj), errs)

    # -- update ------------------------------------------------------------------
    def update(self, resource: ResourceLike, obj: Obj, *, namespace: str | None = None,
               subresource: str = "", dry_run: bool = False, field_manager: str | None = None,
               field_validation: str = "Warn", user: UserInfo | None = None,
               warnings: list[str] | None = None, owned: bool = False) -> Obj:
        """Replace an object; ``metadata.resourceVersion``, when sent, must be current.

        ``owned``: as for :meth:`create`, except that parts below the top
        level, ``metadata`` and ``status`` may be shared with read-only
        objects when this write never changes them (a status write takes the
        rest from the stored object): e.g. ``{**cached_pod, "status": new}``."""
        jsonbytes.enter()
        try:
            return self._replace(resource, obj, namespace, subresource, dry_run, field_manager,
                                 field_validation, user, warnings, owned)
        finally:
            jsonbytes.leave()

    def _replace(self, resource: ResourceLike, obj: Obj, namespace: str | None,
                 subresource: str, dry_run: bool, field_manager: str | None,
                 field_validation: str, user: UserInfo | None, warnings: list[str] | None,
                 owned: bool) -> Obj:
        """:meth:`update`'s work; the parts it shares with the stored object
        are remembered in :mod:`jsonbytes` until ``update`` returns."""
        info = self.info(resource)
        # The stored object first, so the schema check can skip what the
        # update leaves as it was; errors keep their order (nothing raises here).
        key = self._key_of(info, namespace, obj)
        kv = self.store.get(key) if key else None
        if kv is not None and not owned and strategy_for(info).shares_unchanged_parts:
            # Old and the copy share what the update leaves as it was.
            obj, old = decode_update(info, obj, field_validation, warnings, kv.value,
                                     kv.mod_revision)
        else:
            old = None if kv is None else self._old(key, kv, owned)
            if owned:
                obj = owned_copy(obj)
            obj = decode_request(info, obj, field_validation, warnings, owned=owned, old=old)
        ns = self._namespace(info, namespace, obj)
        name = meta.name_of(obj)
        if not name:
            raise errors.bad_request("name is required")
        self._check_subresource(info, subresource)
        self._authorize(user, "update", info, ns, name, subresource)
        if key != info.key(ns, name):  # the body's name or namespace was not plain
            jsonbytes.forget()  # parts shared with an object this update does not replace
            key = info.key(ns, name)
            kv = self.store.get(key)
            old = None if kv is None else self._old(key, kv, owned)
        if kv is None:
            if strategy_for(info).allow_create_on_update and not subresource:
                # Not owned: deeper parts of an owned update's body may be shared.
                return self.create(info, obj, namespace=ns, dry_run=dry_run,
                                   field_manager=field_manager, user=user)
            raise errors.not_found(info.plural, info.group, name)
        return self._update(info, obj, old, kv.mod_revision, subresource=subresource,
                            dry_run=dry_run, field_manager=field_manager, user=user,
                            owned=owned)

    def _check_subresource(self, info: ResourceInfo, subresource: str) -> None:
        if subresource and subresource not in info.subresources:
            raise errors.not_found(f"{info.plural}/{subresource}", info.group, "")

    def _update(self, info: ResourceInfo, new: Obj, old: Obj, revision: int, *,
                subresource: str = "", dry_run: bool = False, field_manager: str | None = None,
                user: UserInfo | None = None, operation: str = "Update",
                owned: bool = False) -> Obj:
        """The update of ``old`` (at ``revision``) to ``new``; ``old`` is only
        read (it may be the watch cache's shared object).

        ``owned``: the caller takes the result read only, so ``new`` goes to
        the watchers as it is (it may share parts of ``old``: the status or
        spec a strategy keeps)."""
        name, ns = meta.name_of(old), meta.namespace_of(old)
        sent_rv = new.get("metadata", {}).get("resourceVersion")
        main = strategy_for(info)
        if sent_rv and sent_rv != str(revision):
            raise errors.conflict(info.plural, info.group, name)
        if not sent_rv and not main.allow_unconditional_update:
            raise errors.invalid_object(info.kind, info.group, name, [errors.invalid(
                "metadata.resourceVersion", 0, "must be specified for an update")])
        self._carry_system_fields(info, new, old)
        strategy = subresource_strategy(info, subresource)
        if not subresource:
            main.default(new)
        # Mutating admission, then PrepareForUpdate and validation, then
        # validating admission (upstream's update transformers and BeforeUpdate).
        attrs = Attributes("UPDATE", info, ns, name, subresource=subresource, old=old, user=user,
                           dry_run=dry_run)
        self.admission.admit(attrs, new)
        strategy.prepare_for_update(new, old)
        self._check(info, new, strategy.validate_update(new, old))
        self.admission.validate(attrs, new)
        if field_manager:
            new = patch.update_managed_fields(old, new, field_manager, operation,
                                              definition=main.definition, now=self._now(),
                                              subresource=subresource)
        new["metadata"]["resourceVersion"] = str(revision)
        if new == old:
            return new
        hooks = hooks_for(self, info)
        hooks.before_update(new, old, dry_run)
        if dry_run:
            return new
        if self._finalized(new, info):
            return self._remove(info, new, revision)
        key = info.key(ns, name)
        value = meta.encode(new)
        if owned:
            self.cache.hint(key, value, new)
        kv = self.store.update(key, value, revision)
        if kv is None:
            if owned:
                self.cache.unhint(key)
            hooks.update_failed(new, old)
            raise errors.conflict(info.plural, info.group, name)
        hooks.after_update(new, old)
        new["metadata"]["resourceVersion"] = str(kv.mod_revision)
        return new

    @staticmethod
    def _carry_system_fields(info: ResourceInfo, new: Obj, old: Obj) -> None:
        """``rest.BeforeUpdate``: fields clients cannot change come from the old object."""
        nm, om = new.setdefault("metadata", {}), old["metadata"]
        if nm.get("uid") and nm["uid"] != om.get("uid"):
            raise errors.conflict(
                info.plural, info.group, om.get("name", ""),
                f"Precondition failed: UID in precondition: {nm['uid']}, UID in object meta: "
                f"{om.get('uid', '')}")
        for field in ("uid", "creationTimestamp", "deletionTimestamp",
                      "deletionGracePeriodSeconds"):
            if field in om:
                nm[field] = om[field]
            else:
                nm.pop(field, None)
        if "managedFields" not in nm and "managedFields" in om:
            nm["managedFields"] = om["managedFields"]

    # -- patch -------------------------------------------------------------------
    def patch(self, resource: ResourceLike, name: str, body: Any, patch_type: str, *,
              namespace: str | None = None, subresource: str = "", dry_run: bool = False,
              field_manager: str | None = None, force: bool = False,
              field_validation: str = "Warn", user: UserInfo | None = None,
              warnings: list[str] | None = None) -> Obj:
        """Apply a JSON, merge, strategic-merge or apply patch, retrying on a
        concurrent write as the patch handler does."""
        info = self.info(resource)
        ns = self._namespace(info, namespace)
        self._check_subresource(info, subresource)
        self._authorize(user, "patch", info, ns, name, subresource)
        definition = strategy_for(info).definition
        for _ in range(PATCH_RETRIES):
            kv = self.store.get(info.key(ns, name))
            if patch_type == patch.APPLY_PATCH:
                return self._apply(info, ns, name, body, kv, dry_run=dry_run, force=force,
                                   field_manager=field_manager, subresource=subresource,
                                   field_validation=field_validation, warnings=warnings)
            if kv is None:
                raise errors.not_found(info.plural, info.group, name)
            old = meta.decode(kv.value, kv.mod_revision)
            patched = patch.apply_patch(patch_type, old, body, definition)
            patched = decode_request(info, patched, field_validation, warnings)
            patched.setdefault("metadata", {}).setdefault("resourceVersion",
                                                          str(kv.mod_revision))
            precondition = patched["metadata"]["resourceVersion"] != str(kv.mod_revision)
            try:
                return self._update(info, patched, old, kv.mod_revision, subresource=subresource,
                                    dry_run=dry_run, field_manager=field_manager, user=user)
            except errors.StatusError as err:
                if err.reason != "Conflict" or precondition:
                    raise
        raise errors.conflict(info.plural, info.group, name)

    def bind(self, name: str, node: str, *, namespace: str = "default", uid: str = "",
             annotations: dict[str, str] | None = None, user: UserInfo | None = None,
             dry_run: bool = False) -> Obj:
        """POST ``pods/<name>/binding``: assign the pod to ``node``."""
        info = self.info("pods")
        self._authorize(user, "create", info, namespace, name, "binding")
        return binding.bind(self, name, node, namespace=namespace, uid=uid,
                            annotations=annotations, dry_run=dry_run)

    def _apply(self, info: ResourceInfo, ns: str, name: str, body: Any, kv: Any, *,
               dry_run: bool, force: bool, field_manager: str | None, subresource: str,
               field_validation: str, warnings: list[str] | None) -> Obj:
        """Server-side apply: merge the applied configuration by field ownership
        (a missing field manager is refused by ``server_side_apply`` with 422)."""
        config = decode_request(info, body, field_validation, warnings)
        live = meta.decode(kv.value, kv.mod_revision) if kv is not None else None
        merged = patch.server_side_apply(live, config, field_manager or "", force=force,
                                         definition=strategy_for(info).definition,
                                         now=self._now(), subresource=subresource)
        if live is None:
            merged.get("metadata", {}).pop("resourceVersion", None)
            return self.create(info, merged, namespace=ns, dry_run=dry_run)
        merged["metadata"]["resourceVersion"] = str(kv.mod_revision)
        return self._update(info, merged, live, kv.mod_revision, subresource=subresource,
                            dry_run=dry_run)


def _set_system_fields(m: Obj, name: str | None, uid: str, stamp: str) -> None:
    """The fields ``_fill_system_fields`` sets (``name``: a generated one, or None)."""
    if name is not None:
        m["name"] = name
    m["uid"] = uid
    m["creationTimestamp"] = stamp
    m.pop("deletionTimestamp", None)
    m.pop("deletionGracePeriodSeconds", None)


def _parse_rv(rv: str) -> int:
    try:
        value = int(rv)
    except ValueError:
        raise errors.bad_request(f'invalid resource version "{rv}"') from None
    if value < 0:
        raise errors.bad_request(f'invalid resource version "{rv}"')
    return value
