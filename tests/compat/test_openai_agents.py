"""openai-agents through Voile: a Runner with one function tool (Responses API and Chat
Completions models), streamed or not, and a structured `output_type`. Tracing is off: the
SDK would otherwise export traces to api.openai.com."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import openai
import pytest
from agents import (
    Agent,
    Model,
    OpenAIChatCompletionsModel,
    OpenAIResponsesModel,
    RunConfig,
    Runner,
    function_tool,
)
from aiohttp.test_utils import TestServer
from pydantic import BaseModel

from tests.compat.conftest import (
    ADDRESS,
    APP_KEY,
    EXPECTED_FINAL,
    MODEL,
    NAME,
    PROMPT,
    VALUES,
    openai_url,
    receipt,
)
from tests.fakes.openai_provider import FakeOpenAI

pytestmark = pytest.mark.usefixtures("no_leaks")
RUN = RunConfig(tracing_disabled=True)


class Customer(BaseModel):
    name: str
    address: str
    folder: str
    colleague: str


@pytest.fixture(autouse=True)
def no_tracing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_AGENTS_DISABLE_TRACING", "1")


@pytest.fixture
async def client(voile: TestServer) -> AsyncIterator[openai.AsyncOpenAI]:
    async with openai.AsyncOpenAI(
        base_url=openai_url(voile), api_key=APP_KEY, max_retries=0, timeout=30
    ) as sdk:
        yield sdk


def model_of(api: str, client: openai.AsyncOpenAI) -> Model:
    if api == "responses":
        return OpenAIResponsesModel(model=MODEL, openai_client=client)
    return OpenAIChatCompletionsModel(model=MODEL, openai_client=client)


APIS = ["responses", "chat"]


@pytest.mark.parametrize("api", APIS)
async def test_plain_run(api: str, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI) -> None:
    agent = Agent(name="clerk", model=model_of(api, client))
    result = await Runner.run(agent, PROMPT, run_config=RUN)
    assert result.final_output == PROMPT
    assert len(fake_openai.received) == 1


@pytest.mark.parametrize("api", APIS)
async def test_streamed_run(api: str, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI) -> None:
    agent = Agent(name="clerk", model=model_of(api, client))
    result = Runner.run_streamed(agent, PROMPT, run_config=RUN)
    deltas: list[str] = []
    async for event in result.stream_events():
        data: Any = getattr(event, "data", None)
        if getattr(data, "type", "") == "response.output_text.delta":
            deltas.append(data.delta)
    assert "".join(deltas) == PROMPT
    assert result.final_output == PROMPT


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize("api", APIS)
async def test_function_tool_round_trip(
    api: str, stream: bool, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    calls: list[tuple[str, str]] = []

    @function_tool
    def file_customer(name: str, address: str) -> str:
        """File the customer's name and postal address; returns a receipt."""
        calls.append((name, address))
        return receipt(name, address)

    agent = Agent(name="clerk", model=model_of(api, client), tools=[file_customer])
    if stream:
        streamed = Runner.run_streamed(agent, PROMPT, run_config=RUN)
        async for _ in streamed.stream_events():
            pass
        final = streamed.final_output
    else:
        final = (await Runner.run(agent, PROMPT, run_config=RUN)).final_output
    assert calls == [(NAME, ADDRESS)]
    assert final == EXPECTED_FINAL
    assert len(fake_openai.received) == 2


@pytest.mark.parametrize("api", APIS)
async def test_structured_output_type(
    api: str, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    agent = Agent(name="clerk", model=model_of(api, client), output_type=Customer)
    result = await Runner.run(agent, PROMPT, run_config=RUN)
    assert result.final_output == Customer(**VALUES)
    assert len(fake_openai.received) == 1
