"""No path, query or header a caller sends escapes the provider's routes (issue 8, items 1 and 2).

A recording upstream answers anything with 200 and keeps every request it sees. Each route
of each format is attacked at each segment with traversal and injection forms, raw and
percent-encoded once and twice: Voile must refuse them all and the upstream must see
nothing. The positive rows prove the recorder works: valid paths arrive exactly as expected.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from yarl import URL

from proxy.config import Config
from proxy.paths import path_segments, query_pairs, upstream_url
from tests.proxy.conftest import APP_KEY, PROVIDER_KEY, VoileFactory
from tests.proxy.support import records

SEEN = web.AppKey("seen", list[dict[str, Any]])

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Bonjour"}]}
MESSAGES = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 5,
    "messages": [{"role": "user", "content": "Bonjour"}],
}
COUNT = {"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "Bonjour"}]}
EMBED = {"model": "text-embedding-3-small", "input": "Bonjour"}
RESPONSES = {"model": "gpt-4o-mini", "input": "Bonjour"}
COMPLETIONS = {"model": "gpt-3.5-turbo-instruct", "prompt": "Bonjour"}
ITEMS = {"items": [{"type": "message", "role": "user", "content": "Bonjour"}]}
METADATA = {"metadata": {"topic": "Bonjour"}}

# (provider, method, path below the provider, body, upstream path expected for the valid form)
ROUTES: list[tuple[str, str, str, dict[str, Any] | None, str]] = [
    ("openai", "POST", "/v1/chat/completions", CHAT, "/prefix/v1/chat/completions"),
    ("openai", "POST", "/v1/responses", RESPONSES, "/prefix/v1/responses"),
    ("openai", "POST", "/v1/embeddings", EMBED, "/prefix/v1/embeddings"),
    ("openai", "POST", "/v1/completions", COMPLETIONS, "/prefix/v1/completions"),
    ("openai", "GET", "/v1/models", None, "/prefix/v1/models"),
    ("openai", "GET", "/v1/models/gpt-4o", None, "/prefix/v1/models/gpt-4o"),
    # What the provider stores (proxy/formats/openai_stored.py).
    ("openai", "GET", "/v1/responses/resp_1", None, "/prefix/v1/responses/resp_1"),
    ("openai", "DELETE", "/v1/responses/resp_1", None, "/prefix/v1/responses/resp_1"),
    ("openai", "POST", "/v1/responses/resp_1/cancel", None, "/prefix/v1/responses/resp_1/cancel"),
    (
        "openai",
        "GET",
        "/v1/responses/resp_1/input_items",
        None,
        "/prefix/v1/responses/resp_1/input_items",
    ),
    (
        "openai",
        "POST",
        "/v1/responses/input_tokens",
        RESPONSES,
        "/prefix/v1/responses/input_tokens",
    ),
    ("openai", "POST", "/v1/conversations", ITEMS, "/prefix/v1/conversations"),
    ("openai", "GET", "/v1/conversations/conv_1", None, "/prefix/v1/conversations/conv_1"),
    ("openai", "POST", "/v1/conversations/conv_1", METADATA, "/prefix/v1/conversations/conv_1"),
    ("openai", "DELETE", "/v1/conversations/conv_1", None, "/prefix/v1/conversations/conv_1"),
    (
        "openai",
        "GET",
        "/v1/conversations/conv_1/items",
        None,
        "/prefix/v1/conversations/conv_1/items",
    ),
    (
        "openai",
        "POST",
        "/v1/conversations/conv_1/items",
        ITEMS,
        "/prefix/v1/conversations/conv_1/items",
    ),
    (
        "openai",
        "GET",
        "/v1/conversations/conv_1/items/msg_1",
        None,
        "/prefix/v1/conversations/conv_1/items/msg_1",
    ),
    (
        "openai",
        "DELETE",
        "/v1/conversations/conv_1/items/msg_1",
        None,
        "/prefix/v1/conversations/conv_1/items/msg_1",
    ),
    ("openai", "GET", "/v1/chat/completions", None, "/prefix/v1/chat/completions"),
    (
        "openai",
        "GET",
        "/v1/chat/completions/chatcmpl-1",
        None,
        "/prefix/v1/chat/completions/chatcmpl-1",
    ),
    (
        "openai",
        "POST",
        "/v1/chat/completions/chatcmpl-1",
        METADATA,
        "/prefix/v1/chat/completions/chatcmpl-1",
    ),
    (
        "openai",
        "DELETE",
        "/v1/chat/completions/chatcmpl-1",
        None,
        "/prefix/v1/chat/completions/chatcmpl-1",
    ),
    (
        "openai",
        "GET",
        "/v1/chat/completions/chatcmpl-1/messages",
        None,
        "/prefix/v1/chat/completions/chatcmpl-1/messages",
    ),
    ("anthropic", "POST", "/v1/messages", MESSAGES, "/v1/messages"),
    ("anthropic", "POST", "/v1/messages/count_tokens", COUNT, "/v1/messages/count_tokens"),
    ("anthropic", "GET", "/v1/models", None, "/v1/models"),
    ("anthropic", "GET", "/v1/models/claude-sonnet-4-5", None, "/v1/models/claude-sonnet-4-5"),
    (
        "azure",
        "POST",
        "/openai/deployments/prod4o/chat/completions",
        CHAT,
        "/openai/deployments/prod4o/chat/completions",
    ),
    (
        "azure",
        "POST",
        "/openai/deployments/prod4o/embeddings",
        EMBED,
        "/openai/deployments/prod4o/embeddings",
    ),
    ("azure", "POST", "/openai/v1/chat/completions", CHAT, "/openai/v1/chat/completions"),
    ("azure", "POST", "/openai/v1/responses", RESPONSES, "/openai/v1/responses"),
    ("azure", "GET", "/openai/models", None, "/openai/models"),
    ("azure", "GET", "/openai/v1/responses/resp_1", None, "/openai/v1/responses/resp_1"),
    (
        "azure",
        "POST",
        "/openai/v1/conversations/conv_1/items",
        ITEMS,
        "/openai/v1/conversations/conv_1/items",
    ),
    (
        "azure",
        "GET",
        "/openai/v1/chat/completions/chatcmpl-1/messages",
        None,
        "/openai/v1/chat/completions/chatcmpl-1/messages",
    ),
    ("azure", "GET", "/openai/models/gpt-4o", None, "/openai/models/gpt-4o"),
]
AZURE_QUERY = "?api-version=2024-10-21"
ATTACK_BATCH = 16

# Forms that must never pass, in raw, once-encoded and twice-encoded spellings.
ATTACKS = [
    "..",
    ".",
    "%2e%2e",
    "%2E%2E",
    "%252e%252e",
    ".%2e",
    "%2e",
    "..%2F..%2Fv1%2Ffiles",
    "..%252F..%252Fv1%252Ffiles",
    "%2F..%2F..%2Ffiles",
    "a%2Fb",
    "a%252Fb",
    "..%5C..%5Cfiles",
    "a%5Cb",
    "a%3Fx=1",
    "a%253Fx=1",
    "a%23frag",
    "a%2523frag",
    "a%00b",
    "a%01b",
    "a%0d%0aX-Injected:%201",
    "a%09b",
    "a%20b",
    "a%7Fb",
    "a%C2%85b",
    "%C0%AE%C0%AE",
    "%ff",
    "a%",
    "a%2",
    "caf%C3%A9",
    "a;b",
    "a,b",
    "a'b",
    'a"b',
    "a<b>",
    "",  # an empty segment: '//' or a trailing '/'
]


@pytest.fixture
async def recorder(aiohttp_server: Any) -> TestServer:
    """An upstream that answers 200 to anything and records what reached it."""
    app = web.Application()
    seen: list[dict[str, Any]] = []

    async def anything(request: web.Request) -> web.Response:
        seen.append(
            {
                "method": request.method,
                "path": request.rel_url.raw_path,
                "query": request.rel_url.raw_query_string,
                "headers": dict(request.headers),
                "body": await request.text(),
            }
        )
        if request.method == "GET":
            return web.json_response({"object": "list", "data": []})
        return web.json_response(
            {
                "id": "x",
                "object": "chat.completion",
                "choices": [],
                "type": "message",
                "content": [],
                "input_tokens": 1,
                "data": [],
                "output": [],
            }
        )

    app.router.add_route("*", "/{tail:.*}", anything)
    app[SEEN] = seen
    server: TestServer = await aiohttp_server(app)
    return server


@pytest.fixture
def attack_config(make_config: Callable[..., Config], recorder: TestServer) -> Config:
    base = str(recorder.make_url("")).rstrip("/")
    return make_config(
        providers={
            "openai": {"base_url": base + "/prefix", "api_key_env": "VOILE_TEST_PROVIDER_KEY"},
            "anthropic": {
                "base_url": base,
                "format": "anthropic",
                "api_key_env": "VOILE_TEST_PROVIDER_KEY",
            },
            "azure": {
                "base_url": base,
                "format": "azure",
                "api_key_env": "VOILE_TEST_PROVIDER_KEY",
            },
        }
    )


@pytest.fixture
async def attacked(start_voile: VoileFactory, attack_config: Config) -> TestServer:
    return await start_voile(attack_config)


async def send(
    server: TestServer,
    method: str,
    raw_path: str,
    body: dict[str, Any] | None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    """Send `raw_path` exactly as written: yarl is told it is encoded, so nothing normalises."""
    url = URL(f"http://127.0.0.1:{server.port}{raw_path}", encoded=True)
    sent = {"Authorization": f"Bearer {APP_KEY}", **(headers or {})}
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, url, json=body, headers=sent) as response,
    ):
        text = await response.text()
        return response.status, json.loads(text) if text else {}


def attacked_paths() -> list[tuple[str, str, str, dict[str, Any] | None]]:
    """Each route with each segment (and one appended segment) replaced by each attack."""
    cases = []
    for provider, method, path, body, _ in ROUTES:
        segments = path.strip("/").split("/")
        suffix = AZURE_QUERY if provider == "azure" else ""
        for position in range(len(segments) + 1):
            for attack in ATTACKS:
                changed = list(segments)
                if position == len(segments):
                    changed.append(attack)
                else:
                    changed[position] = attack
                cases.append((provider, method, "/" + "/".join(changed) + suffix, body))
    return cases


async def test_valid_routes_reach_the_provider_exactly_where_expected(
    attacked: TestServer, recorder: TestServer
) -> None:
    for provider, method, path, body, expected in ROUTES:
        query = AZURE_QUERY if provider == "azure" else ""
        status, _ = await send(attacked, method, f"/{provider}{path}{query}", body)
        assert status == 200, (provider, path)
        last = recorder.app[SEEN][-1]
        assert (last["method"], last["path"]) == (method, expected)
        assert last["query"] == query.lstrip("?")
        assert PROVIDER_KEY in json.dumps(last["headers"])  # the injected key went along
    assert len(recorder.app[SEEN]) == len(ROUTES)


async def test_no_traversal_or_injection_form_reaches_the_provider(
    attacked: TestServer, recorder: TestServer, attack_config: Config
) -> None:
    cases = attacked_paths()
    assert len(cases) > 500
    # Sent a batch at a time (thousands of cases, each refusal audited): a batch that let
    # one through is named by its cases.
    for start in range(0, len(cases), ATTACK_BATCH):
        batch = cases[start : start + ATTACK_BATCH]
        answers = await asyncio.gather(
            *(
                send(attacked, method, f"/{provider}{path}", body)
                for provider, method, path, body in batch
            )
        )
        for (provider, method, path, _), (status, answer) in zip(batch, answers, strict=True):
            assert status in (400, 404, 405), (provider, method, path, status)
            assert answer, (provider, path)  # an error body in the provider's shape
        assert recorder.app[SEEN] == [], batch
    # Authenticated refusals are audited, with the route's template or '-', never the path.
    logged = {record.route for record in records(attack_config)}
    assert logged <= {"-", *(_templates())}, logged


def _templates() -> set[str]:
    return {
        "/v1/chat/completions",
        "/v1/responses",
        "/v1/embeddings",
        "/v1/completions",
        "/v1/models",
        "/v1/models/{model}",
        "/v1/messages",
        "/v1/messages/count_tokens",
        "/openai/deployments/{deployment}/chat/completions",
        "/openai/deployments/{deployment}/embeddings",
        "/openai/v1/chat/completions",
        "/openai/v1/responses",
        "/openai/models",
        "/openai/models/{model}",
        "/openai/deployments/{deployment}/responses",
        "/openai/deployments/{deployment}/completions",
        "/openai/v1/embeddings",
        "/openai/v1/completions",
        "/openai/v1/models",
        "/openai/v1/models/{model}",
        "/openai/deployments/{deployment}/models",
        "/openai/deployments/{deployment}/models/{model}",
        *(prefix + stored for prefix in ("", "/openai") for stored in _STORED),
    }


_STORED = (
    "/v1/responses/{response_id}",
    "/v1/responses/{response_id}/cancel",
    "/v1/responses/{response_id}/input_items",
    "/v1/responses/input_tokens",
    "/v1/conversations",
    "/v1/conversations/{conversation_id}",
    "/v1/conversations/{conversation_id}/items",
    "/v1/conversations/{conversation_id}/items/{item_id}",
    "/v1/chat/completions/{completion_id}",
    "/v1/chat/completions/{completion_id}/messages",
)


@pytest.mark.parametrize(
    ("provider", "path", "query"),
    [
        ("openai", "/v1/models", "x=1"),
        ("openai", "/v1/chat/completions", "api-version=2024-10-21"),
        ("anthropic", "/v1/models", "limit=10&limit=11"),
        ("anthropic", "/v1/models", "limit=ten"),
        ("anthropic", "/v1/models", "after_id=a%2F..%2Fb"),
        ("anthropic", "/v1/models", "after_id=John%20Smith"),
        ("anthropic", "/v1/messages", "beta=true&x=%0d%0a"),
        ("azure", "/openai/deployments/prod4o/chat/completions", "api-version=2024-10-21&x=1"),
        ("azure", "/openai/deployments/prod4o/chat/completions", "api-version=2024-10-21%26x%3D1"),
        ("azure", "/openai/deployments/prod4o/chat/completions", "api-version=1%0d%0a"),
        ("azure", "/openai/deployments/prod4o/chat/completions", "api-version"),
        ("azure", "/openai/deployments/prod4o/chat/completions", "=="),
    ],
)
async def test_query_strings_are_rebuilt_from_validated_pairs_only(
    provider: str, path: str, query: str, attacked: TestServer, recorder: TestServer
) -> None:
    body = None if path.endswith("models") else (MESSAGES if provider == "anthropic" else CHAT)
    method = "GET" if body is None else "POST"
    status, answer = await send(attacked, method, f"/{provider}{path}?{query}", body)
    assert status == 400
    code = answer["error"].get("code") or answer["error"]["details"]["error_code"]
    assert code == "unsupported_query_parameter"
    assert recorder.app[SEEN] == []


async def test_accepted_query_parameters_are_forwarded_in_their_grammar(
    attacked: TestServer, recorder: TestServer
) -> None:
    status, _ = await send(attacked, "GET", "/anthropic/v1/models?limit=20&after_id=claude-x", None)
    assert status == 200
    assert recorder.app[SEEN][-1]["query"] == "limit=20&after_id=claude-x"


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("OpenAI-Organization", "John Smith"),
        ("OpenAI-Project", "proj_x/../y"),
        ("Idempotency-Key", "jean.dupont@orange.fr"),
        ("anthropic-version", "2023-06-01; x"),
        ("x-stainless-os", "é" * 3),
    ],
)
async def test_forwarded_headers_must_match_their_grammar(
    header: str, value: str, attacked: TestServer, recorder: TestServer
) -> None:
    status, answer = await send(
        attacked, "POST", "/openai/v1/chat/completions", CHAT, {header: value}
    )
    assert status == 400
    assert answer["error"]["code"] == "invalid_header"
    assert answer["error"]["param"] == header.lower()
    assert recorder.app[SEEN] == []


async def test_unknown_headers_stay_inside_and_known_ones_cross(
    attacked: TestServer, recorder: TestServer
) -> None:
    status, _ = await send(
        attacked,
        "POST",
        "/openai/v1/chat/completions",
        CHAT,
        {
            "Cookie": "session=abc",
            "X-Forwarded-For": "10.1.2.3",
            "OpenAI-Organization": "org-42",
            "Idempotency-Key": "stainless-python-retry-1f2e",
            "x-stainless-retry-count": "0",
            "Content-Type": "text/plain",
        },
    )
    assert status == 200
    headers = {k.lower(): v for k, v in recorder.app[SEEN][-1]["headers"].items()}
    assert "cookie" not in headers
    assert "x-forwarded-for" not in headers
    assert headers["openai-organization"] == "org-42"
    assert headers["idempotency-key"] == "stainless-python-retry-1f2e"
    assert headers["x-stainless-retry-count"] == "0"
    assert headers["content-type"] == "application/json"  # the proxy's own serialisation


@pytest.mark.parametrize(
    "model", ["John Smith", "jean.dupont@orange.fr", "../x", "a" * 200, "gpt-4o\n", "/gpt"]
)
async def test_a_model_name_outside_the_grammar_is_refused(
    model: str, attacked: TestServer, recorder: TestServer
) -> None:
    status, answer = await send(
        attacked, "POST", "/openai/v1/chat/completions", {**CHAT, "model": model}
    )
    assert status == 400
    assert answer["error"]["code"] in ("invalid_model", "unsupported_field", "invalid_request")
    assert recorder.app[SEEN] == []


@pytest.mark.parametrize(
    "model",
    [
        "gpt-4o-mini",
        "ft:gpt-4o-mini:acme:v2:AbC12",
        "meta-llama/Llama-3.1-8B-Instruct",
        "llama3.1:8b-q4_K_M",
    ],
)
async def test_real_model_ids_pass(model: str, attacked: TestServer, recorder: TestServer) -> None:
    status, _ = await send(
        attacked, "POST", "/openai/v1/chat/completions", {**CHAT, "model": model}
    )
    assert status == 200
    assert json.loads(recorder.app[SEEN][-1]["body"])["model"] == model


# ----------------------------------------------------------------- sans-I/O tables


@pytest.mark.parametrize("raw", [f"/openai/v1/models/{attack}" for attack in ATTACKS])
def test_path_segments_refuse_every_attack_form(raw: str) -> None:
    with pytest.raises(Exception) as caught:
        path_segments(raw)
    assert getattr(caught.value, "code", None) == "invalid_path"


def test_path_segments_decode_once() -> None:
    assert path_segments("/openai/v1/models/ft%3Agpt-4o") == ("openai", "v1", "models", "ft:gpt-4o")


def test_upstream_urls_keep_the_base_prefix_and_encode_each_segment() -> None:
    url = upstream_url("http://h:1/pre", ("v1", "models", "ft:x"), (("a", "1"),))
    assert str(url) == "http://h:1/pre/v1/models/ft%3Ax?a=1"
    with pytest.raises(Exception, match="invalid segment"):
        upstream_url("http://h:1/pre", ("v1", ".."), ())


def test_query_pairs_name_only_safe_parameter_names() -> None:
    with pytest.raises(Exception) as caught:
        query_pairs("John%20Smith=1", {})
    assert "John" not in str(caught.value)


async def test_a_cookie_a_provider_sets_is_never_sent_back(
    aiohttp_server: Any, start_voile: VoileFactory, make_config: Callable[..., Config]
) -> None:
    """A provider (or a CDN before it) that sets a cookie would get it back on every later
    request, from every app: one identifier linking apps the per-app keys keep apart. The
    upstream session keeps no cookies. The host is a name ("localhost"), as a provider's is:
    aiohttp's default jar ignores cookies of bare IP addresses."""
    seen: list[dict[str, str]] = []

    async def chat(request: web.Request) -> web.Response:
        seen.append(dict(request.headers))
        answer = web.json_response(
            {"id": "x", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
             "choices": []}
        )  # fmt: skip
        answer.set_cookie("__cf_bm", "tracker-1", httponly=True)
        return answer

    app = web.Application()
    app.router.add_post("/v1/chat/completions", chat)
    provider: TestServer = await aiohttp_server(app)
    config = make_config(
        providers={
            "openai": {
                "base_url": f"http://localhost:{provider.port}",
                "api_key_env": "VOILE_TEST_PROVIDER_KEY",
            }
        }
    )
    voile = await start_voile(config)
    for _ in range(2):
        status, _ = await send(voile, "POST", "/openai/v1/chat/completions", CHAT)
        assert status == 200
    assert len(seen) == 2
    assert "cookie" not in {name.lower() for name in seen[1]}
