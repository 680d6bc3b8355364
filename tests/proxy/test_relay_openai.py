"""The governed round trip with the official `openai` SDK: the provider sees placeholders only,
the app gets its exact text back, streamed or not."""

from __future__ import annotations

import itertools
import json
from typing import Any

import openai
import pytest
from aiohttp.test_utils import TestServer

from proxy.placeholders import TOKEN_PATTERN
from tests.fakes.openai_provider import FakeOpenAI, Reply, ToolCall
from tests.proxy.conftest import PROVIDER_KEY, client_for
from tests.proxy.support import PROMPTS, assert_not_leaked


@pytest.mark.parametrize("case", sorted(PROMPTS))
async def test_non_stream_round_trip_masks_and_restores(
    case: str, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt, values = PROMPTS[case]
    answer = await client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}]
    )
    assert_not_leaked(fake_openai, values)
    assert TOKEN_PATTERN.search(fake_openai.last["messages"][0]["content"])
    assert answer.choices[0].message.content == prompt  # the fake echoed placeholders
    assert answer.usage is not None
    assert answer.usage.total_tokens == 18


@pytest.mark.parametrize("case", sorted(PROMPTS))
async def test_stream_round_trip_masks_and_restores(
    case: str, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt, values = PROMPTS[case]
    fake_openai.replies.append(Reply(chunk_sizes=[3, 5, 1, 7]))
    stream = await client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": prompt}],
        stream=True,
        stream_options={"include_usage": True},
    )
    text, usage, ids = "", None, set()
    async for chunk in stream:
        ids.add(chunk.id)
        if chunk.usage:
            usage = chunk.usage
        for choice in chunk.choices:
            text += choice.delta.content or ""
    assert_not_leaked(fake_openai, values)
    assert text == prompt
    assert usage is not None
    assert usage.completion_tokens == 7
    assert ids == {"chatcmpl-fake123"}


async def test_same_value_gets_same_token_across_messages_and_turns(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    first = [{"role": "user", "content": "My colleague Jean Dupont is off today."}]
    answer = await client.chat.completions.create(model="m", messages=first)
    token_turn_1 = set(TOKEN_PATTERN.findall(fake_openai.last["messages"][0]["content"]))
    history = [
        *first,
        {"role": "assistant", "content": answer.choices[0].message.content},
        {"role": "user", "content": "Tell Jean Dupont that Marie Curie called."},
    ]
    await client.chat.completions.create(model="m", messages=history)
    sent = fake_openai.last["messages"]
    tokens = [set(TOKEN_PATTERN.findall(m["content"])) for m in sent]
    assert token_turn_1
    assert token_turn_1 <= tokens[0]
    assert token_turn_1 <= tokens[1]
    assert token_turn_1 <= tokens[2]
    assert len(tokens[2]) == 2  # Jean Dupont and Marie Curie: two distinct tokens
    assert "Jean Dupont" not in fake_openai.everything_received()


async def test_values_differing_in_case_are_restored_as_written(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt = "Send it to JOHN.SMITH@EXAMPLE.COM and to john.smith@example.com please."
    answer = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": prompt}]
    )
    sent = fake_openai.last["messages"][0]["content"]
    assert len(set(TOKEN_PATTERN.findall(sent))) == 2
    assert answer.choices[0].message.content == prompt


async def test_every_text_field_of_the_request_is_masked(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    values = [
        "Jean Dupont",
        "jean.dupont@orange.fr",
        "Marie Curie",
        "marie.curie@sorbonne.fr",
        "john.smith@example.com",
    ]
    messages: list[Any] = [
        {"role": "system", "content": "You help Marie Curie (marie.curie@sorbonne.fr)."},
        {"role": "developer", "content": [{"type": "text", "text": "Sign as Jean Dupont."}]},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Write to jean.dupont@orange.fr"},
                {"type": "text", "text": "and copy john.smith@example.com."},
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {
                        "name": "send_mail",
                        "arguments": json.dumps(
                            {"to": "jean.dupont@orange.fr", "body": "Bonjour Marie Curie"}
                        ),
                    },
                }
            ],
        },
        {
            "role": "tool",
            "tool_call_id": "call_1",
            "content": "Delivered to jean.dupont@orange.fr for Jean Dupont.",
        },
        {"role": "user", "content": "Thanks!"},
    ]
    await client.chat.completions.create(
        model="m",
        messages=messages,
        user="marie.curie@sorbonne.fr",
        metadata={"customer": "Jean Dupont"},
    )
    assert_not_leaked(fake_openai, values)
    sent = fake_openai.last
    arguments = json.loads(sent["messages"][3]["tool_calls"][0]["function"]["arguments"])
    assert set(arguments) == {"to", "body"}
    assert TOKEN_PATTERN.fullmatch(arguments["to"])
    assert sent["messages"][3]["tool_calls"][0]["id"] == "call_1"
    assert sent["messages"][4]["tool_call_id"] == "call_1"
    # The same e-mail got the same token in the user part, the arguments and the tool result.
    user_token = TOKEN_PATTERN.search(sent["messages"][2]["content"][0]["text"])
    assert user_token is not None
    assert user_token.group() == arguments["to"]
    assert user_token.group() in sent["messages"][4]["content"]


