"""Voile's audit trail: encrypted, chained, signed entries for compliance officers.

`events` (what the proxy hands over) → `store` (SQLite/PostgreSQL, one hash chain under a
head-row lock) with `envelope` (data keys wrapped by a `keys.KeyProvider`) and `chain`
(canonical form, hashes, MACs); `writer` (the group-committing writer thread, checkpoints)
and `checkpoints` (Ed25519, the sink); `verify` (offline verification, sans I/O);
`migrations` (schema v1 → v2); `continuity` (who may create a trail, and the start-up
check of a trail against its checkpoints); `cli` (what `voile audit` prints).

This package never imports `proxy`: the proxy hands it plain values (`AuditEvent`).
"""
