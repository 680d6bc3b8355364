"""The audit trail's exceptions, in one small hierarchy.

The proxy fails closed on any `AuditError` (the request is refused), so it only needs to
catch the base class. Messages are written to be logged as they are: they may name key ids,
record ids and request ids, never key material, payload values or database parameters.
"""

from __future__ import annotations


class AuditError(Exception):
    """Anything that stops the audit trail from recording or reading a record."""


class AuditKeyError(AuditError):
    """A key is missing, malformed, or does not authenticate a ciphertext."""


class AuditErasedError(AuditKeyError):
    """The payload is gone on purpose: its data key was destroyed (end-user erasure, or a
    purge) or the payload itself was purged. Not a corruption: the trail says when and by
    which entry. `reason` is "erasure" or "purge"."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class AuditStoreError(AuditError):
    """The database refused or could not be reached."""


class AccessNotRecorded(AuditError):
    """The access entry (who decrypts, and why) could not be committed, so nothing was
    decrypted; the message is that of the error that stopped it (`__cause__`)."""
