"""Helpers shared by the audit tests: a realistic event, raw access to each backend, a
schema-v1 trail to migrate.

Raw access goes around the store on purpose: tests use it to tamper with rows and to read
what the database really holds, which the store's own API would never show.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from audit.envelope import v1_aad
from audit.events import AuditEvent, Decision
from audit.keys import Keyring
from audit.migrations import V1_METADATA, V1_RECORDS, V1_VERSIONS

POSTGRES_URL = os.environ.get(
    "VOILE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@dataclass
class Backend:
    """A store URL plus raw access to the same database, bypassing the store."""

    name: str
    url: str
    execute: Callable[..., list[tuple[Any, ...]]]  # (sql with %s, *params) -> rows; commits
    stored_bytes: Callable[[], bytes]  # everything the database holds for audit, as bytes


def make_event(**overrides: Any) -> AuditEvent:
    """A realistic forwarded request; tests override what they look at."""
    values: dict[str, Any] = {
        "request_id": "req-0001",
        "occurred_at": datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=UTC),
        "app": "hr-assistant",
        "provider": "openai",
        "route": "/openai/v1/chat/completions",
        "decision": Decision.FORWARDED,
        "status": 200,
        "model": "gpt-4o-mini",
        "policy_name": "default",
        "policy_hash": "ab" * 32,
        "entity_counts": {"PERSON": 1, "EMAIL_ADDRESS": 2},
        "latency_ms": 412.5,
        "prompt_tokens": 57,
        "completion_tokens": 21,
        "payload": {
            "request": {"messages": [{"role": "user", "content": "Write to <PERSON_1>"}]},
            "response": {"choices": [{"message": {"content": "Dear <PERSON_1>"}}]},
            "entities": {"<PERSON_1>": "Jean Dupont"},
        },
    }
    values.update(overrides)
    return AuditEvent(**values)


def postgres_url(schema: str) -> str:
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def sqlite_backend(directory: Path) -> Backend:
    path = directory / "audit.db"

    def execute(statement: str, *params: Any) -> list[tuple[Any, ...]]:
        with contextlib.closing(sqlite3.connect(path)) as connection, connection:
            return connection.execute(statement.replace("%s", "?"), params).fetchall()

    def stored_bytes() -> bytes:
        # The WAL holds recent pages until a checkpoint: scan it too, not only the main file.
        return b"".join(p.read_bytes() for p in sorted(directory.glob("audit.db*")))

    return Backend("sqlite", f"sqlite:///{path}", execute, stored_bytes)


def postgres_backend(schema: str) -> Backend:
    def execute(statement: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(
            POSTGRES_URL, options=f"-csearch_path={schema}", autocommit=True
        ) as connection:
            cursor = connection.execute(statement.encode(), params)
            return cursor.fetchall() if cursor.description else []

    def stored_bytes() -> bytes:
        # Row text covers the clear columns; bytea renders as hex there, so the binary
        # columns' raw bytes are added as they are.
        rows = execute("SELECT t::text, coalesce(t.payload, ''::bytea) FROM audit_records t")
        rows += execute("SELECT t::text, coalesce(t.wrapped, ''::bytea) FROM audit_data_keys t")
        for table in ("audit_schema_version", "audit_chain_head"):
            rows += execute(f"SELECT t::text, ''::bytea FROM {table} t")
        return b"".join(text.encode() + bytes(payload) for text, payload in rows)

    return Backend("postgresql", postgres_url(schema), execute, stored_bytes)


def write_v1_trail(url: str, keyring: Keyring, events: list[AuditEvent]) -> list[int]:
    """A database exactly as the first audit version left it: v1 tables, v1 version row,
    payloads encrypted directly under the keyring, bound to their request id. Returns ids."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed.set(drivername=_driver(url)))
    try:
        with engine.begin() as conn:
            V1_METADATA.create_all(conn)
            conn.execute(V1_VERSIONS.insert().values(version=1, applied_at=datetime.now(UTC)))
            ids = []
            for event in events:
                plaintext = json.dumps(event.payload, ensure_ascii=False).encode()
                kid, blob = keyring.encrypt(plaintext, v1_aad(event.request_id))
                result = conn.execute(
                    V1_RECORDS.insert().values(
                        request_id=event.request_id,
                        occurred_at=event.occurred_at,
                        app=event.app,
                        provider=event.provider,
                        route=event.route,
                        model=event.model,
                        policy_name=event.policy_name,
                        policy_hash=event.policy_hash,
                        decision=event.decision.value,
                        status=event.status,
                        error_code=event.error_code,
                        entity_counts=json.dumps(
                            event.entity_counts, sort_keys=True, separators=(",", ":")
                        ),
                        latency_ms=event.latency_ms,
                        prompt_tokens=event.prompt_tokens,
                        completion_tokens=event.completion_tokens,
                        unresolved_placeholders=event.unresolved_placeholders,
                        key_id=kid,
                        payload=blob,
                    )
                )
                ids.append(int(result.inserted_primary_key[0]))
    finally:
        engine.dispose()
    return ids


def _driver(url: str) -> str:
    return "postgresql+psycopg" if url.startswith("postgres") else "sqlite"
