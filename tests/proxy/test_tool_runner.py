"""Anthropic tool runners work through Voile (issue 10, item 2).

`client.beta.messages.tool_runner(...)` sends its first turn with `"thread": {"type":
"create"}` (and the message-threads beta), asking the provider to keep the conversation.
Voile cannot relay threads (it scans and restores what each request carries), so it refuses
in the shape the SDK takes for "this request cannot be threaded" (`error.details.error_code`
`thread_unsupported_request`, with the `unsupported` list), and the runner resends the whole
conversation without a thread by itself. These tests run the real SDK's runner through Voile
against the fake provider: the tool loop completes, the tool gets the real values, the app
gets them back, and the provider sees placeholders only.

The Node SDK's `toolRunner` reads the same error fields; it is not run here (no Node
toolchain in the test environment).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import anthropic
import pytest
from aiohttp.test_utils import TestServer
from anthropic.lib.tools import beta_async_tool

from audit.events import Decision
from proxy.config import Config
from proxy.placeholders import TOKEN_PATTERN
from tests.fakes.anthropic_provider import FakeAnthropic, Reply, ToolUse, last_user_text
from tests.proxy.conftest import APP_KEY, VoileFactory
from tests.proxy.support import assert_not_leaked, records

MODEL = "claude-sonnet-4-6"
EMAIL = "jean.dupont@orange.fr"
NAME = "Jean Dupont"
PROMPT = f"Please send a mail to {NAME} at {EMAIL} to confirm the meeting."
THREADS_BETA = "message-threads-2026-08-12"


@pytest.fixture
def fake_anthropic() -> FakeAnthropic:
    return FakeAnthropic()


@pytest.fixture
async def voile(
    aiohttp_server: Any,
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    fake_anthropic: FakeAnthropic,
) -> TestServer:
    upstream: TestServer = await aiohttp_server(fake_anthropic.app())
    return await start_voile(
        make_config(
            providers={
                "anthropic": {
                    "base_url": str(upstream.make_url("")).rstrip("/"),
                    "format": "anthropic",
                    "api_key_env": "VOILE_TEST_PROVIDER_KEY",
                }
            }
        )
    )


@pytest.fixture
async def client(voile: TestServer) -> AsyncIterator[anthropic.AsyncAnthropic]:
    async with anthropic.AsyncAnthropic(
        base_url=str(voile.make_url("/anthropic")), api_key=APP_KEY, max_retries=0
    ) as sdk:
        yield sdk


def mail_loop(body: dict[str, Any]) -> Reply:
    """The model's side of the loop: asks for `send_mail` to the (masked) address the prompt
    holds, then, once the tool result is in the history, answers with it."""
    last = body["messages"][-1]
    if isinstance(last["content"], list) and any(
        block.get("type") == "tool_result" for block in last["content"]
    ):
        return Reply(text=f"Done: {last_user_text(body)}")
    tokens = [match.group() for match in TOKEN_PATTERN.finditer(last_user_text(body))]
    assert len(tokens) == 2, "the prompt reached the provider unmasked"
    return Reply(tool_uses=[ToolUse("send_mail", {"to": tokens[1], "name": tokens[0]})])


class Mailbox:
    """The app's tool: records what it was called with, as the app sees it."""

    def __init__(self) -> None:
        self.calls: list[dict[str, str]] = []

    def tool(self) -> Any:
        @beta_async_tool
        async def send_mail(to: str, name: str) -> str:
            """Send a confirmation mail.

            Args:
                to: the address.
                name: the addressee's name.
            """
            self.calls.append({"to": to, "name": name})
            return f"mail sent to {name} <{to}>"

        return send_mail


async def assert_threads_refused_then_never_forwarded(fake: FakeAnthropic, config: Config) -> None:
    """The runner did ask for a thread (Voile refused it, and the trail says so), then sent
    whole conversations without one: no `thread`, no threads beta reached the provider."""
    for _ in range(100):  # the outcome of the last exchange may still be being written
        if len(found := records(config)) == 3:
            break
        await asyncio.sleep(0.05)
    assert [(r.decision, r.error_code) for r in found] == [
        (Decision.REJECTED.value, "thread_unsupported_request"),
        (Decision.FORWARDED.value, None),
        (Decision.FORWARDED.value, None),
    ]
    assert all("thread" not in body for body in fake.received)
    assert all(THREADS_BETA not in headers.get("anthropic-beta", "") for headers in fake.headers)