def _tool_reply(body: dict[str, Any], *, stream_sizes: list[int] | None = None) -> Reply:
    """Answer with a tool call whose arguments quote the (masked) e-mail the provider got."""
    text = body["messages"][-1]["content"]
    match = TOKEN_PATTERN.search(text)
    assert match is not None
    arguments = json.dumps({"to": match.group(), "subject": f"Re: {match.group()}"})
    return Reply(tool_calls=[ToolCall("send_mail", arguments)], chunk_sizes=stream_sizes)


async def test_tool_call_arguments_are_restored_as_valid_json(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply_factory = _tool_reply
    answer = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "Mail jean.dupont@orange.fr now."}]
    )
    calls = answer.choices[0].message.tool_calls
    assert calls is not None
    assert json.loads(calls[0].function.arguments) == {  # type: ignore[union-attr]
        "to": "jean.dupont@orange.fr",
        "subject": "Re: jean.dupont@orange.fr",
    }


async def test_streamed_tool_call_arguments_are_restored(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply_factory = lambda body: _tool_reply(body, stream_sizes=[2, 3])
    stream = await client.chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": "Mail jean.dupont@orange.fr now."}],
        stream=True,
    )
    arguments = ""
    async for chunk in stream:
        for choice in chunk.choices:
            for call in choice.delta.tool_calls or []:
                arguments += (call.function.arguments or "") if call.function else ""
    assert json.loads(arguments) == {
        "to": "jean.dupont@orange.fr",
        "subject": "Re: jean.dupont@orange.fr",
    }


async def test_placeholder_cut_at_every_offset_is_restored(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt = "Écrivez à jean.dupont@orange.fr."
    await client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])
    masked = fake_openai.last["messages"][0]["content"]
    token = TOKEN_PATTERN.search(masked)
    assert token is not None
    for cut in range(token.start(), token.end() + 1):
        fake_openai.replies.append(Reply(split_at=[cut, cut + 1]))
        stream = await client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": prompt}], stream=True
        )
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
        assert text == prompt, f"cut at {cut}"


async def test_sse_bytes_cut_one_by_one_still_restore(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt = "Zoë Ångström écrit à marie.curie@sorbonne.fr 🎉"
    fake_openai.replies.append(Reply(byte_chunks=1, chunk_sizes=[2]))
    stream = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": prompt}], stream=True
    )
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text == prompt
    assert "marie.curie@sorbonne.fr" not in fake_openai.everything_received()


async def test_long_answer_with_many_tokens_streams_back_exactly(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    people = ["Jean Dupont", "Marie Curie", "John Smith"]
    prompt = " ".join(
        f"Line {i}: {people[i % 3]} wrote to user{i}@example.com about ticket {i}."
        for i in range(60)
    )
    fake_openai.replies.append(Reply(chunk_sizes=[1, 2, 3, 5, 8, 13]))
    stream = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": prompt}], stream=True
    )
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text == prompt
    received = fake_openai.everything_received()
    assert "user17@example.com" not in received
    assert "Marie Curie" not in received


async def test_client_sent_placeholder_is_neutralised(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    # The client guesses the token its own e-mail would get and sends it as text.
    await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "I am john.smith@example.com"}]
    )
    real_token = TOKEN_PATTERN.search(fake_openai.last["messages"][0]["content"])
    assert real_token is not None
    prompt = f"Repeat {real_token.group()} and john.smith@example.com"
    answer = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": prompt}]
    )
    sent = fake_openai.last["messages"][0]["content"]
    assert sent.count(real_token.group()) == 1  # only the real e-mail carries the real token
    assert answer.choices[0].message.content == prompt  # the literal came back as written


async def test_provider_key_is_injected_and_app_key_never_forwarded(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    headers = fake_openai.headers[-1]
    assert headers["Authorization"] == f"Bearer {PROVIDER_KEY}"
    assert "vk-app" not in json.dumps(headers)


async def test_models_listing_passes_through(client: openai.AsyncOpenAI) -> None:
    models = await client.models.list()
    assert [m.id for m in models.data] == ["gpt-4o-mini"]


async def test_unknown_app_key_is_refused_in_openai_shape(
    voile: TestServer, fake_openai: FakeOpenAI
) -> None:
    async with client_for(voile, key="vk-wrong") as sdk:
        with pytest.raises(openai.AuthenticationError) as caught:
            await sdk.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "hi"}]
            )
    assert caught.value.code == "invalid_api_key"
    assert fake_openai.received == []


