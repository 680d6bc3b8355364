"""Conversations the provider keeps (`previous_response_id`): an answer may quote placeholders
minted in an earlier request; the conversation vault restores them, per app, and anything it
cannot restore is counted, never invented."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import openai
import pytest
from aiohttp.test_utils import TestServer

from proxy.config import Config
from proxy.placeholders import TOKEN_PATTERN
from tests.fakes.openai_provider import FakeOpenAI, Reply, responses_user_text
from tests.proxy.conftest import OTHER_APP_KEY, client_for
from tests.proxy.support import records

EMAIL = "jean.dupont@orange.fr"


async def first_turn(client: openai.AsyncOpenAI, fake: FakeOpenAI) -> str:
    """Send the e-mail once (response resp_turn1); return the token the provider saw."""
    fake.replies.append(Reply(content="Noted.", response_id="resp_turn1"))
    await client.responses.create(model="gpt-4.1", input=f"My address is {EMAIL}.")
    match = TOKEN_PATTERN.search(responses_user_text(fake.received[-1]))
    assert match is not None
    return match.group()


@pytest.mark.parametrize("stream", [False, True])
async def test_previous_response_placeholders_are_restored_from_the_vault(
    stream: bool,
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
) -> None:
    token = await first_turn(client, fake_openai)
    fake_openai.replies.append(
        Reply(content=f"Your address is {token}.", response_id="resp_turn2", chunk_sizes=[3])
    )
    if stream:
        text = ""
        async with client.responses.stream(
            model="gpt-4.1", input="What is my address?", previous_response_id="resp_turn1"
        ) as events:
            async for event in events:
                if event.type == "response.output_text.delta":
                    text += event.delta
    else:
        answer = await client.responses.create(
            model="gpt-4.1", input="What is my address?", previous_response_id="resp_turn1"
        )
        text = answer.output_text
    assert text == f"Your address is {EMAIL}."
    assert EMAIL not in fake_openai.everything_received()

    # The chain goes on: turn 3 continues turn 2, and the token is still known.
    fake_openai.replies.append(Reply(content=f"Still {token}.", response_id="resp_turn3"))
    answer = await client.responses.create(
        model="gpt-4.1", input="Again?", previous_response_id="resp_turn2"
    )
    assert answer.output_text == f"Still {EMAIL}."


async def test_another_app_cannot_restore_the_conversation(
    voile: TestServer,
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    token = await first_turn(client, fake_openai)
    fake_openai.replies.append(Reply(content=f"It is {token}.", response_id="resp_other"))
    async with client_for(voile, key=OTHER_APP_KEY) as other:
        raw = await other.responses.with_raw_response.create(
            model="gpt-4.1", input="Whose address?", previous_response_id="resp_turn1"
        )
    answer = raw.parse()
    assert answer.output_text == f"It is {token}."  # left as is: never someone else's value
    assert raw.headers["x-voile-unresolved"] == "1"
    assert records(make_config())[-1].unresolved_placeholders == 1


async def test_chat_completions_leave_nothing_in_the_vault(
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": f"Mail {EMAIL}"}]
    )
    path = make_config().data_dir / "conversations.db"
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT COUNT(*) FROM voile_conversation_tokens").fetchone()
    assert rows == (0,)
