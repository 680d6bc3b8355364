"""Voile in front of the fake OpenAI and Anthropic providers, for the compatibility suite.

Every test sends the same prompt, whose personal values hold a quote, a line break, a
backslash and non-ASCII letters (found by the `compat` policy's recognizers, so detection is
deterministic). The fake providers play a model through `reply_factory`: they echo the
(masked) prompt, call a tool with the placeholders they were given, answer the tool's result,
or write a JSON document of placeholders when the request asks for structured output. The
app must get exactly the original values back; the providers must never see one of them, nor
may Voile's logs.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from proxy.config import Config
from proxy.placeholders import TOKEN_PATTERN
from tests.fakes import anthropic_provider, openai_provider
from tests.fakes.anthropic_provider import FakeAnthropic
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy import conftest as proxy
from tests.proxy.conftest import APP_KEY, VoileFactory
from tests.proxy.support import assert_not_leaked, both_providers, write_policy

# The proxy suite's fixtures, for this package: one detector, logs checked for its canaries.
detector = proxy.detector
log_output = proxy.log_output
fake_openai = proxy.fake_openai
upstream = proxy.upstream
policies_dir = proxy.policies_dir
make_config = proxy.make_config
start_voile = proxy.start_voile

NAME = 'Jean "Jeannot" Dupont'
ADDRESS = "12 rue des Lilas\n75011 Paris"
FOLDER = "C:\\Users\\jdupont"
COLLEAGUE = "Zoë Ångström"
VALUES = {"name": NAME, "address": ADDRESS, "folder": FOLDER, "colleague": COLLEAGUE}
PROMPT = (
    f"Customer {NAME} lives at {ADDRESS}, keeps files in {FOLDER} and works with "
    f"{COLLEAGUE}. Extract the customer."
)
POLICY = r"""
recognizers:
  - {entity: NICKNAMED_PERSON, patterns: [{regex: 'Jean "Jeannot" Dupont', score: 1.0}]}
  - {entity: POSTAL_ADDRESS, patterns: [{regex: '12 rue des Lilas\n75011 Paris', score: 1.0}]}
  - {entity: WINDOWS_PATH, patterns: [{regex: 'C:\\Users\\jdupont', score: 1.0}]}
  - {entity: COLLEAGUE, patterns: [{regex: 'Zoë Ångström', score: 1.0}]}
"""
MODEL = "gpt-4o-mini"
CLAUDE = "claude-sonnet-4-6"
TOOL = "file_customer"  # the function tool every tool test offers: (name, address) -> receipt
TOOL_DESCRIPTION = "File the customer's name and postal address; returns a receipt."
DONE = "Done: "  # the model's last answer is this, then the tool's (masked) result


def receipt(name: str, address: str) -> str:
    """What the app's tool returns: it carries the values again, so Voile masks it too."""
    return f"Filed {name} at {address}"


EXPECTED_FINAL = DONE + receipt(NAME, ADDRESS)


def prompt_of(body: dict[str, Any]) -> str:
    """The (masked) prompt of a request of any format: its first user text. Not the whole
    body: Voile masks other strings too (a JSON schema's `$schema` URL, for one)."""
    if "messages" in body:  # Chat Completions or Messages: string or text parts alike
        users = [m for m in body["messages"] if m.get("role") == "user"]
        return anthropic_provider.user_text(users[0]) if users else ""
    items = body.get("input")
    if isinstance(items, list):
        items = [i for i in items if i.get("role") == "user"][:1]
    return openai_provider.responses_user_text({"input": items})


def tokens_in(body: dict[str, Any]) -> list[str]:
    """The placeholders of the prompt, first appearance first (its four values)."""
    found: list[str] = []
    for match in TOKEN_PATTERN.finditer(prompt_of(body)):
        if match.group() not in found:
            found.append(match.group())
    assert len(found) >= len(VALUES), "the prompt reached the provider unmasked"
    return found[: len(VALUES)]


def json_document(body: dict[str, Any]) -> dict[str, str]:
    """The model's structured answer: each field holds the placeholder it was given."""
    return dict(zip(VALUES, tokens_in(body), strict=True))


def tool_arguments(body: dict[str, Any]) -> dict[str, str]:
    tokens = json_document(body)
    return {"name": tokens["name"], "address": tokens["address"]}


def forced_function(body: dict[str, Any]) -> str | None:
    """The function the request forces (OpenAI Chat or Responses shape), if any."""
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        return str((choice.get("function") or choice).get("name") or "") or None
    return None