async def test_unknown_provider_and_path_are_404(voile: TestServer) -> None:
    async with openai.AsyncOpenAI(
        base_url=str(voile.make_url("/nope/v1")), api_key="k", max_retries=0
    ) as sdk:
        with pytest.raises(openai.NotFoundError, match="Unknown provider"):
            await sdk.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "hi"}]
            )
    async with client_for(voile) as sdk:
        with pytest.raises(openai.NotFoundError):
            await sdk.images.generate(prompt="a cat")


async def test_anonymous_app_passes_the_client_key_through(
    start_voile: Any, make_config: Any, fake_openai: FakeOpenAI
) -> None:
    config = make_config(
        apps=[],
        anonymous_app={"name": "default", "policy": "default"},
        providers={"openai": {"base_url": make_config().providers["openai"].base_url}},
    )
    server = await start_voile(config)
    async with client_for(server, key="sk-client-own-openai-key") as sdk:
        answer = await sdk.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "I am John Smith"}]
        )
    assert answer.choices[0].message.content == "I am John Smith"
    assert fake_openai.headers[-1]["Authorization"] == "Bearer sk-client-own-openai-key"
    assert "John Smith" not in fake_openai.everything_received()


_A_STALL_SECONDS = 0.5


async def test_a_stream_keeps_flowing_while_another_request_is_analysed(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    """Detection runs in a worker process: a 10 KB prompt being analysed must not stall the
    chunks of a stream already in flight.

    A proxy that analysed on its event loop would stall the stream for the whole analysis in
    every trial, by the analysis' whole length (2-3 s here). The provider paces frames 20 ms
    apart, so any gap over half a second is a stall. A loaded 2-core CI machine can still
    pause this process once (a stop-31 run saw one 1.3 s gap while every other gap was
    20 ms), so the measurement is taken up to twice and one trial without a stall is
    required. (The earlier bound, half the analysis window, let a 2 s block on the event loop
    pass; this one fails it.)
    """
    import asyncio  # noqa: PLC0415
    import time  # noqa: PLC0415

    async def one_trial(trial: int) -> tuple[float, list[float], float]:
        # A new text each trial: the detection cache would answer a repeated one at once.
        big = " ".join(
            f"Jean Dupont wrote to user{trial}x{i}@example.com from Lyon." for i in range(600)
        )
        fake_openai.replies.append(
            Reply(content="x" * 100, chunk_sizes=[1], frame_delay_seconds=0.02)
        )
        arrivals: list[float] = []

        async def slow_stream() -> None:
            stream = await client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "hi"}], stream=True
            )
            async for _ in stream:  # the provider paces its frames: the stream lasts ~2 s
                arrivals.append(time.perf_counter())

        stream_task = asyncio.create_task(slow_stream())
        await asyncio.sleep(0.1)
        analysed_from = time.perf_counter()
        await client.chat.completions.create(model="m", messages=[{"role": "user", "content": big}])
        analysed_until = time.perf_counter()
        await stream_task
        return analysed_from, arrivals, analysed_until

    trials = []
    for trial in range(2):
        analysed_from, arrivals, analysed_until = await one_trial(trial)
        window = analysed_until - analysed_from
        during = [t for t in arrivals if analysed_from <= t <= analysed_until]
        longest_gap = max(b - a for a, b in itertools.pairwise(arrivals))
        assert window > 0.1  # the big prompt really took a while
        trials.append((len(during), longest_gap, window))
        if during and longest_gap < _A_STALL_SECONDS:
            break
    else:
        raise AssertionError(f"the stream stalled while a big prompt was analysed: {trials}")


async def test_declared_provider_fields_pass_and_others_are_refused(
    start_voile: Any, make_config: Any, fake_openai: FakeOpenAI
) -> None:
    base_url = make_config().providers["openai"].base_url
    config = make_config(
        providers={"mistral": {"base_url": base_url, "pass_fields": ["safe_prompt", "random_seed"]}}
    )
    server = await start_voile(config)
    async with openai.AsyncOpenAI(
        base_url=str(server.make_url("/mistral/v1")),
        api_key="vk-app-support-4f1c0d2e9b",
        max_retries=0,
    ) as sdk:
        await sdk.chat.completions.create(
            model="mistral-small",
            messages=[{"role": "user", "content": "I am John Smith"}],
            extra_body={"safe_prompt": True, "random_seed": 7},
        )
        assert fake_openai.last["safe_prompt"] is True
        assert fake_openai.last["random_seed"] == 7
        assert "John Smith" not in fake_openai.everything_received()
        with pytest.raises(openai.BadRequestError, match="top_k"):
            await sdk.chat.completions.create(
                model="mistral-small",
                messages=[{"role": "user", "content": "hi"}],
                extra_body={"top_k": 5},
            )


async def test_stop_sequences_are_masked(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    await client.chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": "Write to Jean Dupont"}],
        stop=["Jean Dupont:", "END"],
    )
    stop = fake_openai.last["stop"]
    assert stop[1] == "END"
    assert TOKEN_PATTERN.search(stop[0])
    assert "Jean Dupont" not in fake_openai.everything_received()
