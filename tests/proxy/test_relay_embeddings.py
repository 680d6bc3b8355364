"""Embeddings and legacy completions through Voile with the official `openai` SDK: inputs and
prompts are masked before they leave, token ids are refused, completions come back restored."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
from aiohttp.test_utils import TestServer

from proxy.config import Config
from proxy.formats.openai_completions import CompletionsStreamRestorer
from proxy.placeholders import TOKEN_PATTERN
from proxy.sse import SSEEvent
from tests.fakes.openai_provider import FakeOpenAI, Reply
from tests.proxy.conftest import APP_KEY, VoileFactory, client_for
from tests.proxy.support import assert_not_leaked

FR_TEXT = "Jean Dupont, jean.dupont@orange.fr, IBAN FR76 3000 6000 0112 3456 7890 189."
FR_VALUES = ["Jean Dupont", "jean.dupont@orange.fr", "FR76 3000 6000 0112 3456 7890 189"]
EN_TEXT = "Card 4111 1111 1111 1111 belongs to marie.curie@sorbonne.fr."
EN_VALUES = ["4111 1111 1111 1111", "marie.curie@sorbonne.fr"]


async def _post(server: TestServer, path: str, body: Any) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            server.make_url(f"/openai/v1/{path}"),
            json=body,
            headers={"Authorization": f"Bearer {APP_KEY}"},
        ) as response,
    ):
        return response.status, await response.json()


# ---------------------------------------------------------------------------- embeddings


async def test_embedding_string_input_is_masked(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    answer = await client.embeddings.create(
        model="text-embedding-3-small", input=FR_TEXT, user="jean.dupont@orange.fr"
    )
    assert_not_leaked(fake_openai, FR_VALUES)
    sent = fake_openai.last
    assert TOKEN_PATTERN.search(sent["input"])
    assert TOKEN_PATTERN.fullmatch(sent["user"])
    assert sent["encoding_format"] == "base64"  # the SDK's default, decoded by the SDK
    [item] = answer.data
    assert item.embedding[0] == float(len(sent["input"]))  # the vector of the masked text
    assert answer.usage.prompt_tokens == 11


async def test_embedding_array_input_is_masked_item_by_item(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    inputs = [FR_TEXT, "nothing personal here", EN_TEXT, "Write to jean.dupont@orange.fr"]
    answer = await client.embeddings.create(
        model="m", input=inputs, encoding_format="float", dimensions=4
    )
    assert_not_leaked(fake_openai, FR_VALUES + EN_VALUES)
    sent = fake_openai.last["input"]
    assert len(sent) == 4
    assert sent[1] == "nothing personal here"
    email_token = TOKEN_PATTERN.findall(sent[3])
    assert email_token
    assert set(email_token) <= set(TOKEN_PATTERN.findall(sent[0]))  # same value, same token
    assert [d.index for d in answer.data] == [0, 1, 2, 3]
    assert len(answer.data[0].embedding) == 4


async def test_embedding_blocked_by_policy_is_never_forwarded(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    policies_dir: Path,
    fake_openai: FakeOpenAI,
) -> None:
    (policies_dir / "strict.yaml").write_text("rules:\n  - {entity: IBAN_CODE, action: block}\n")
    server = await start_voile(
        make_config(apps=[{"name": "bank", "key": APP_KEY, "policy": "strict"}])
    )
    async with client_for(server) as sdk:
        with pytest.raises(openai.BadRequestError) as caught:
            await sdk.embeddings.create(model="m", input=["hello", FR_TEXT])
    assert caught.value.code == "pii_blocked"
    assert "IBAN_CODE" in caught.value.message
    assert fake_openai.received == []


@pytest.mark.parametrize(
    ("path", "body", "param"),
    [
        ("embeddings", {"model": "m", "input": [15339, 1917]}, "input[0]"),
        ("embeddings", {"model": "m", "input": [[15339, 1917], [40]]}, "input[0]"),
        ("embeddings", {"model": "m", "input": ["fine", [40]]}, "input[1]"),
        ("completions", {"model": "m", "prompt": [15339, 1917]}, "prompt[0]"),
        ("completions", {"model": "m", "prompt": [[15339], [1917]]}, "prompt[0]"),
    ],
)
async def test_token_id_inputs_are_refused(
    path: str, body: dict[str, Any], param: str, voile: TestServer, fake_openai: FakeOpenAI
) -> None:
    status, answer = await _post(voile, path, body)
    assert (status, answer["error"]["code"]) == (400, "unscannable_content")
    assert answer["error"]["param"] == param
    assert "token ids" in answer["error"]["message"]
    assert fake_openai.received == []


@pytest.mark.parametrize(
    ("path", "body", "param"),
    [
        ("embeddings", {"model": "m", "input": "hi", "surprise": 1}, "surprise"),
        ("embeddings", {"model": "m", "input": {"text": "hi"}}, "input"),
        ("embeddings", {"model": "m", "input": "hi", "user": 7}, "user"),
        ("completions", {"model": "m", "prompt": "hi", "surprise": 1}, "surprise"),
        ("completions", {"model": "m", "prompt": "hi", "suffix": ["x"]}, "suffix"),
        ("completions", {"model": "m", "prompt": "hi", "stop": [1]}, "stop[0]"),
    ],
)
async def test_unknown_fields_are_refused(
    path: str, body: dict[str, Any], param: str, voile: TestServer, fake_openai: FakeOpenAI
) -> None:
    status, answer = await _post(voile, path, body)
    assert (status, answer["error"]["code"]) == (400, "unsupported_field")
    assert answer["error"]["param"] == param
    assert fake_openai.received == []


async def test_embedding_error_body_is_restored(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    def quote(body: dict[str, Any]) -> Reply:
        return Reply(
            status=400,
            error_body={
                "error": {
                    "message": f"Input too long: {body['input']}",
                    "type": "invalid_request_error",
                    "param": "input",
                    "code": None,
                }
            },
        )

    fake_openai.reply_factory = quote
    with pytest.raises(openai.BadRequestError) as caught:
        await client.embeddings.create(model="m", input="Mail jean.dupont@orange.fr")
    assert "jean.dupont@orange.fr" in caught.value.message
    assert "jean.dupont@orange.fr" not in fake_openai.everything_received()


# ---------------------------------------------------------------------------- completions


async def test_completion_prompt_and_suffix_are_masked_and_text_restored(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    answer = await client.completions.create(
        model="gpt-3.5-turbo-instruct",
        prompt=FR_TEXT,
        suffix="Signed: marie.curie@sorbonne.fr",
        user="marie.curie@sorbonne.fr",
        stop=["Jean Dupont:"],
    )
    assert_not_leaked(fake_openai, [*FR_VALUES, "marie.curie@sorbonne.fr"])
    sent = fake_openai.last
    assert TOKEN_PATTERN.search(sent["prompt"])
    assert TOKEN_PATTERN.search(sent["suffix"])
    assert TOKEN_PATTERN.search(sent["stop"][0])  # the model writes the token, not the name
    assert answer.choices[0].text == FR_TEXT
    assert answer.usage is not None
    assert answer.usage.completion_tokens == 7


async def test_completion_prompt_array_gives_one_restored_choice_per_prompt(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompts = [FR_TEXT, "no personal data", EN_TEXT]
    answer = await client.completions.create(model="m", prompt=prompts)
    assert_not_leaked(fake_openai, FR_VALUES + EN_VALUES)
    assert [c.text for c in sorted(answer.choices, key=lambda c: c.index)] == prompts

    fake_openai.replies.append(Reply(chunk_sizes=[3, 1, 4]))
    stream = await client.completions.create(
        model="m", prompt=prompts, stream=True, stream_options={"include_usage": True}
    )
    texts: dict[int, str] = {}
    usage = None
    async for chunk in stream:
        usage = chunk.usage or usage
        for choice in chunk.choices:
            texts[choice.index] = texts.get(choice.index, "") + choice.text
    assert [texts[i] for i in range(3)] == prompts
    assert usage is not None
    assert usage.prompt_tokens == 11


async def test_completion_stream_restores_a_placeholder_cut_at_every_offset(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt = "Écrivez à jean.dupont@orange.fr."
    await client.completions.create(model="m", prompt=prompt)
    token = TOKEN_PATTERN.search(fake_openai.last["prompt"])
    assert token is not None
    for cut in range(token.start(), token.end() + 1):
        fake_openai.replies.append(Reply(split_at=[cut, cut + 1]))
        stream = await client.completions.create(model="m", prompt=prompt, stream=True)
        text = "".join([c.choices[0].text async for c in stream if c.choices])
        assert text == prompt, f"cut at {cut}"


async def test_completion_text_held_at_the_end_goes_out_with_the_finish_chunk(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply_factory = lambda body: Reply(
        content=body["prompt"] + " <PERSON_ab", chunk_sizes=[5]
    )
    stream = await client.completions.create(
        model="m", prompt="Hello jean.dupont@orange.fr", stream=True
    )
    chunks = [c async for c in stream]
    assert "".join(c.choices[0].text for c in chunks if c.choices) == (
        "Hello jean.dupont@orange.fr <PERSON_ab"
    )
    last = chunks[-1].choices[0]
    assert (last.finish_reason, last.text) == ("stop", "<PERSON_ab")


def test_completion_restorer_releases_held_text_before_done_when_no_choice_finished() -> None:
    restorer = CompletionsStreamRestorer({"<PERSON_abcdef>": "Jean"}.get)

    def chunk(text: str) -> SSEEvent:
        return SSEEvent(
            data=json.dumps(
                {
                    "id": "c",
                    "object": "text_completion",
                    "created": 1,
                    "model": "m",
                    "choices": [
                        {"text": text, "index": 0, "logprobs": None, "finish_reason": None}
                    ],
                }
            )
        )

    [first] = restorer.feed(chunk("Hi <PERSON_abc"))
    assert json.loads(first.data or "")["choices"][0]["text"] == "Hi "
    [second] = restorer.feed(chunk("def> and <PER"))
    assert json.loads(second.data or "")["choices"][0]["text"] == "Jean and "
    released, done = restorer.feed(SSEEvent(data="[DONE]"))
    assert json.loads(released.data or "")["choices"][0]["text"] == "<PER"
    assert done.data == "[DONE]"
    assert (restorer.count.restored, restorer.count.unresolved) == (1, 0)
