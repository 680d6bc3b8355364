"""The audit trail seen from the proxy, with the official `openai` SDK as the client: write-
ahead before forwarding, fail closed when the store is down or hangs (nothing forwarded,
503 in OpenAI's shape, counted), the end user captured before masking and kept only as a
keyed hash, erasure, and a trail that verifies with the proxy's own checkpoints."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import json
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import openai
import pytest
from aiohttp.test_utils import TestServer

from audit.store import AuditStore
from proxy.app import SERVICES, open_audit_store
from proxy.cli import main
from proxy.config import Config, load_config
from tests.audit.support import postgres_url
from tests.fakes.openai_provider import FakeOpenAI, Reply
from tests.proxy.conftest import VoileFactory, audit_store_of, client_for

USER_ID = "jean.dupont@orange.fr"
PROMPT = [{"role": "user", "content": "Write to Jean Dupont about the invoice."}]


class TcpGate:
    """A TCP relay between the proxy and PostgreSQL that a test can cut (`refuse`: every
    connection reset, new ones closed) or freeze (`hang`: bytes held, nothing answered)."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.mode = "open"
        self.port = 0
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def refuse(self) -> None:
        self.mode = "refuse"
        for writer in list(self._writers):
            writer.close()

    async def close(self) -> None:
        self.refuse()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == "refuse":
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )
        for end in (writer, up_writer):
            self._writers.discard(end)
            end.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            for _ in range(6000):  # held while hanging; bounded (60 s)
                if self.mode != "hang":
                    break
                await asyncio.sleep(0.01)
            if self.mode == "refuse":
                break
            writer.write(data)
            await writer.drain()
        writer.close()


@pytest.fixture
async def gate(pg_schema: str) -> AsyncIterator[TcpGate]:
    gate = TcpGate("127.0.0.1", 5432)
    await gate.start()
    yield gate
    await gate.close()


def gated_url(schema: str, gate: TcpGate) -> str:
    return (
        postgres_url(schema).replace("127.0.0.1:5432", f"127.0.0.1:{gate.port}")
        + "&connect_timeout=2"
    )


async def ask(server: TestServer, **extra: Any) -> Any:
    async with client_for(server) as sdk:
        return await sdk.chat.completions.create(model="gpt-4o-mini", messages=PROMPT, **extra)


async def refused(server: TestServer) -> openai.APIStatusError:
    with pytest.raises(openai.InternalServerError) as caught:
        await ask(server)
    assert caught.value.status_code == 503
    assert caught.value.code == "audit_unavailable"
    assert caught.value.type == "api_error"
    return caught.value


def refused_count(server: TestServer) -> int:
    return server.app[SERVICES].audit.failed_writes


@pytest.mark.postgres
@pytest.mark.parametrize("failure", ["down", "hanging"])
async def test_nothing_is_forwarded_while_the_audit_store_is_down_or_hanging(
    failure: str,
    gate: TcpGate,
    pg_schema: str,
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
) -> None:
    config = make_config(audit={"url": gated_url(pg_schema, gate), "timeout_seconds": 0.5})
    # Opened off the loop: the gate relays on this very loop.
    store = await asyncio.get_running_loop().run_in_executor(
        None, functools.partial(open_audit_store, config, create=True)
    )
    server = await start_voile(config, audit_store=store)
    await ask(server)  # the store works: forwarded and recorded
    assert len(fake_openai.received) == 1

    if failure == "down":
        gate.refuse()
    else:
        gate.mode = "hang"
    started = asyncio.get_running_loop().time()
    error = await refused(server)
    assert asyncio.get_running_loop().time() - started < 3, "bounded by audit.timeout_seconds"
    assert "not forwarded" in error.message
    assert len(fake_openai.received) == 1, "nothing was forwarded"
    assert refused_count(server) >= 1, "counted"

    gate.mode = "open"  # held bytes flow again: the late write must not land
    await asyncio.sleep(0.3)
    await ask(server)
    assert len(fake_openai.received) == 2

    def read() -> tuple[list[Any], list[Any], Any]:
        with AuditStore(postgres_url(pg_schema), store.keys.provider) as direct:
            return (
                direct.list_records(limit=10),
                direct.list_records(limit=10, kind="intent"),
                direct.verify(),
            )

    for _ in range(50):  # the refusal's outcome follows from the writer's backlog
        requests, intents, report = await asyncio.get_running_loop().run_in_executor(None, read)
        if len(requests) == 3:
            break
        await asyncio.sleep(0.1)
    assert len(intents) == 2, "only the two forwarded requests left an intent"
    forwarded = [r for r in requests if r.decision == "forwarded"]
    assert [r.status for r in forwarded] == [200, 200]
    [refusal] = [r for r in requests if r.decision != "forwarded"]
    assert (refusal.status, refusal.error_code, refusal.subject_seq) == (
        503,
        "audit_unavailable",
        None,
    ), "recorded once the store was back"
    assert report.ok, report.findings


