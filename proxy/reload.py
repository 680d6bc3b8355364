"""Hot reload of the policies: a change under `policies_dir`, or SIGHUP, swaps in the new
policies without a restart, or keeps the running ones if the change is invalid.

1. **One reference swap.** The policies, and which app runs under which (`AppDirectory`),
   are one immutable `PolicySet`, built whole and validated off the event loop; the proxy
   holds it in `Services.policies`. A request takes its app and policy from the set current
   when it is identified (`proxy.app.identify`) and keeps them to its end, whatever is
   swapped in meanwhile: no request ever sees half of a change.
2. **The version is the content.** `PolicySet.version` is the SHA-256 of every policy
   file's name and bytes, so replicas that read the same directory compute the same version
   without talking to each other; a replica that missed an event converges at its next
   periodic check (`policy_reload.check_seconds`). Each request's audit record names the
   hash of the policy it ran under (`Policy.sha256`, which covers the files it extends).
3. **A torn read is not a change.** A file written in place is read while half-written now
   and then: the directory is hashed before and after loading, and a load during which it
   changed is thrown away and retried, never swapped in nor reported as invalid.
4. **An invalid change keeps the last good policies running**: it is logged as an error
   naming each file, line and key at fault (never the values: a policy may hold names in its
   allow-list or its tests), recorded in the audit trail once per content, and counted.
5. **Every change is an audit entry** (`policy_change`: old and new versions, the files
   changed with their hashes, every policy's new hash), committed *before* the swap, so that
   no request under the new version precedes its entry in the trail. If the entry cannot be
   written, the running policies stay and the change is retried.
6. **The detection cache needs no flush**: its key covers the policy's hash
   (`proxy.detection.cache.Scope`), so a changed policy misses while the others keep their
   entries, and old entries age out of the LRU.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import secrets
import socket
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from audit.events import Entry, EntryKind
from proxy.apps import AppDirectory
from proxy.config import Config
from proxy.errors import AuditUnavailable
from proxy.logging import get_logger
from proxy.policy import Policy, load_policies
from proxy.yamlfile import ConfigError

if TYPE_CHECKING:
    from proxy.auditing import AuditWriter
    from proxy.metrics import Metrics

log = get_logger("voile.policies")

RETRY_SECONDS = 1.0  # after a torn read or an unwritable audit entry
STOP_SECONDS = 2.0  # at shutdown, for the watcher's thread and a reload in progress


def supported_entities() -> frozenset[str]:
    from proxy.detection.entities import SUPPORTED_ENTITIES  # noqa: PLC0415

    return frozenset(SUPPORTED_ENTITIES)


def load_runtime_policies(config: Config) -> dict[str, Policy]:
    return dict(
        load_policies(
            config.policies_dir,
            known_entities=supported_entities(),
            languages=set(config.detection.models),
        )
    )


def directory_files(directory: Path) -> dict[str, str]:
    """Policy file name -> SHA-256 of its bytes, for every ``*.yaml`` the loader reads."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.glob("*.yaml"))
    }


