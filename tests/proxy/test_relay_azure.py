"""Azure OpenAI through Voile with the official `AzureOpenAI` client: deployment paths,
`api-version` forwarded, the `api-key` header for both the app and the provider."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import openai
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from proxy.config import Config
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.conftest import APP_KEY, PROVIDER_KEY, VoileFactory

API_VERSION = "2024-10-21"
QUERIES = web.AppKey("queries", list[dict[str, str]])


@pytest.fixture
async def azure_upstream(aiohttp_server: Any, fake_openai: FakeOpenAI) -> TestServer:
    """The fake OpenAI provider mounted under Azure's deployment paths, recording queries."""
    app = web.Application()
    queries: list[dict[str, str]] = []

    async def chat(request: web.Request) -> web.StreamResponse:
        queries.append({**request.query, "deployment": request.match_info["deployment"]})
        return await fake_openai.chat(request)

    app.router.add_post("/openai/deployments/{deployment}/chat/completions", chat)
    app[QUERIES] = queries
    server: TestServer = await aiohttp_server(app)
    return server


@pytest.fixture
async def azure_voile(
    start_voile: VoileFactory, make_config: Callable[..., Config], azure_upstream: TestServer
) -> TestServer:
    base_url = str(azure_upstream.make_url("")).rstrip("/")
    config = make_config(
        providers={
            "azure": {
                "base_url": base_url,
                "format": "azure",
                "api_key_env": "VOILE_TEST_PROVIDER_KEY",
            }
        }
    )
    return await start_voile(config)


def azure_client(server: TestServer) -> openai.AsyncAzureOpenAI:
    return openai.AsyncAzureOpenAI(
        azure_endpoint=str(server.make_url("/azure")),
        api_key=APP_KEY,
        api_version=API_VERSION,
        max_retries=0,
    )


@pytest.mark.parametrize("stream", [False, True])
async def test_azure_chat_is_masked_and_restored(
    stream: bool,
    azure_voile: TestServer,
    azure_upstream: TestServer,
    fake_openai: FakeOpenAI,
) -> None:
    prompt = "Écrivez à Jean Dupont, jean.dupont@orange.fr, avant lundi."
    async with azure_client(azure_voile) as client:
        if stream:
            chunks = await client.chat.completions.create(
                model="gpt4o-prod", messages=[{"role": "user", "content": prompt}], stream=True
            )
            text = "".join([c.choices[0].delta.content or "" async for c in chunks if c.choices])
        else:
            answer = await client.chat.completions.create(
                model="gpt4o-prod", messages=[{"role": "user", "content": prompt}]
            )
            text = answer.choices[0].message.content or ""
    assert text == prompt
    received = fake_openai.everything_received()
    assert "Jean Dupont" not in received
    assert "jean.dupont@orange.fr" not in received
    assert azure_upstream.app[QUERIES][-1] == {
        "api-version": API_VERSION,
        "deployment": "gpt4o-prod",
    }
    headers = fake_openai.headers[-1]
    assert headers["api-key"] == PROVIDER_KEY  # the provider key, injected as Azure wants it
    assert "Authorization" not in headers
    assert APP_KEY not in str(headers)


async def test_azure_errors_keep_openai_shape(azure_voile: TestServer) -> None:
    async with openai.AsyncAzureOpenAI(
        azure_endpoint=str(azure_voile.make_url("/azure")),
        api_key="wrong-key",
        api_version=API_VERSION,
        max_retries=0,
    ) as client:
        with pytest.raises(openai.AuthenticationError):
            await client.chat.completions.create(
                model="d", messages=[{"role": "user", "content": "hi"}]
            )