def openai_chat_model(body: dict[str, Any]) -> openai_provider.Reply:
    """A Chat Completions model: structured output, tool calls, tool results, else echo."""
    messages = body.get("messages", [])
    last = messages[-1] if messages else {}
    if last.get("role") == "tool":
        return openai_provider.Reply(content=DONE + str(last["content"]), chunk_sizes=[3])
    forced = forced_function(body)
    if forced and forced != TOOL:  # structured output through a forced function
        return openai_provider.Reply(
            tool_calls=[openai_provider.ToolCall(forced, json.dumps(json_document(body)))],
            chunk_sizes=[3],
        )
    if body.get("tools"):
        return openai_provider.Reply(
            tool_calls=[openai_provider.ToolCall(TOOL, json.dumps(tool_arguments(body)))],
            chunk_sizes=[3],
        )
    if body.get("response_format"):
        return openai_provider.Reply(
            content=json.dumps(json_document(body), indent=2), chunk_sizes=[3]
        )
    return openai_provider.Reply(chunk_sizes=[3])  # echo, every placeholder cut


def openai_responses_model(body: dict[str, Any]) -> openai_provider.Reply:
    """A Responses API model, playing the same script."""
    items = body.get("input")
    last = items[-1] if isinstance(items, list) and items else {}
    if last.get("type") == "function_call_output":
        return openai_provider.Reply(content=DONE + str(last["output"]), chunk_sizes=[3])
    if body.get("tools"):
        return openai_provider.Reply(
            tool_calls=[openai_provider.ToolCall(TOOL, json.dumps(tool_arguments(body)))],
            chunk_sizes=[3],
        )
    if ((body.get("text") or {}).get("format") or {}).get("type") in ("json_schema", "json_object"):
        return openai_provider.Reply(
            content=json.dumps(json_document(body), indent=2), chunk_sizes=[3]
        )
    return openai_provider.Reply(chunk_sizes=[3])


def openai_model(body: dict[str, Any]) -> openai_provider.Reply:
    if "messages" in body:
        return openai_chat_model(body)
    return openai_responses_model(body)


def anthropic_model(body: dict[str, Any]) -> anthropic_provider.Reply:
    """A Messages API model, playing the same script."""
    last = body["messages"][-1]
    content = last.get("content")
    if isinstance(content, list) and any(b.get("type") == "tool_result" for b in content):
        return anthropic_provider.Reply(
            text=DONE + anthropic_provider.user_text(last), chunk_sizes=[3]
        )
    choice = body.get("tool_choice") or {}
    if choice.get("type") == "tool" and choice.get("name") != TOOL:
        return anthropic_provider.Reply(
            tool_uses=[anthropic_provider.ToolUse(choice["name"], json_document(body))],
            chunk_sizes=[3],
        )
    if body.get("tools"):
        return anthropic_provider.Reply(
            tool_uses=[anthropic_provider.ToolUse(TOOL, tool_arguments(body))], chunk_sizes=[3]
        )
    if (body.get("output_config") or {}).get("format") or body.get("output_format"):
        return anthropic_provider.Reply(text=json.dumps(json_document(body)), chunk_sizes=[3])
    return anthropic_provider.Reply(chunk_sizes=[3])


@pytest.fixture
def fake_anthropic() -> FakeAnthropic:
    fake = FakeAnthropic()
    fake.reply_factory = anthropic_model
    return fake


@pytest.fixture
def private_logs(log_output: io.StringIO) -> Iterator[None]:
    """The compat values (not in the proxy suite's canaries) never reach Voile's logs."""
    yield
    text = log_output.getvalue()
    for value in VALUES.values():
        assert value not in text, "a value was logged"
        assert json.dumps(value)[1:-1] not in text, "a value was logged, JSON-escaped"


@pytest.fixture
async def voile(
    aiohttp_server: Any,
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    upstream: TestServer,
    fake_openai: FakeOpenAI,
    fake_anthropic: FakeAnthropic,
    policies_dir: Path,
    private_logs: None,
) -> TestServer:
    """Voile with both fake providers (`/openai/v1`, `/anthropic`), for an app whose policy
    finds the four values."""
    fake_openai.reply_factory = openai_model
    write_policy(policies_dir, "compat", POLICY)
    anthropic_upstream: TestServer = await aiohttp_server(fake_anthropic.app())
    return await start_voile(
        make_config(
            providers=both_providers(upstream, anthropic_upstream),
            apps=[{"name": "compat", "key": APP_KEY, "policy": "compat"}],
        )
    )


@pytest.fixture
def no_leaks(fake_openai: FakeOpenAI, fake_anthropic: FakeAnthropic) -> Iterator[None]:
    """After the test: neither provider received any of the values."""
    yield
    for fake in (fake_openai, fake_anthropic):
        assert_not_leaked(fake, list(VALUES.values()))


def openai_url(server: TestServer) -> str:
    return str(server.make_url("/openai/v1"))


def anthropic_url(server: TestServer) -> str:
    return str(server.make_url("/anthropic"))