def set_version(files: Mapping[str, str]) -> str:
    """The version of a policies directory: its files' names and contents, nothing else
    (not times, not paths), so that every replica computes the same one."""
    digest = hashlib.sha256(b"voile/policies/v1\n")
    for name, sha in sorted(files.items()):
        digest.update(f"{name}\0{sha}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class PolicySet:
    """Every policy of the directory and the apps that run under them, at one version."""

    version: str
    files: Mapping[str, str]  # file name -> SHA-256 of its bytes
    policies: Mapping[str, Policy]
    apps: AppDirectory


class Unsettled(Exception):
    """The directory changed while it was read (point 3)."""


def load_policy_set(config: Config) -> PolicySet:
    """The policies directory, validated whole; ConfigError if it is invalid, Unsettled if
    it changed while it was read. Blocking file reads: call it off the event loop."""
    directory = config.policies_dir
    try:
        before = directory_files(directory) if directory.is_dir() else {}
        policies = load_runtime_policies(config)
        apps = AppDirectory(config, policies)
        after = directory_files(directory)
    except (OSError, UnicodeDecodeError) as exc:  # a file removed or replaced mid-read
        raise Unsettled(type(exc).__name__) from None
    if before != after:
        raise Unsettled("changed while read")
    return PolicySet(set_version(after), after, policies, apps)


_LOCATION = re.compile(r"^(?P<where>.+?\.yaml:\d+)(?: (?P<key>[^\s:]+):)?")


def error_locations(error: ConfigError) -> list[str]:
    """Where each problem of an invalid policies directory is: `file:line key`, without the
    message, which may quote the value at fault (point 4). Messages without a location
    (an app naming a missing policy) are made of configured names only."""
    found: list[str] = []
    for line in str(error).splitlines():
        match = _LOCATION.match(line)
        if match is not None:
            key = match.group("key")
            found.append(f"{match.group('where')} {key}" if key else match.group("where"))
        elif line.startswith(("app ", "anonymous_app:")):
            found.append(line)
        elif line.strip():
            found.append("policies directory (see `voile policy check`)")
    return found


def changed_files(
    old: Mapping[str, str], new: Mapping[str, str]
) -> dict[str, dict[str, str | None]]:
    """File name -> its old and new hash (None: absent), for the files that differ."""
    return {
        name: {"old": old.get(name), "new": new.get(name)}
        for name in sorted({*old, *new})
        if old.get(name) != new.get(name)
    }


class Trigger(StrEnum):
    START = "start"  # the check made once serving, for changes made while starting
    WATCH = "watch"  # a file-system event under policies_dir
    CHECK = "check"  # the periodic check (replicas on a shared directory converge)
    SIGHUP = "sighup"
    RETRY = "retry"


class Result(StrEnum):
    APPLIED = "applied"
    REJECTED = "rejected"
    UNCHANGED = "unchanged"
    DEFERRED = "deferred"  # torn read, or the audit entry could not be written: retried


class HoldsPolicies(Protocol):
    """Where the running policies are: `proxy.relay.Services`."""

    policies: PolicySet


class PolicyReloader:
    """Loads, validates and swaps in the policies (see the module docstring); one reload at
    a time. `holder.policies` is the one reference requests read; only `reload` replaces it."""

    def __init__(
        self,
        config: Config,
        holder: HoldsPolicies,
        audit: AuditWriter,
        metrics: Metrics | None = None,
    ) -> None:
        self.config = config
        self._holder = holder
        self._audit = audit
        self._metrics = metrics
        self._lock = asyncio.Lock()
        self._rejected: str | None = None  # the version last rejected, audited once
        self._tasks: set[asyncio.Task[Result]] = set()
        self._retry: asyncio.TimerHandle | None = None
        self._stop = asyncio.Event()
        self._running: list[asyncio.Task[None]] = []
        self.replica = f"{socket.gethostname()}/{os.getpid()}"
        if metrics is not None:
            metrics.policy_version(holder.policies.version)

    @property
    def current(self) -> PolicySet:
        return self._holder.policies

    def request(self, trigger: Trigger) -> asyncio.Task[Result]:
        """Start a reload from a callback (signal handler, timer); it runs in the background."""
        task = asyncio.get_running_loop().create_task(self.reload(trigger))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def reload(self, trigger: Trigger) -> Result:
        async with self._lock:
            result = await self._reload(trigger)
        if self._metrics is not None and result is not Result.UNCHANGED:
            self._metrics.policy_reload(result.value)
        return result

    async def _reload(self, trigger: Trigger) -> Result:
        current = self.current
        try:
            candidate = await asyncio.to_thread(load_policy_set, self.config)
        except Unsettled:
            log.info("policies_unsettled", trigger=trigger.value, retry_seconds=RETRY_SECONDS)
            self._schedule_retry()
            return Result.DEFERRED
        except ConfigError as exc:
            return await self._reject(trigger, current, exc)
        if candidate.version == current.version:
            self._rejected = None
            log.info("policies_unchanged", trigger=trigger.value, version=current.version[:12])
            return Result.UNCHANGED
        files = changed_files(current.files, candidate.files)
        entry = self._entry(
            {
                "result": Result.APPLIED.value,
                "trigger": trigger.value,
                "old": current.version,
                "new": candidate.version,
                "files": files,
                "policies": {name: p.sha256 for name, p in sorted(candidate.policies.items())},
            }
        )
        try:
            await self._audit.record(entry)
        except AuditUnavailable:
            log.error(
                "policy_reload_unaudited",
                trigger=trigger.value,
                version=current.version[:12],
                candidate=candidate.version[:12],
                note="the running policies stay until the change can be recorded",
            )
            self._schedule_retry()
            return Result.DEFERRED
        self._holder.policies = candidate  # the swap: requests identified from now on take it
        self._rejected = None
        if self._metrics is not None:
            self._metrics.policy_version(candidate.version)
        log.warning(
            "policies_reloaded",
            trigger=trigger.value,
            old=current.version[:12],
            new=candidate.version[:12],
            files=sorted(files),
            policies=sorted(candidate.policies),
        )
        return Result.APPLIED

    async def _reject(self, trigger: Trigger, current: PolicySet, error: ConfigError) -> Result:
        where = error_locations(error)
        try:
            files = await asyncio.to_thread(directory_files, self.config.policies_dir)
        except OSError:
            files = {}
        candidate = set_version(files)
        log.error(
            "policy_reload_rejected",
            trigger=trigger.value,
            running=current.version[:12],
            candidate=candidate[:12],
            errors=where,
            note="the running policies stay; fix the files (voile policy check)",
        )
        if candidate == self._rejected:
            return Result.REJECTED  # this content's rejection is in the trail already
        entry = self._entry(
            {
                "result": Result.REJECTED.value,
                "trigger": trigger.value,
                "old": current.version,
                "new": candidate,
                "files": changed_files(current.files, files),
                "errors": where,
            }
        )
        try:
            await self._audit.record(entry)
        except AuditUnavailable:
            log.error("policy_reload_rejection_unaudited", candidate=candidate[:12])
            return Result.REJECTED
        self._rejected = candidate
        return Result.REJECTED

    def _entry(self, details: dict[str, object]) -> Entry:
        return Entry(
            kind=EntryKind.POLICY_CHANGE,
            request_id=f"policy-change-{secrets.token_hex(8)}",
            occurred_at=datetime.now(UTC),
            app="-",
            actor=self.replica,
            details={**details, "replica": self.replica},
        )

    def _schedule_retry(self) -> None:
        if self._retry is not None or self._stop.is_set():
            return

        def retry() -> None:
            self._retry = None
            self.request(Trigger.RETRY)

        self._retry = asyncio.get_running_loop().call_later(RETRY_SECONDS, retry)

    # -- watching ------------------------------------------------------------------------

    async def watch(self) -> None:
        """Reload on every change under `policies_dir` (watchfiles: inotify, or polling)."""
        from watchfiles import awatch  # noqa: PLC0415 - only when watching

        settings = self.config.policy_reload
        while not self._stop.is_set():
            try:
                async for _ in awatch(
                    self.config.policies_dir,
                    stop_event=self._stop,
                    debounce=settings.debounce_ms,
                    step=min(50, settings.debounce_ms),
                    force_polling=settings.force_polling or None,
                    recursive=False,
                ):
                    await self.reload(Trigger.WATCH)
            except (OSError, RuntimeError) as exc:  # the directory gone, watch limits…
                log.error(
                    "policy_watch_failed",
                    error_type=type(exc).__name__,
                    note="retrying; the periodic check still runs",
                )
                await self._sleep(max(settings.check_seconds, RETRY_SECONDS))

    async def check_periodically(self) -> None:
        """Re-read the directory's hashes every `check_seconds`; reload if they differ."""
        every = self.config.policy_reload.check_seconds
        while not await self._sleep(every):
            try:
                files = await asyncio.to_thread(directory_files, self.config.policies_dir)
            except OSError:
                continue
            version = set_version(files)
            if version not in (self.current.version, self._rejected):
                await self.reload(Trigger.CHECK)

    async def _sleep(self, seconds: float) -> bool:
        """Sleep, or return True at once when stopped."""
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except TimeoutError:
            return False
        return True

    def start(self) -> list[asyncio.Task[None]]:
        """The background tasks of `policy_reload`: the watch, the periodic check."""
        loop = asyncio.get_running_loop()
        settings = self.config.policy_reload
        tasks = []
        if settings.watch:
            tasks.append(loop.create_task(self.watch()))
        if settings.check_seconds > 0:
            tasks.append(loop.create_task(self.check_periodically()))
        self._running = tasks
        self.request(Trigger.START)
        return tasks

    async def stop(self) -> None:
        """Stop watching; a reload in progress is given a moment to end, then cancelled."""
        self._stop.set()
        if self._retry is not None:
            self._retry.cancel()
        running: Collection[asyncio.Task[object]] = [*self._running, *self._tasks]
        if running:
            _, pending = await asyncio.wait(running, timeout=STOP_SECONDS)
            for task in pending:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