async def test_a_locked_store_refuses_within_the_timeout_and_writes_nothing_late(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
) -> None:
    config = make_config(audit={"timeout_seconds": 0.4})
    server = await start_voile(config)
    await ask(server)
    database = Path(config.audit_url.removeprefix("sqlite:///"))
    blocker = sqlite3.connect(database, isolation_level=None)
    try:
        blocker.execute("BEGIN EXCLUSIVE")  # another writer holds the file
        await refused(server)
        assert len(fake_openai.received) == 1
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    await asyncio.sleep(0.2)
    store = audit_store_of(config)
    try:
        assert len(store.list_records(limit=10, kind="intent")) == 1
        assert store.verify().ok
    finally:
        store.close()


async def test_the_intent_is_committed_before_the_provider_sees_anything(
    voile: TestServer,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
) -> None:
    seen: list[list[str]] = []

    def check_trail(body: dict[str, Any]) -> Reply:
        store = audit_store_of(make_config())
        try:
            seen.append([r.kind for r in store.list_records(incomplete=True)])
        finally:
            store.close()
        return Reply(content="Hello <PERSON_x>", chunk_sizes=[3])

    fake_openai.reply_factory = check_trail
    await ask(voile)
    async with client_for(voile) as sdk:
        stream = await sdk.chat.completions.create(model="m", messages=PROMPT, stream=True)
        async for _ in stream:
            pass
    assert seen == [["intent"], ["intent"]], "write-ahead, streamed or not"
    store = audit_store_of(make_config())
    try:
        for _ in range(100):  # the stream's outcome lands when the handler returns
            outcomes = store.list_records()
            if len(outcomes) == 2:
                break
            await asyncio.sleep(0.05)
        assert store.list_records(incomplete=True) == []
        for outcome in outcomes:
            [intent, same] = store.related(outcome)
            assert (intent.kind, same.seq, outcome.subject_seq) == (
                "intent",
                outcome.seq,
                intent.seq,
            )
            payload = store.decrypt_payload(outcome)
            assert {"masked_request", "entity_map", "response"} <= set(payload)
            assert "Jean Dupont" not in json.dumps(payload["masked_request"])
    finally:
        store.close()


async def test_an_answer_whose_outcome_cannot_be_written_is_withheld_and_says_so(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
) -> None:
    config = make_config(audit={"timeout_seconds": 0.4})
    server = await start_voile(config)
    database = Path(config.audit_url.removeprefix("sqlite:///"))
    blocker = sqlite3.connect(database, isolation_level=None)

    def lock_after_intent(body: dict[str, Any]) -> Reply:
        blocker.execute("BEGIN EXCLUSIVE")  # the intent is in; the outcome will not be
        return Reply()

    fake_openai.reply_factory = lock_after_intent
    try:
        with pytest.raises(openai.InternalServerError) as caught:
            await ask(server)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert caught.value.code == "audit_unavailable"
    assert "answer is withheld" in caught.value.message
    assert len(fake_openai.received) == 1, "the masked request did leave"
    store = audit_store_of(config)
    try:
        [incomplete] = store.list_records(incomplete=True)
        assert incomplete.decision == "forwarded"
        assert store.verify().incomplete_requests == 1
    finally:
        store.close()


async def test_the_end_user_is_captured_before_masking_and_kept_only_as_a_keyed_hash(
    voile: TestServer,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
) -> None:
    await ask(voile, user=USER_ID)
    async with client_for(voile, default_headers={"x-voile-end-user": "employee-42"}) as sdk:
        await sdk.chat.completions.create(model="m", messages=PROMPT, user=USER_ID)
    await ask(voile, safety_identifier="hashed-id-9")
    assert USER_ID not in fake_openai.everything_received(), "`user` is masked upstream"
    assert all("x-voile-end-user" not in {k.lower() for k in h} for h in fake_openai.headers)
    config = make_config()
    store = audit_store_of(config)
    try:
        by_user, by_header, by_safety = store.list_records()[::-1]
        assert by_user.end_user_hash == store.end_user_hash("support", USER_ID)
        assert by_header.end_user_hash == store.end_user_hash("support", "employee-42")
        assert by_safety.end_user_hash == store.end_user_hash("support", "hashed-id-9")
        assert by_user.key_id != by_header.key_id, "each end user has data keys of their own"
    finally:
        store.close()
    database = Path(config.audit_url.removeprefix("sqlite:///"))
    raw = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    for value in (USER_ID, "employee-42", "hashed-id-9", "Jean Dupont"):
        assert value.encode() not in raw


async def test_region_and_actions_per_type_reach_the_record(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    policies_dir: Path,
    upstream: TestServer,
) -> None:
    (policies_dir / "mixed.yaml").write_text(
        "rules:\n  - {entity: PERSON, action: allow}\n  - {entity: EMAIL_ADDRESS, action: redact}\n"
    )
    config = make_config(
        providers={
            "openai": {"base_url": str(upstream.make_url("")).rstrip("/"), "region": "eu-west"}
        },
        apps=[{"name": "ops", "key": "vk-app-support-4f1c0d2e9b", "policy": "mixed"}],
    )
    server = await start_voile(config)
    async with client_for(server) as sdk:
        await sdk.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "Jean Dupont, jean.dupont@orange.fr"}]
        )
    store = audit_store_of(config)
    try:
        [record] = store.list_records()
    finally:
        store.close()
    assert record.region == "eu-west"
    assert record.entity_actions == {"EMAIL_ADDRESS": {"redact": 1}, "PERSON": {"allow": 1}}


