"""Adding a wire format takes one module: a `WireFormat` with its routes and error shape, and
its `Endpoint`s. Registered in `proxy.formats.FORMATS`, it is a valid `format` in the config
(the config derives its format names from that registry) and is relayed, masked, restored and
audited by the same relay as every other format, with no change to `proxy.relay`.

The toy format: `POST /v1/echo {"model", "text"}` answered by `{"text", "tokens"}`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from proxy.config import Config
from proxy.errors import BadRequest, NotFound, VoileError
from proxy.formats import FORMATS
from proxy.formats.base import Endpoint, Usage
from proxy.formats.document import Document
from proxy.paths import Route
from proxy.policy import Policy
from proxy.sse import SSEEvent
from tests.proxy.conftest import APP_KEY, VoileFactory, audit_store_of


class Echo(Endpoint):
    name = "echo"

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        if set(body) - {"model", "text"} or not isinstance(body.get("text"), str):
            raise BadRequest("The toy format takes 'model' and a string 'text'.")
        document = Document(body)
        document.add_text(("text",), body["text"])
        return document

    def usage(self, body: Any) -> Usage:
        return Usage(output_tokens=body.get("tokens") if isinstance(body, dict) else None)


class ToyFormat:
    name = "toy"

    def route(self, method: str, segments: tuple[str, ...]) -> Route:
        if method == "POST" and segments == ("v1", "echo"):
            return Route(Echo(), "/v1/echo", segments)
        raise NotFound("The toy format has one route.")

    def error_body(self, error: VoileError) -> dict[str, Any]:
        return {"toy_error": error.code, "message": error.message}

    def error_event(self, error: VoileError) -> SSEEvent:
        return SSEEvent(data=json.dumps(self.error_body(error)))

    def auth_headers(self, provider_key: str) -> dict[str, str]:
        return {"x-toy-key": provider_key}


@pytest.fixture
async def toy_provider(aiohttp_server: Any) -> tuple[TestServer, list[dict[str, Any]]]:
    received: list[dict[str, Any]] = []

    async def echo(request: web.Request) -> web.Response:
        body = await request.json()
        received.append(body)
        return web.json_response({"text": f"You said: {body['text']}", "tokens": 7})

    app = web.Application()
    app.router.add_post("/v1/echo", echo)
    server: TestServer = await aiohttp_server(app)
    return server, received


async def test_a_toy_format_is_one_module_and_the_relay_serves_it(
    monkeypatch: pytest.MonkeyPatch,
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    toy_provider: tuple[TestServer, list[dict[str, Any]]],
) -> None:
    monkeypatch.setitem(FORMATS, "toy", ToyFormat())
    provider, received = toy_provider
    config = make_config(
        providers={
            "toy": {
                "base_url": str(provider.make_url("")).rstrip("/"),
                "format": "toy",
                "api_key_env": "VOILE_TEST_PROVIDER_KEY",
            }
        }
    )
    voile = await start_voile(config)
    async with aiohttp.ClientSession() as http:
        async with http.post(
            voile.make_url("/toy/v1/echo"),
            json={"model": "toy-1", "text": "Hi, I'm John Smith."},
            headers={"Authorization": f"Bearer {APP_KEY}"},
        ) as answer:
            assert answer.status == 200
            assert await answer.json() == {"text": "You said: Hi, I'm John Smith.", "tokens": 7}
        async with http.post(
            voile.make_url("/toy/v1/echo"),
            json={"text": 3},
            headers={"Authorization": f"Bearer {APP_KEY}"},
        ) as refused:
            assert refused.status == 400
            assert (await refused.json())["toy_error"] == "invalid_request"
    [forwarded] = received
    assert "John Smith" not in forwarded["text"], "masked before it left"
    store = audit_store_of(config)
    try:
        refusal, outcome = store.list_records()
    finally:
        store.close()
    assert (outcome.route, outcome.model, outcome.status) == ("/v1/echo", "toy-1", 200)
    assert outcome.entity_counts == {"PERSON": 1}
    assert outcome.completion_tokens == 7
    assert (refusal.decision, refusal.status) == ("rejected", 400)
