"""End users stay apart (issue 8, item 12): when a request names its end user
(`x-voile-end-user`, `safety_identifier`, `user`), the conversation vault is keyed by app *and*
end user. A response id is not a secret, so another end user of the same app — or a request
naming no one — continuing it gets the placeholders left as they are, and counted, never
someone else's values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import openai
import pytest

from proxy.config import Config
from proxy.placeholders import TOKEN_PATTERN
from tests.fakes.openai_provider import FakeOpenAI, Reply, responses_user_text
from tests.proxy.support import records

EMAIL = "jean.dupont@orange.fr"
HEADER = "x-voile-end-user"


def as_end_user(name: str | None) -> dict[str, Any]:
    return {"extra_headers": {HEADER: name}} if name else {}


async def first_turn(client: openai.AsyncOpenAI, fake: FakeOpenAI, end_user: str | None) -> str:
    """`end_user` sends the e-mail once (response resp_turn1); the token the provider saw."""
    fake.replies.append(Reply(content="Noted.", response_id="resp_turn1"))
    await client.responses.create(
        model="gpt-4.1", input=f"My address is {EMAIL}.", **as_end_user(end_user)
    )
    match = TOKEN_PATTERN.search(responses_user_text(fake.received[-1]))
    assert match is not None
    return match.group()


async def continue_as(
    client: openai.AsyncOpenAI,
    fake: FakeOpenAI,
    token: str,
    end_user: str | None,
    *,
    stream: bool = False,
) -> tuple[str, str | None]:
    """Continue resp_turn1 as `end_user`; the provider quotes the token. (text, unresolved)"""
    fake.replies.append(
        Reply(content=f"Your address is {token}.", response_id="resp_next", chunk_sizes=[5])
    )
    if stream:
        text = ""
        async with client.responses.stream(
            model="gpt-4.1",
            input="What is my address?",
            previous_response_id="resp_turn1",
            **as_end_user(end_user),
        ) as events:
            async for event in events:
                if event.type == "response.output_text.delta":
                    text += event.delta
        return text, None
    raw = await client.responses.with_raw_response.create(
        model="gpt-4.1",
        input="What is my address?",
        previous_response_id="resp_turn1",
        **as_end_user(end_user),
    )
    return raw.parse().output_text, raw.headers.get("x-voile-unresolved")


@pytest.mark.parametrize("stream", [False, True])
async def test_another_end_user_of_the_same_app_gets_the_placeholder_not_the_value(
    stream: bool,
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    token = await first_turn(client, fake_openai, "alice")

    text, unresolved = await continue_as(client, fake_openai, token, "bob", stream=stream)
    assert text == f"Your address is {token}."  # never alice's address
    if not stream:
        assert unresolved == "1"
    record = records(make_config())[-1]
    assert record.unresolved_placeholders == 1

    # Alice herself continues her conversation as before.
    text, unresolved = await continue_as(client, fake_openai, token, "alice", stream=stream)
    assert text == f"Your address is {EMAIL}."
    assert unresolved is None


@pytest.mark.parametrize(("writer", "reader"), [("alice", None), (None, "alice")])
async def test_named_and_unnamed_end_users_do_not_share_a_conversation(
    writer: str | None,
    reader: str | None,
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
) -> None:
    token = await first_turn(client, fake_openai, writer)
    text, unresolved = await continue_as(client, fake_openai, token, reader)
    assert (text, unresolved) == (f"Your address is {token}.", "1")
    text, unresolved = await continue_as(client, fake_openai, token, writer)
    assert (text, unresolved) == (f"Your address is {EMAIL}.", None)


async def test_the_end_user_may_be_named_by_safety_identifier_or_user(
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
) -> None:
    """The vault's end user is the audit's: the header, else `safety_identifier`, else
    `user` — the same request field for the same person finds the conversation again."""
    fake_openai.replies.append(Reply(content="Noted.", response_id="resp_turn1"))
    await client.responses.create(
        model="gpt-4.1", input=f"My address is {EMAIL}.", safety_identifier="alice"
    )
    token_match = TOKEN_PATTERN.search(responses_user_text(fake_openai.received[-1]))
    assert token_match is not None
    token = token_match.group()

    async def ask(**who: Any) -> str:
        fake_openai.replies.append(Reply(content=f"It is {token}.", response_id="resp_x"))
        answer = await client.responses.create(
            model="gpt-4.1", input="Address?", previous_response_id="resp_turn1", **who
        )
        text: str = answer.output_text
        return text

    assert await ask(safety_identifier="alice") == f"It is {EMAIL}."
    assert await ask(extra_headers={HEADER: "alice"}) == f"It is {EMAIL}."
    assert await ask(user="alice") == f"It is {EMAIL}."
    assert await ask(safety_identifier="bob") == f"It is {token}."
    assert await ask() == f"It is {token}."
