"""The proxy's side of the audit trail: hand records to the store without blocking the loop.

The store is synchronous (SQLAlchemy); writes go to one dedicated thread, which keeps them in
order and keeps a slow disk or database from stalling streams. A write that fails or does not
finish in time raises `AuditUnavailable`, and the caller refuses to deliver the answer.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from audit.events import AuditEvent
from audit.store import AuditStore
from proxy.errors import AuditUnavailable
from proxy.logging import get_logger

log = get_logger("voile.audit")


class AuditWriter:
    def __init__(self, store: AuditStore, timeout_seconds: float) -> None:
        self.store = store
        self._timeout = timeout_seconds
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="voile-audit")

    async def write(self, event: AuditEvent) -> int:
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(
                loop.run_in_executor(self._thread, self.store.write, event), self._timeout
            )
        except Exception as exc:
            # The exception text may come from the database driver; log its type only.
            log.error("audit_write_failed", request_id=event.request_id,
                      error_type=type(exc).__name__)
            raise AuditUnavailable(
                "The audit trail cannot record this request, so its answer is withheld."
            ) from None

    async def close(self) -> None:
        # Pending writes finish before the store closes: shutdown drains, it does not drop.
        await asyncio.get_running_loop().run_in_executor(None, self._thread.shutdown, True)
        self.store.close()
