"""Bad input, policy refusals and broken parts: a precise OpenAI-shaped error, nothing unmasked
forwarded, and an audit record every time."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
from aiohttp.test_utils import TestServer

from audit.events import Decision
from proxy.config import Config
from proxy.detection.settings import DetectionSettings
from proxy.placeholders import TOKEN_PATTERN
from tests.fakes.openai_provider import FakeOpenAI, Reply
from tests.proxy.conftest import APP_KEY, VoileFactory, audit_store_of, client_for
from tests.proxy.support import FailingDetector, PartialDetector, records, write_policy

FR_PROMPT = "Jean Dupont, IBAN FR76 3000 6000 0112 3456 7890 189, jean.dupont@orange.fr"


@pytest.mark.parametrize("broken", [FailingDetector(), PartialDetector()])
async def test_detector_failure_refuses_with_503_and_forwards_nothing(
    broken: Any,
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
) -> None:
    config = make_config()
    server = await start_voile(config, with_detector=broken)
    async with client_for(server) as sdk:
        with pytest.raises(openai.InternalServerError) as caught:
            await sdk.chat.completions.create(
                model="m", messages=[{"role": "user", "content": FR_PROMPT}]
            )
    assert caught.value.status_code == 503
    assert caught.value.code == "detection_unavailable"
    assert fake_openai.received == []
    [record] = records(config)
    assert (record.decision, record.status) == (Decision.FAILED.value, 503)


async def test_detector_timeout_refuses_with_503(
    start_voile: VoileFactory, make_config: Callable[..., Config], fake_openai: FakeOpenAI
) -> None:
    from proxy.detection.pool import PresidioDetector  # noqa: PLC0415

    slow = PresidioDetector(DetectionSettings(workers=1, timeout_seconds=0.001))
    await slow.start()
    try:
        server = await start_voile(make_config(), with_detector=slow)
        async with client_for(server) as sdk:
            with pytest.raises(openai.InternalServerError, match="not forwarded"):
                await sdk.chat.completions.create(
                    model="m", messages=[{"role": "user", "content": FR_PROMPT * 50}]
                )
    finally:
        await slow.close()
    assert fake_openai.received == []


async def test_upstream_unreachable_is_502(
    start_voile: VoileFactory, make_config: Callable[..., Config], unused_tcp_port: int
) -> None:
    config = make_config(providers={"openai": {"base_url": f"http://127.0.0.1:{unused_tcp_port}"}})
    server = await start_voile(config)
    async with client_for(server) as sdk:
        with pytest.raises(openai.APIStatusError) as caught:
            await sdk.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "hi"}]
            )
    assert caught.value.status_code == 502
    assert records(config)[0].decision == Decision.FAILED.value


async def test_upstream_error_passes_through_with_restored_body(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    def quote_prompt(body: dict[str, Any]) -> Reply:
        masked = body["messages"][0]["content"]
        return Reply(
            status=400,
            error_body={
                "error": {
                    "message": f"Invalid content: {masked}",
                    "type": "invalid_request_error",
                    "param": "messages",
                    "code": "bad_content",
                }
            },
        )

    fake_openai.reply_factory = quote_prompt
    with pytest.raises(openai.BadRequestError) as caught:
        await client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "Mail jean.dupont@orange.fr"}]
        )
    assert caught.value.code == "bad_content"
    assert "jean.dupont@orange.fr" in caught.value.message
    assert "jean.dupont@orange.fr" not in fake_openai.everything_received()


async def test_upstream_garbage_is_502(client: openai.AsyncOpenAI, fake_openai: FakeOpenAI) -> None:
    fake_openai.replies.append(Reply(raw_body=b"<html>oops</html>"))
    with pytest.raises(openai.APIStatusError) as caught:
        await client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}]
        )
    assert caught.value.status_code == 502


async def test_stream_broken_by_upstream_ends_with_an_error_event(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.replies.append(
        Reply(content="Hello Jean, how are you today?", chunk_sizes=[3], break_after_chunks=3)
    )
    stream = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    with pytest.raises(openai.APIError):
        async for _ in stream:
            pass


async def _raw_post(server: TestServer, body: bytes, key: str = APP_KEY) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            server.make_url("/openai/v1/chat/completions"),
            data=body,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        ) as response,
    ):
        return response.status, await response.json()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "invalid_json"),
        (b"[1, 2]", "invalid_request"),
        (b'{"model": "m", "messages": []}', "invalid_request"),
        (
            b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "surprise": 1}',
            "unsupported_field",
        ),
        (
            b'{"model": "m", "messages": [{"role": "user", "content": "hi", "x": "y"}]}',
            "unsupported_field",
        ),
        (b'{"model": "m", "messages": [{"role": "wizard", "content": "hi"}]}', "unsupported_field"),
        (
            b'{"model": "m", "messages": [{"role": "user", "content": [{"type": "image_url",'
            b' "image_url": {"url": "data:image/png;base64,AAAA"}}]}]}',
            "unscannable_content",
        ),
    ],
)
async def test_bad_requests_get_a_precise_400_and_an_audit_record(
    body: bytes,
    code: str,
    voile: TestServer,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
) -> None:
    status, answer = await _raw_post(voile, body)
    assert status == 400
    assert answer["error"]["code"] == code
    assert answer["error"]["type"] == "invalid_request_error"
    assert fake_openai.received == []
    [record] = records(make_config())
    assert (record.decision, record.error_code) == (Decision.REJECTED.value, code)


async def test_oversize_body_is_413(
    start_voile: VoileFactory, make_config: Callable[..., Config], fake_openai: FakeOpenAI
) -> None:
    server = await start_voile(make_config(limits={"max_body_bytes": 2048}))
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": "x" * 4096}]})
    status, answer = await _raw_post(server, body.encode())
    assert status == 413
    assert answer["error"]["code"] == "request_too_large"
    assert fake_openai.received == []


async def test_block_action_refuses_naming_types_only(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    policies_dir: Path,
    fake_openai: FakeOpenAI,
) -> None:
    write_policy(policies_dir, "strict", "rules:\n  - {entity: IBAN_CODE, action: block}\n")
    config = make_config(apps=[{"name": "bank", "key": APP_KEY, "policy": "strict"}])
    server = await start_voile(config)
    async with client_for(server) as sdk:
        with pytest.raises(openai.BadRequestError) as caught:
            await sdk.chat.completions.create(
                model="m", messages=[{"role": "user", "content": FR_PROMPT}]
            )
    assert caught.value.code == "pii_blocked"
    assert "IBAN_CODE" in caught.value.message
    assert "FR76" not in caught.value.message
    assert fake_openai.received == []
    [record] = records(config)
    assert record.decision == Decision.BLOCKED.value
    assert record.entity_counts["IBAN_CODE"] == 1


async def test_redact_is_irreversible_and_allow_passes(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    policies_dir: Path,
    fake_openai: FakeOpenAI,
) -> None:
    write_policy(
        policies_dir,
        "mixed",
        (
            "rules:\n"
            "  - {entity: EMAIL_ADDRESS, action: redact}\n"
            "  - {entity: PERSON, action: allow}\n"
            "  - {entity: IBAN_CODE, action: hash}\n"
        ),
    )
    config = make_config(apps=[{"name": "ops", "key": APP_KEY, "policy": "mixed"}])
    server = await start_voile(config)
    async with client_for(server) as sdk:
        answer = await sdk.chat.completions.create(
            model="m", messages=[{"role": "user", "content": FR_PROMPT}]
        )
    sent = fake_openai.last["messages"][0]["content"]
    assert "Jean Dupont" in sent  # allowed
    assert "[EMAIL_ADDRESS]" in sent
    assert "jean.dupont@orange.fr" not in sent
    assert "FR76" not in sent
    assert "[IBAN_CODE:" in sent
    assert not TOKEN_PATTERN.search(sent)
    # Nothing reversible was minted, so the echo comes back with the labels.
    assert answer.choices[0].message.content == sent


async def test_every_outcome_leaves_an_encrypted_audit_record(
    voile: TestServer,
    client: openai.AsyncOpenAI,
    make_config: Callable[..., Config],
) -> None:
    await client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": FR_PROMPT}]
    )
    await _raw_post(voile, b"{oops")
    config = make_config()
    ok, bad = records(config)
    assert (ok.decision, ok.status, ok.app, ok.provider, ok.model) == (
        "forwarded",
        200,
        "support",
        "openai",
        "gpt-4o-mini",
    )
    assert ok.policy_name == "default"
    assert len(ok.policy_hash) == 64
    assert ok.entity_counts == {"PERSON": 1, "IBAN_CODE": 1, "EMAIL_ADDRESS": 1}
    assert (ok.prompt_tokens, ok.completion_tokens) == (11, 7)
    assert bad.decision == "rejected"
    store = audit_store_of(config)
    try:
        payload = store.decrypt_payload(ok)
    finally:
        store.close()
    assert "Jean Dupont" in payload["entity_map"].values()
    assert "Jean Dupont" not in json.dumps(payload["masked_request"], ensure_ascii=False)
    database = Path(config.audit_url.removeprefix("sqlite:///"))
    raw = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    for value in ("Jean Dupont", "jean.dupont@orange.fr", "FR76 3000"):
        assert value.encode() not in raw


async def test_client_leaving_mid_stream_still_leaves_a_record(
    voile: TestServer, make_config: Callable[..., Config], fake_openai: FakeOpenAI
) -> None:
    import asyncio  # noqa: PLC0415

    fake_openai.replies.append(Reply(content="y" * 200, chunk_sizes=[1], frame_delay_seconds=0.01))
    body = {
        "model": "m",
        "stream": True,
        "messages": [{"role": "user", "content": "Jean Dupont here"}],
    }
    async with aiohttp.ClientSession() as http:
        response = await http.post(
            voile.make_url("/openai/v1/chat/completions"),
            json=body,
            headers={"Authorization": f"Bearer {APP_KEY}"},
        )
        assert response.status == 200
        await response.content.readuntil(b"\n\n")
        response.close()  # the app gives up after the first event
    config = make_config()
    for _ in range(100):  # the record lands once the proxy notices; bounded wait
        found = records(config)
        if found:
            break
        await asyncio.sleep(0.05)
    [record] = found
    assert record.decision == Decision.FORWARDED.value
    assert record.error_code == "client_disconnected"
    assert record.entity_counts == {"PERSON": 1}