async def test_erasure_through_the_cli_then_show_and_verify(
    voile: TestServer,
    make_config: Callable[..., Config],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await ask(voile, user=USER_ID)
    await ask(voile, user="somebody-else")
    await voile.close()  # the proxy drains and signs a last checkpoint
    config_file = tmp_path / "voile.yaml"
    config = make_config()
    config_file.write_text(
        json.dumps(json.loads(config.model_dump_json(exclude_none=True, round_trip=True)))
    )
    args = ["--config", str(config_file)]
    capsys.readouterr()
    assert main(["audit", "erase", "--end-user", USER_ID, "--reason", "DSAR-2025-17", *args]) == 0
    assert "destroyed 1 data keys protecting 2 entries" in capsys.readouterr().out
    assert (
        main(["audit", "show", "2", "--reason", "check erasure", "--reviewer", "dpo", *args]) == 0
    )
    shown = json.loads(capsys.readouterr().out)
    assert (shown["payload_status"], shown["payload"]) == ("erased", None)
    assert main(["audit", "show", "4", "--reason", "check the other", *args]) == 0
    assert json.loads(capsys.readouterr().out)["payload_status"] == "available"
    assert main(["audit", "verify", *args]) == 0
    verdict = capsys.readouterr().out
    assert verdict.startswith("audit trail ")
    assert ": OK" in verdict.splitlines()[0]
    assert "data keys destroyed by erasure or purge: 1" in verdict
    assert "checkpoints: 0 of" not in verdict, "the proxy and the CLI signed checkpoints"


def test_the_cli_names_what_it_cannot_do(tmp_path: Path) -> None:
    config_file = tmp_path / "voile.yaml"
    config_file.write_text(
        "data_dir: data\nproviders: {openai: {base_url: 'http://x'}}\n"
        "anonymous_app: {name: default}\n"
    )
    open_audit_store(load_config(config_file), create=True).close()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["audit", "list", "--end-user", "x", "--config", str(config_file)]) == 2
    assert "--end-user needs --app" in err.getvalue()


async def test_the_proxy_counts_refusals_in_its_log(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    log_output: io.StringIO,
) -> None:
    config = make_config(audit={"timeout_seconds": 0.3})
    server = await start_voile(config)
    database = Path(config.audit_url.removeprefix("sqlite:///"))
    blocker = sqlite3.connect(database, isolation_level=None)
    try:
        blocker.execute("BEGIN EXCLUSIVE")
        await refused(server)
        await refused(server)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    lines = [
        json.loads(line) for line in log_output.getvalue().splitlines() if line.startswith("{")
    ]
    failures = [line for line in lines if line["event"] == "audit_write_failed"]
    assert [f["failed_total"] for f in failures][-1] >= 2
    requests = [line for line in lines if line["event"] == "request"]
    assert [r["error_code"] for r in requests] == ["audit_unavailable"] * 2
    assert refused_count(server) >= 2


async def test_an_outcome_keeps_its_detection_and_provider_times_in_clear(
    start_voile: VoileFactory, make_config: Callable[..., Config], fake_openai: FakeOpenAI
) -> None:
    """For the console's dashboard: whole milliseconds in `details`, readable without a key."""
    config = make_config()
    voile = await start_voile(config)
    async with client_for(voile) as sdk:
        await sdk.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "Hello"}]
        )
    store = audit_store_of(config)
    try:
        [record] = store.list_records()
        [intent] = store.list_records(kind="intent")
    finally:
        store.close()
    assert set(record.details) == {"detect_ms", "upstream_ms"}
    assert all(isinstance(value, int) and value >= 0 for value in record.details.values())
    assert intent.details == {}, "the intent is written before anything is timed upstream"


async def test_texts_without_a_model_are_counted_apart_not_as_an_action(
    voile: TestServer,
    make_config: Callable[..., Config],
) -> None:
    """A text in a policy language with no spaCy model (German, in the bundled default) is
    forwarded after a patterns-only analysis: the record counts it in a field of its own and
    records no action for it (it used to say `LANGUAGE_WITHOUT_MODEL` was masked or blocked,
    which never happened)."""
    async with client_for(voile) as sdk:
        await sdk.chat.completions.create(
            model="m",
            messages=[
                {
                    "role": "user",
                    "content": "Bitte schicken Sie uns die Rechnung für den letzten Monat "
                    "bis morgen an die Buchhaltung, wir brauchen sie dringend für den Abschluss.",
                }
            ],
        )
    store = audit_store_of(make_config())
    try:
        [record] = store.list_records()
    finally:
        store.close()
    assert record.decision == "forwarded"
    assert "LANGUAGE_WITHOUT_MODEL" not in record.entity_actions
    assert "LANGUAGE_WITHOUT_MODEL" not in record.entity_counts
    assert record.details["texts_without_model"] == 1
    assert set(record.details) == {"texts_without_model", "detect_ms", "upstream_ms"}