async def test_tool_runner_falls_back_to_unthreaded_and_completes_the_loop(
    client: anthropic.AsyncAnthropic,
    fake_anthropic: FakeAnthropic,
    make_config: Callable[..., Config],
) -> None:
    fake_anthropic.reply_factory = mail_loop
    mailbox = Mailbox()
    runner = client.beta.messages.tool_runner(
        model=MODEL,
        max_tokens=256,
        tools=[mailbox.tool()],
        messages=[{"role": "user", "content": PROMPT}],
    )
    final = await runner.until_done()

    assert mailbox.calls == [{"to": EMAIL, "name": NAME}]
    text = "".join(block.text for block in final.content if block.type == "text")
    assert text == f"Done: mail sent to {NAME} <{EMAIL}>"
    # Two turns reached the provider (call, then result), both whole and unthreaded.
    assert len(fake_anthropic.received) == 2
    await assert_threads_refused_then_never_forwarded(fake_anthropic, make_config())
    assert_not_leaked(fake_anthropic, [EMAIL, NAME])


async def test_streaming_tool_runner_falls_back_and_restores_every_turn(
    client: anthropic.AsyncAnthropic,
    fake_anthropic: FakeAnthropic,
    make_config: Callable[..., Config],
) -> None:
    fake_anthropic.reply_factory = mail_loop
    mailbox = Mailbox()
    runner = client.beta.messages.tool_runner(
        model=MODEL,
        max_tokens=256,
        tools=[mailbox.tool()],
        stream=True,
        messages=[{"role": "user", "content": PROMPT}],
    )
    texts: list[str] = []
    async for stream in runner:
        message = await stream.get_final_message()
        texts.extend(block.text for block in message.content if block.type == "text")

    assert mailbox.calls == [{"to": EMAIL, "name": NAME}]
    assert texts == [f"Done: mail sent to {NAME} <{EMAIL}>"]
    await assert_threads_refused_then_never_forwarded(fake_anthropic, make_config())
    assert_not_leaked(fake_anthropic, [EMAIL, NAME])


async def test_a_threaded_request_gets_the_sdks_unsupported_signal(
    voile: TestServer, fake_anthropic: FakeAnthropic
) -> None:
    """The exact shape the SDK's fallback reads (`anthropic/lib/threads/_thread_state.py`,
    `_unsupported_features`): `error.details.error_code` and the `unsupported` list."""
    body = {
        "model": MODEL,
        "max_tokens": 16,
        "thread": {"type": "create"},
        "messages": [{"role": "user", "content": PROMPT}],
    }
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            voile.make_url("/anthropic/v1/messages?beta=true"),
            data=json.dumps(body),
            headers={
                "x-api-key": APP_KEY,
                "anthropic-version": "2023-06-01",
                "anthropic-beta": THREADS_BETA,
                "content-type": "application/json",
            },
        ) as response,
    ):
        status, answer = response.status, await response.json()

    assert status == 400
    assert answer["type"] == "error"
    assert answer["error"]["type"] == "invalid_request_error"
    assert answer["error"]["details"] == {
        "error_code": "thread_unsupported_request",
        "param": "thread",
        "unsupported": [],
    }
    assert fake_anthropic.received == []  # nothing was forwarded


async def test_thread_continue_is_refused_alike_and_the_sdk_raises_its_error(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    with pytest.raises(anthropic.BadRequestError) as raised:
        await client.beta.messages.create(
            model=MODEL,
            max_tokens=16,
            messages=[{"role": "user", "content": PROMPT}],
            thread={"type": "continue", "previous_message_id": "msg_01XFDUDYJgAACzvnptvVoYEL"},
        )
    assert raised.value.error_code == "thread_unsupported_request"
    assert fake_anthropic.received == []
