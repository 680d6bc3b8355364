"""The provider's retry and rate-limit hints reach the app, so SDKs retry as they would
direct (issue 10, item 4): `x-should-retry: false` stops the openai and anthropic SDKs from
retrying; `retry-after-ms` and the rate-limit headers are relayed as sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anthropic
import openai
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from proxy.config import Config
from tests.proxy.conftest import APP_KEY, VoileFactory

CALLS = web.AppKey("calls", list[str])
HINTS = {
    "x-should-retry": "false",
    "retry-after-ms": "1500",
    "retry-after": "2",
    "x-ratelimit-remaining-requests": "0",
    "anthropic-ratelimit-requests-remaining": "0",
}


@pytest.fixture
async def limiting(aiohttp_server: Any) -> TestServer:
    """A provider that answers every call with 429 and its retry hints, counting calls."""
    app = web.Application()
    calls: list[str] = []

    async def refuse(request: web.Request) -> web.Response:
        calls.append(request.path)
        body = (
            {"type": "error", "error": {"type": "rate_limit_error", "message": "slow"}}
            if request.path == "/v1/messages"
            else {"error": {"message": "slow", "type": "requests", "code": "rate_limit"}}
        )
        return web.json_response(body, status=429, headers=HINTS)

    app.router.add_post("/v1/chat/completions", refuse)
    app.router.add_post("/v1/messages", refuse)
    app[CALLS] = calls
    server: TestServer = await aiohttp_server(app)
    return server


@pytest.fixture
async def voile_to_limiting(
    start_voile: VoileFactory, make_config: Callable[..., Config], limiting: TestServer
) -> TestServer:
    base = str(limiting.make_url("")).rstrip("/")
    return await start_voile(
        make_config(
            providers={
                "openai": {"base_url": base, "api_key_env": "VOILE_TEST_PROVIDER_KEY"},
                "anthropic": {
                    "base_url": base,
                    "format": "anthropic",
                    "api_key_env": "VOILE_TEST_PROVIDER_KEY",
                },
            }
        )
    )


async def test_openai_sdk_makes_one_call_when_the_provider_says_not_to_retry(
    voile_to_limiting: TestServer, limiting: TestServer
) -> None:
    async with openai.AsyncOpenAI(
        base_url=str(voile_to_limiting.make_url("/openai/v1")), api_key=APP_KEY, max_retries=3
    ) as client:
        with pytest.raises(openai.RateLimitError) as caught:
            await client.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": "Bonjour"}]
            )
    assert limiting.app[CALLS] == ["/v1/chat/completions"]
    headers = caught.value.response.headers
    for name, value in HINTS.items():
        assert headers[name] == value


async def test_anthropic_sdk_makes_one_call_when_the_provider_says_not_to_retry(
    voile_to_limiting: TestServer, limiting: TestServer
) -> None:
    async with anthropic.AsyncAnthropic(
        base_url=str(voile_to_limiting.make_url("/anthropic")), api_key=APP_KEY, max_retries=3
    ) as client:
        with pytest.raises(anthropic.RateLimitError):
            await client.messages.create(
                model="claude-sonnet-4-5",
                max_tokens=5,
                messages=[{"role": "user", "content": "Bonjour"}],
            )
    assert limiting.app[CALLS] == ["/v1/messages"]
