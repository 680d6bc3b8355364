"""What the parts of `AuditStore` (`audit.retention`, `audit.review`) use of one another: the
store's transaction, its write lock and append step, its keys. A Protocol, so that each part
is type-checked against the store it extends without importing it."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection, Engine

from audit.envelope import DataKeys
from audit.events import Entry
from audit.models import AuditRecord

if TYPE_CHECKING:
    from audit.store import Appended


class StoreCore(Protocol):
    keys: DataKeys
    _engine: Engine
    _write_lock: AbstractContextManager[Any]

    @property
    def backend(self) -> str: ...

    def _transaction(
        self,
        *,
        immediate: bool = False,
        timeout: float | None = None,
        rollback: bool = False,
    ) -> AbstractContextManager[Connection]: ...

    def _database_errors(self, action: str) -> AbstractContextManager[None]: ...

    def append(
        self, entries: Sequence[Entry], *, timeout: float | None = None
    ) -> list[Appended]: ...

    def _append_locked(
        self,
        conn: Connection,
        entries: Sequence[Entry],
        plaintexts: Sequence[bytes | None],
        *,
        extra: Any = None,
    ) -> list[Appended]: ...

    def _pseudonym(self, conn: Connection, app: str, end_user: str) -> str: ...

    # Each part's own steps, which the other methods of that part call.
    def _destroy_keys(
        self,
        conn: Connection,
        key_ids: list[str],
        *,
        reason: str,
        seq: int,
    ) -> None: ...

    def _scrub(self) -> None: ...

    def get(self, seq: int) -> AuditRecord | None: ...

    def decrypt_entry(self, record: AuditRecord) -> dict[str, Any]: ...
