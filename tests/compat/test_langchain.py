"""LangChain's `ChatOpenAI` and `ChatAnthropic` through Voile: plain, stream, a tool call
round trip and `with_structured_output`, with values holding quotes and line breaks."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from langchain_anthropic import ChatAnthropic
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

from tests.compat.conftest import (
    ADDRESS,
    APP_KEY,
    CLAUDE,
    EXPECTED_FINAL,
    MODEL,
    NAME,
    PROMPT,
    TOOL_DESCRIPTION,
    VALUES,
    anthropic_url,
    openai_url,
    receipt,
)
from tests.fakes.anthropic_provider import FakeAnthropic
from tests.fakes.openai_provider import FakeOpenAI

pytestmark = pytest.mark.usefixtures("no_leaks")


class Customer(BaseModel):
    name: str
    address: str
    folder: str
    colleague: str


EXPECTED = Customer(**VALUES)


@tool(description=TOOL_DESCRIPTION)
def file_customer(name: str, address: str) -> str:
    return receipt(name, address)


def chat_openai(voile: TestServer, **kwargs: Any) -> ChatOpenAI:
    return ChatOpenAI(
        model=MODEL,
        base_url=openai_url(voile),
        api_key=APP_KEY,  # type: ignore[arg-type]
        max_retries=0,
        timeout=30,
        **kwargs,
    )


def chat_anthropic(voile: TestServer) -> ChatAnthropic:
    return ChatAnthropic(
        model_name=CLAUDE,
        base_url=anthropic_url(voile),  # type: ignore[call-arg]
        api_key=APP_KEY,
        max_retries=0,
        timeout=30,
    )  # type: ignore[arg-type]


Chat = ChatOpenAI | ChatAnthropic


def make(kind: str, voile: TestServer) -> Chat:
    return chat_openai(voile) if kind == "openai" else chat_anthropic(voile)


def received(kind: str, fake_openai: FakeOpenAI, fake_anthropic: FakeAnthropic) -> int:
    return len(fake_openai.received if kind == "openai" else fake_anthropic.received)


KINDS = ["openai", "anthropic"]


@pytest.mark.parametrize("kind", KINDS)
async def test_plain_call(
    kind: str, voile: TestServer, fake_openai: FakeOpenAI, fake_anthropic: FakeAnthropic
) -> None:
    answer = await make(kind, voile).ainvoke(PROMPT)
    assert answer.text == PROMPT
    assert received(kind, fake_openai, fake_anthropic) == 1


@pytest.mark.parametrize("kind", KINDS)
async def test_stream(
    kind: str, voile: TestServer, fake_openai: FakeOpenAI, fake_anthropic: FakeAnthropic
) -> None:
    pieces = [chunk.text async for chunk in make(kind, voile).astream(PROMPT)]
    assert "".join(pieces) == PROMPT
    assert received(kind, fake_openai, fake_anthropic) == 1


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize("kind", KINDS)
async def test_tool_call_round_trip(
    kind: str,
    stream: bool,
    voile: TestServer,
    fake_openai: FakeOpenAI,
    fake_anthropic: FakeAnthropic,
) -> None:
    model = make(kind, voile).bind_tools([file_customer])
    messages: list[BaseMessage] = [HumanMessage(PROMPT)]

    async def turn() -> AIMessage:
        if not stream:
            answer = await model.ainvoke(messages)
            assert isinstance(answer, AIMessage)
            return answer
        merged: Any = None
        async for chunk in model.astream(messages):
            merged = chunk if merged is None else merged + chunk
        return AIMessage(content=merged.content, tool_calls=merged.tool_calls)

    call = await turn()
    assert [c["args"] for c in call.tool_calls] == [{"name": NAME, "address": ADDRESS}]
    messages.append(call)
    messages.append(
        ToolMessage(
            file_customer.invoke(call.tool_calls[0]["args"]), tool_call_id=call.tool_calls[0]["id"]
        )
    )
    final = await turn()
    assert final.text == EXPECTED_FINAL
    assert received(kind, fake_openai, fake_anthropic) == 2


STRUCTURED = [
    ("openai", "json_schema"),
    ("openai", "function_calling"),
    ("openai", "json_mode"),
    ("anthropic", "function_calling"),
    ("anthropic", "json_schema"),
]


@pytest.mark.parametrize(("kind", "method"), STRUCTURED)
async def test_with_structured_output(
    kind: str,
    method: str,
    voile: TestServer,
    fake_openai: FakeOpenAI,
    fake_anthropic: FakeAnthropic,
) -> None:
    model = make(kind, voile).with_structured_output(Customer, method=method)  # type: ignore[arg-type]
    prompt = PROMPT + (" Answer in JSON." if method == "json_mode" else "")
    assert await model.ainvoke(prompt) == EXPECTED
    assert received(kind, fake_openai, fake_anthropic) == 1


# langchain-openai dumps the SDK's parsed stream chunk, whose `parsed` field is typed None:
# pydantic warns on the client side (Voile relays bytes), and the suite makes warnings errors.
@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")
@pytest.mark.parametrize("kind", KINDS)
async def test_with_structured_output_streamed(
    kind: str, voile: TestServer, fake_openai: FakeOpenAI, fake_anthropic: FakeAnthropic
) -> None:
    model = make(kind, voile).with_structured_output(Customer)
    last: Any = None
    async for partial in model.astream(PROMPT):
        last = partial
    assert last == EXPECTED
    assert received(kind, fake_openai, fake_anthropic) == 1
