"""Through the proxy, with the official `openai` SDK against a fake provider on 127.0.0.1:
control characters hidden inside personal data do not get it past detection, and the app gets
its exact text back, hidden characters included (issue 8, item 3); identifiers with a wrong
check digit after their label are masked and audited as masked (item 13)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import openai
import pytest

from proxy.config import Config
from tests.fakes.openai_provider import FakeOpenAI, Reply
from tests.proxy.conftest import VoileFactory, client_for
from tests.proxy.detection.evasion import VALUES, hide, left_in_clear
from tests.proxy.support import records

# (kind of value, position in it, hidden character): the forms the attack probe used, and one
# of each family (C0, DEL, C1 and NEL, zero-width, bidi, tag) in each kind of value.
HIDDEN_CASES = [
    ("name", 2, "\x01"),  # "Jo\x01hn Smith"
    ("iban", 14, "\x00"),  # "FR76 3000 6000\x00 0112 …"
    ("email", 7, "\x00"),  # "john.sm\x00ith@…" (was half masked)
    ("email", 4, "\x1b"),
    ("phone", 5, "\x7f"),
    ("card", 9, "\x85"),
    ("name", 6, "\x9f"),
    ("iban", 3, "\u200b"),
    ("card", 1, "\u202e"),
    ("phone", 1, "\U000e0041"),
]


def _prompt(kind: str, position: int, char: str) -> tuple[str, str, str, str]:
    before, value, after = VALUES[kind]
    hidden = hide(value, position, char)
    return before + hidden + after, before, hidden, after


def _assert_nothing_of_it_arrived(
    fake: FakeOpenAI, before: str, hidden: str, after: str, value: str
) -> None:
    sent = fake.last["messages"][0]["content"]
    assert not left_in_clear(sent, before, after), sent
    received = fake.everything_received()
    for form in (value, hidden, json.dumps(hidden)[1:-1]):
        assert form not in received


@pytest.mark.parametrize(("kind", "position", "char"), HIDDEN_CASES)
async def test_hidden_characters_do_not_get_a_value_past_the_proxy(
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
    log_output: io.StringIO,
    kind: str,
    position: int,
    char: str,
) -> None:
    prompt, before, hidden, after = _prompt(kind, position, char)
    answer = await client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}]
    )
    _assert_nothing_of_it_arrived(fake_openai, before, hidden, after, VALUES[kind][1])
    assert answer.choices[0].message.content == prompt  # the exact original, char and all
    logged = log_output.getvalue()
    assert hidden not in logged
    assert json.dumps(hidden)[1:-1] not in logged


@pytest.mark.parametrize(("kind", "position", "char"), HIDDEN_CASES[:3])
async def test_hidden_characters_are_restored_in_a_stream(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI, kind: str, position: int, char: str
) -> None:
    prompt, before, hidden, after = _prompt(kind, position, char)
    fake_openai.replies.append(Reply(chunk_sizes=[3, 5, 1, 7]))
    stream = await client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}], stream=True
    )
    text = ""
    async for chunk in stream:
        for choice in chunk.choices:
            text += choice.delta.content or ""
    _assert_nothing_of_it_arrived(fake_openai, before, hidden, after, VALUES[kind][1])
    assert text == prompt


@pytest.mark.parametrize(
    ("prompt", "value", "entity"),
    [
        ("Mon NIR : 1 85 05 78 006 084 36.", "1 85 05 78 006 084 36", "FR_NIR"),
        ("IBAN FR77 3000 6000 0112 3456 7890 189 svp", "FR77 3000 6000 0112 3456 7890 189",
         "IBAN_CODE"),
        ("Paid with card 4970 1234 5678 9014 yesterday.", "4970 1234 5678 9014", "CREDIT_CARD"),
    ],
)  # fmt: skip
async def test_a_wrong_check_digit_after_its_label_is_masked_and_audited(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
    prompt: str,
    value: str,
    entity: str,
) -> None:
    """What went out in clear and was reported "sent in clear 0": now masked, and the audit
    record counts it as masked under its own type."""
    config = make_config()
    server = await start_voile(config)
    async with client_for(server) as sdk:
        answer = await sdk.chat.completions.create(
            model="m", messages=[{"role": "user", "content": prompt}]
        )
    assert value not in fake_openai.everything_received()
    assert answer.choices[0].message.content == prompt
    outcome = records(config)[-1]
    assert outcome.entity_actions.get(entity) == {"mask": 1}
