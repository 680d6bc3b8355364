"""The `fake` action through the relay, with the official SDKs against the fake providers:
the provider sees plausible surrogates (no placeholder, no value of the request), the app
gets its exact text back, streamed or not, in every wire format; answers that rephrase a
surrogate (capitals, possessive, the surname alone, a number regrouped) come back too; and
a provider-held conversation restores surrogates of earlier turns from the vault."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest
from aiohttp.test_utils import TestServer

from proxy.config import Config
from proxy.placeholders import TOKEN_PATTERN
from tests.fakes.anthropic_provider import FakeAnthropic
from tests.fakes.anthropic_provider import Reply as AnthropicReply
from tests.fakes.openai_provider import (
    FakeOpenAI,
    Reply,
    ToolCall,
    last_user_text,
    responses_user_text,
)
from tests.proxy.conftest import APP_KEY, OTHER_APP_KEY, VoileFactory, audit_store_of, client_for
from tests.proxy.support import PROMPTS, assert_not_leaked, both_providers, write_policy

FAKING = """\
description: Realistic surrogates for every type.
languages: [en, fr]
min_score: 0.3
default_action: fake
"""

FR = PROMPTS["fr_contact"]
JEAN = "Jean Dupont"
# Values the prompts carry that `PROMPTS` does not list (placeholders hide them all alike).
ALSO = {"en_card_unicode": ["Zoë Ångström"]}


@pytest.fixture
def fake_anthropic() -> FakeAnthropic:
    return FakeAnthropic()


@pytest.fixture
async def anthropic_upstream(aiohttp_server: Any, fake_anthropic: FakeAnthropic) -> TestServer:
    server: TestServer = await aiohttp_server(fake_anthropic.app())
    return server


@pytest.fixture
def config(
    make_config: Callable[..., Config],
    upstream: TestServer,
    anthropic_upstream: TestServer,
    policies_dir: Path,
) -> Config:
    write_policy(policies_dir, "faking", FAKING)
    return make_config(
        providers=both_providers(upstream, anthropic_upstream),
        apps=[
            {"name": "support", "key": APP_KEY, "policy": "faking"},
            {"name": "hr", "key_env": "VOILE_TEST_HR_KEY", "policy": "faking"},
        ],
    )


@pytest.fixture
async def voile(start_voile: VoileFactory, config: Config) -> TestServer:
    return await start_voile(config)


@pytest.fixture
async def claude(voile: TestServer) -> AsyncIterator[anthropic.AsyncAnthropic]:
    async with anthropic.AsyncAnthropic(
        base_url=str(voile.make_url("/anthropic")), api_key=APP_KEY, max_retries=0
    ) as sdk:
        yield sdk


def surrogates_in(masked: str, prompt: str, values: list[str]) -> dict[str, str]:
    """value -> what the provider saw in its place, read off the masked text."""
    pattern, cursor, groups = "", 0, {}
    found = sorted(
        (m.start(), value) for value in values for m in re.finditer(re.escape(value), prompt)
    )
    for start, value in found:
        pattern += re.escape(prompt[cursor:start])
        if value in groups:
            pattern += f"(?P={groups[value]})"
        else:
            groups[value] = f"v{len(groups)}"
            pattern += f"(?P<{groups[value]}>.+?)"
        cursor = start + len(value)
    pattern += re.escape(prompt[cursor:])
    match = re.fullmatch(pattern, masked, re.DOTALL)
    assert match is not None, "the provider's text differs from the prompt beyond the values"
    return {value: match.group(name) for value, name in groups.items()}


def assert_faked(
    fake: FakeOpenAI | FakeAnthropic, text: str, prompt: str, values: list[str]
) -> dict[str, str]:
    """The provider saw surrogates: no value, no placeholder; each surrogate differs from
    every value of the request."""
    assert_not_leaked(fake, values)
    assert not TOKEN_PATTERN.search(text)
    seen = surrogates_in(text, prompt, values)
    for surrogate in seen.values():
        assert surrogate not in values
        assert surrogate.casefold() not in prompt.casefold()
    return seen


# ------------------------------------------------------------------------ OpenAI chat


@pytest.mark.parametrize("case", sorted(PROMPTS))
async def test_chat_round_trip_fakes_and_restores(
    case: str, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt, values = PROMPTS[case]
    values = [*values, *ALSO.get(case, [])]
    answer = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": prompt}]
    )
    assert_faked(fake_openai, last_user_text(fake_openai.last), prompt, values)
    assert answer.choices[0].message.content == prompt  # the echo, restored


@pytest.mark.parametrize("case", sorted(PROMPTS))
async def test_chat_stream_round_trip_fakes_and_restores(
    case: str, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt, values = PROMPTS[case]
    values = [*values, *ALSO.get(case, [])]
    fake_openai.replies.append(Reply(chunk_sizes=[3, 5, 1, 7]))
    stream = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": prompt}], stream=True
    )
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert_faked(fake_openai, last_user_text(fake_openai.last), prompt, values)
    assert text == prompt


async def test_a_surrogate_cut_at_every_offset_is_restored(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt = "Écrivez à Jean Dupont (jean.dupont@orange.fr)."
    await client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])
    masked = last_user_text(fake_openai.last)
    seen = surrogates_in(masked, prompt, [JEAN, "jean.dupont@orange.fr"])
    start = masked.index(seen[JEAN])
    end = masked.index(seen["jean.dupont@orange.fr"]) + len(seen["jean.dupont@orange.fr"])
    for cut in range(start, end + 1):
        fake_openai.replies.append(Reply(split_at=[cut, cut + 1]))
        stream = await client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": prompt}], stream=True
        )
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
        assert text == prompt, f"cut at {cut}"


async def test_sse_bytes_cut_one_by_one_still_restore(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt, _ = FR
    fake_openai.replies.append(Reply(byte_chunks=1, chunk_sizes=[2]))
    stream = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": prompt}], stream=True
    )
    assert "".join([c.choices[0].delta.content or "" async for c in stream if c.choices]) == prompt


def _tool_reply(body: dict[str, Any], stream_sizes: list[int] | None = None) -> Reply:
    """A tool call whose arguments carry the surrogates the provider saw."""
    masked = last_user_text(body)
    seen = surrogates_in(masked, "Mail Jean Dupont at jean.dupont@orange.fr now.", [
        JEAN, "jean.dupont@orange.fr",
    ])  # fmt: skip
    arguments = json.dumps({"to": seen["jean.dupont@orange.fr"], "subject": f'Re: "{seen[JEAN]}"'})
    return Reply(tool_calls=[ToolCall("send_mail", arguments)], chunk_sizes=stream_sizes)


@pytest.mark.parametrize("stream", [False, True])
async def test_tool_call_arguments_are_restored_as_valid_json(
    stream: bool, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply_factory = lambda body: _tool_reply(body, [2, 3] if stream else None)
    messages: Any = [{"role": "user", "content": "Mail Jean Dupont at jean.dupont@orange.fr now."}]
    if stream:
        arguments = ""
        chunks = await client.chat.completions.create(model="m", messages=messages, stream=True)
        async for chunk in chunks:
            for choice in chunk.choices:
                for call in choice.delta.tool_calls or []:
                    arguments += (call.function.arguments or "") if call.function else ""
    else:
        answer = await client.chat.completions.create(model="m", messages=messages)
        calls = answer.choices[0].message.tool_calls
        assert calls is not None
        arguments = calls[0].function.arguments  # type: ignore[union-attr]
    assert json.loads(arguments) == {"to": "jean.dupont@orange.fr", "subject": 'Re: "Jean Dupont"'}


def rephrase(seen: dict[str, str]) -> str:
    """An answer that writes the surrogates as models do: capitals, possessive, the surname
    alone, the first name alone, the e-mail in capitals, the phone and IBAN regrouped."""
    first, last = seen[JEAN].split()
    phone = seen["06 12 34 56 78"].replace(" ", "")
    iban = seen["FR76 3000 6000 0112 3456 7890 189"].replace(" ", "")
    return (
        f"Dossier de {last.upper()}, {first.upper()} : M. {last} a écrit depuis "
        f"{seen['jean.dupont@orange.fr'].upper()}. {last}'s number: {phone}. "
        f"Merci {first} ! IBAN {iban}."
    )


REPHRASED = (
    "Dossier de DUPONT, JEAN : M. Dupont a écrit depuis JEAN.DUPONT@ORANGE.FR. "
    "Dupont's number: 0612345678. Merci Jean ! IBAN FR7630006000011234567890189."
)


@pytest.mark.parametrize("stream", [False, True])
async def test_an_answer_that_rephrases_the_surrogates_is_restored(
    stream: bool, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt, values = FR

    def answer(body: dict[str, Any]) -> Reply:
        seen = surrogates_in(last_user_text(body), prompt, values)
        return Reply(content=rephrase(seen), chunk_sizes=[1, 2, 3, 5])

    fake_openai.reply_factory = answer
    messages: Any = [{"role": "user", "content": prompt}]
    if stream:
        chunks = await client.chat.completions.create(model="m", messages=messages, stream=True)
        text = "".join([c.choices[0].delta.content or "" async for c in chunks if c.choices])
    else:
        whole = await client.chat.completions.create(model="m", messages=messages)
        text = whole.choices[0].message.content or ""
    assert text == REPHRASED


async def test_same_surrogates_across_turns_and_others_for_another_app(
    voile: TestServer, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt, values = FR
    first = [{"role": "user", "content": prompt}]
    answer = await client.chat.completions.create(model="m", messages=first)
    turn_1 = surrogates_in(last_user_text(fake_openai.last), prompt, values)
    history: Any = [
        *first,
        {"role": "assistant", "content": answer.choices[0].message.content},
        {"role": "user", "content": f"Et Marie Curie ? {prompt}"},
    ]
    await client.chat.completions.create(model="m", messages=history)
    sent = fake_openai.last["messages"]
    assert surrogates_in(sent[0]["content"], prompt, values) == turn_1
    assert surrogates_in(sent[1]["content"], prompt, values) == turn_1
    async with client_for(voile, key=OTHER_APP_KEY) as other:
        await other.chat.completions.create(model="m", messages=first)
    assert surrogates_in(last_user_text(fake_openai.last), prompt, values) != turn_1


# --------------------------------------------------------------------------- Anthropic


@pytest.mark.parametrize("stream", [False, True])
async def test_anthropic_round_trip_and_rephrasing(
    stream: bool, claude: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    prompt, values = FR

    def answer(body: dict[str, Any]) -> AnthropicReply:
        seen = surrogates_in(body["messages"][-1]["content"], prompt, values)
        return AnthropicReply(text=f"{prompt}\n{rephrase(seen)}", chunk_sizes=[2, 7])

    fake_anthropic.reply_factory = answer
    messages: Any = [{"role": "user", "content": prompt}]
    if stream:
        async with claude.messages.stream(
            model="claude-sonnet-4-6", max_tokens=256, messages=messages
        ) as events:
            text = "".join([delta async for delta in events.text_stream])
    else:
        message = await claude.messages.create(
            model="claude-sonnet-4-6", max_tokens=256, messages=messages
        )
        block = message.content[0]
        assert block.type == "text"
        text = block.text
    assert_faked(fake_anthropic, fake_anthropic.last["messages"][-1]["content"], prompt, values)
    assert text == f"{prompt}\n{REPHRASED}"


# ------------------------------------------------------- Responses, provider-held state


@pytest.mark.parametrize("stream", [False, True])
async def test_a_surrogate_of_an_earlier_turn_is_restored_from_the_vault(
    stream: bool, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt = "Je suis Jean Dupont, écrivez à jean.dupont@orange.fr."
    fake_openai.replies.append(Reply(content="Noted.", response_id="resp_turn1"))
    await client.responses.create(model="gpt-4.1", input=prompt)
    masked = responses_user_text(fake_openai.received[-1])
    seen = surrogates_in(masked, prompt, [JEAN, "jean.dupont@orange.fr"])
    last = seen[JEAN].split()[1]
    content = f"{seen[JEAN]} ({seen['jean.dupont@orange.fr']}), M. {last.upper()}."
    fake_openai.replies.append(Reply(content=content, response_id="resp_turn2", chunk_sizes=[3]))
    if stream:
        text = ""
        async with client.responses.stream(
            model="gpt-4.1", input="Qui suis-je ?", previous_response_id="resp_turn1"
        ) as events:
            async for event in events:
                if event.type == "response.output_text.delta":
                    text += event.delta
    else:
        answer = await client.responses.create(
            model="gpt-4.1", input="Qui suis-je ?", previous_response_id="resp_turn1"
        )
        text = answer.output_text
    assert text == "Jean Dupont (jean.dupont@orange.fr), M. DUPONT."
    assert_not_leaked(fake_openai, [JEAN, "jean.dupont@orange.fr"])


async def test_the_trail_and_the_vault_keep_the_mapping_encrypted(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI, config: Config
) -> None:
    """The audit record counts the action per type in clear; the surrogate -> value map is
    in its encrypted payload, and in the conversation vault, sealed, as placeholders are."""
    prompt = "Je suis Jean Dupont, écrivez à jean.dupont@orange.fr."
    fake_openai.replies.append(Reply(content="Noted.", response_id="resp_sealed"))
    await client.responses.create(model="gpt-4.1", input=prompt)
    seen = surrogates_in(
        responses_user_text(fake_openai.last), prompt, [JEAN, "jean.dupont@orange.fr"]
    )
    store = audit_store_of(config)
    try:
        [record] = store.list_records()
        payload = store.decrypt_payload(record)
    finally:
        store.close()
    assert record.entity_actions == {"EMAIL_ADDRESS": {"fake": 1}, "PERSON": {"fake": 1}}
    assert payload["entity_map"][seen[JEAN]] == JEAN
    assert payload["entity_map"][seen["jean.dupont@orange.fr"]] == "jean.dupont@orange.fr"
    with sqlite3.connect(config.data_dir / "conversations.db") as connection:
        [(sealed,)] = connection.execute("SELECT sealed FROM voile_conversation_tokens")
    for clear in (JEAN, seen[JEAN], "jean.dupont@orange.fr", seen["jean.dupont@orange.fr"]):
        assert clear.encode() not in sealed


@pytest.mark.parametrize("stream", [False, True])
async def test_surrogates_rephrased_are_not_taken_for_generated_data(
    stream: bool,
    start_voile: VoileFactory,
    config: Config,
    policies_dir: Path,
    fake_openai: FakeOpenAI,
) -> None:
    """Under `generated: redact`, the request's own values that the model wrote back in
    another form (a surrogate in capitals, a number regrouped) are not the model's: restored,
    not redacted; a phone number the model made up is."""
    write_policy(policies_dir, "faking", FAKING + "generated: {action: redact, min_score: 0.3}\n")
    prompt, values = FR

    def answer(body: dict[str, Any]) -> Reply:
        seen = surrogates_in(last_user_text(body), prompt, values)
        return Reply(content=rephrase(seen) + " Appelez le 01 45 67 89 10.", chunk_sizes=[4])

    fake_openai.reply_factory = answer
    server = await start_voile(config)
    messages: Any = [{"role": "user", "content": prompt}]
    async with client_for(server) as sdk:
        if stream:
            chunks = await sdk.chat.completions.create(model="m", messages=messages, stream=True)
            text = "".join([c.choices[0].delta.content or "" async for c in chunks if c.choices])
        else:
            whole = await sdk.chat.completions.create(model="m", messages=messages)
            text = whole.choices[0].message.content or ""
    assert text == REPHRASED + " Appelez le [PHONE_NUMBER]."


async def test_values_differing_in_case_come_back_as_written(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt = (
        "Copie à JOHN.SMITH@EXAMPLE.COM et à john.smith@example.com pour JEAN DUPONT, Jean Dupont."
    )
    answer = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": prompt}]
    )
    sent = last_user_text(fake_openai.last)
    assert_not_leaked(fake_openai, ["john.smith@example.com", "Jean Dupont", "JEAN DUPONT"])
    assert "@example" in sent  # reserved domains
    assert answer.choices[0].message.content == prompt
