"""Personal data the model writes that the request did not carry (`generated`): which findings
count (table), redaction of whole texts and of streams cut anywhere (the gate, sans-I/O), and
through the relay: redacted or blocked in whole answers and in streams, audited by type."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import anthropic
import openai
import pytest

from proxy.config import Config
from proxy.detection.types import Analysis, Finding
from proxy.generated import StreamGate, generated_findings, redact
from proxy.policy import Generated, GeneratedAction, Policy, PolicySpec, Target
from proxy.sse import SSEEvent
from tests.fakes.openai_provider import FakeOpenAI, Reply
from tests.proxy.conftest import APP_KEY, VoileFactory, client_for
from tests.proxy.support import records, settled_records, write_policy

PHONE = "+33 6 98 76 54 32"
ANSWER = f"Sure. You can reach Marie Curie at {PHONE} any day."

POLICY = Policy(
    "p",
    Path("p.yaml"),
    "0" * 64,
    PolicySpec.model_validate({"rules": [{"entity": "DATE_TIME", "action": "allow"}]}),
)
REDACT = Generated(action=GeneratedAction.REDACT, min_score=0.7)
RULES = POLICY.rulebook(Target("a", "p", None))


def at(text: str, value: str, entity: str, score: float = 0.9) -> Finding:
    start = text.index(value)
    return Finding(start, start + len(value), entity, score)


@pytest.mark.parametrize(
    ("text", "finding", "request_texts", "counted"),
    [
        ("call +33 6 98 76 54 32", ("+33 6 98 76 54 32", "PHONE_NUMBER", 0.9), [], True),
        # under generated.min_score
        ("call +33 6 98 76 54 32", ("+33 6 98 76 54 32", "PHONE_NUMBER", 0.6), [], False),
        # a type the policy allows
        ("on 3 March", ("3 March", "DATE_TIME", 0.95), [], False),
        # a placeholder: the request's own value, restored later
        ("hi <PERSON_k3x9qa>!", ("<PERSON_k3x9qa>", "PERSON", 0.9), [], False),
        # sent in clear by the request (a policy allowed it), repeated by the model
        ("Dear John Smith,", ("John Smith", "PERSON", 0.9), ["Write to John Smith"], False),
    ],
)
def test_which_findings_are_generated(
    text: str,
    finding: tuple[str, str, float],
    request_texts: list[str],
    counted: bool,
) -> None:
    found = at(text, *finding)
    result = generated_findings(text, Analysis("en", (found,)), RULES, REDACT, request_texts)
    assert result == ([found] if counted else [])


def test_overlapping_findings_keep_the_longer_one() -> None:
    text = "Write to jean.dupont@orange.fr now"
    email = at(text, "jean.dupont@orange.fr", "EMAIL_ADDRESS", 1.0)
    name = at(text, "jean.dupont", "PERSON", 0.85)
    kept = generated_findings(text, Analysis("en", (name, email)), RULES, REDACT, [])
    assert kept == [email]
    assert redact(text, kept) == "Write to [EMAIL_ADDRESS] now"


def delta(text: str) -> SSEEvent:
    return SSEEvent(data=json.dumps({"choices": [{"index": 0, "delta": {"content": text}}]}))


def text_of(events: list[SSEEvent]) -> str:
    return "".join(
        json.loads(event.data)["choices"][0]["delta"]["content"]
        for event in events
        if event.data is not None
    )


def test_the_gate_holds_a_sentence_then_releases_it_redacted_across_cut_pieces() -> None:
    text = f"Call {PHONE} today. Bye"
    sentence = len("Call ") + len(PHONE) + len(" today.")
    for cut in range(6, 6 + len(PHONE) - 1):  # every place the number can be split
        gate = StreamGate()
        pieces = [text[:cut], text[cut:sentence], text[sentence:]]
        released: list[SSEEvent] = []
        gate.hold([delta(pieces[0])], [("0.content", pieces[0])])
        assert gate.ready() == 0
        gate.hold([delta(pieces[1])], [("0.content", pieces[1])])
        assert gate.ready() == 2
        window, start = gate.windows(2)["0.content"]
        assert (window, start) == (text[:sentence], 0)
        released += gate.release(2, {"0.content": [at(window, PHONE, "PHONE_NUMBER")]})
        gate.hold([delta(pieces[2])], [("0.content", pieces[2])])
        assert gate.ready() == 0
        released += gate.release(gate.ready(last=True))
        assert text_of(released) == "Call [PHONE_NUMBER] today. Bye", cut


def test_a_group_running_past_a_sentence_end_waits_for_the_next_one() -> None:
    gate = StreamGate()
    for piece in ["Bonjo", "ur. S", "ure."]:
        gate.hold([delta(piece)], [("0.content", piece)])
    assert gate.ready() == 3
    gate = StreamGate()
    for piece in ["Bonjo", "ur.", " Sure", " at +3"]:
        gate.hold([delta(piece)], [("0.content", piece)])
    assert gate.ready() == 2  # never " at +3": a value may be starting


def test_a_redacted_value_is_replaced_in_later_events_and_context_is_not_redacted_twice() -> None:
    gate = StreamGate(context_chars=30)
    first = f"My number is {PHONE}."
    gate.hold([delta(first)], [("0.content", first)])
    window, _ = gate.windows(1)["0.content"]
    out = gate.release(1, {"0.content": [at(window, PHONE, "PHONE_NUMBER")]})
    assert text_of(out) == "My number is [PHONE_NUMBER]."
    # The Responses API repeats the whole text in a `done` event: redacted too.
    done = SSEEvent(event="response.output_text.done", data=json.dumps({"text": first}))
    second = " Thanks."
    gate.hold([delta(second), done], [("0.content", second)])
    window, start = gate.windows(1)["0.content"]
    assert window == "My number is [PHONE_NUMBER]. Thanks."[-len(window) :]
    assert start == len(window) - len(second)
    later = gate.release(1, {})
    assert text_of(later[:1]) == second
    assert json.loads(later[1].data or "")["text"] == "My number is [PHONE_NUMBER]."


def test_a_long_sentence_is_checked_before_its_end() -> None:
    gate = StreamGate(max_hold_chars=20)
    gate.hold([delta("a" * 10)], [("0.content", "a" * 10)])
    assert gate.ready() == 0
    gate.hold([delta("b" * 10)], [("0.content", "b" * 10)])
    assert gate.ready() == 2


# --- through the relay ---------------------------------------------------------------------


@pytest.fixture
def generated_config(
    make_config: Callable[..., Config], policies_dir: Path
) -> Callable[[str], Config]:
    def make(action: str) -> Config:
        write_policy(policies_dir, action, f"extends: default\ngenerated: {action}\n")
        return make_config(apps=[{"name": "support", "key": APP_KEY, "policy": action}])

    return make


PROMPT = "Bonjour, je suis Jean Dupont. Qui peut m'aider ?"


async def test_a_whole_answer_is_redacted_and_audited_by_type(
    start_voile: VoileFactory,
    generated_config: Callable[[str], Config],
    fake_openai: FakeOpenAI,
) -> None:
    config = generated_config("redact")
    server = await start_voile(config)
    fake_openai.replies.append(Reply(content=f"Jean Dupont, {ANSWER}"))
    async with client_for(server) as sdk:
        answer = await sdk.chat.completions.create(
            model="m", messages=[{"role": "user", "content": PROMPT}]
        )
    text = answer.choices[0].message.content or ""
    assert PHONE not in text
    assert "[PHONE_NUMBER]" in text
    assert "Marie Curie" not in text
    [record] = records(config)
    assert record.details["generated.PHONE_NUMBER"] == 1
    assert record.details["generated.PERSON"] == 1


async def test_the_requests_own_values_are_restored_not_redacted(
    start_voile: VoileFactory,
    generated_config: Callable[[str], Config],
    fake_openai: FakeOpenAI,
) -> None:
    server = await start_voile(generated_config("redact"))
    async with client_for(server) as sdk:  # the fake echoes the (masked) prompt
        answer = await sdk.chat.completions.create(
            model="m", messages=[{"role": "user", "content": PROMPT}]
        )
    assert answer.choices[0].message.content == PROMPT


async def test_a_whole_answer_is_withheld_when_the_policy_blocks(
    start_voile: VoileFactory,
    generated_config: Callable[[str], Config],
    fake_openai: FakeOpenAI,
) -> None:
    config = generated_config("block")
    server = await start_voile(config)
    fake_openai.replies.append(Reply(content=ANSWER))
    async with client_for(server) as sdk:
        with pytest.raises(openai.UnprocessableEntityError) as caught:
            await sdk.chat.completions.create(
                model="m", messages=[{"role": "user", "content": PROMPT}]
            )
    assert caught.value.code == "generated_pii_blocked"
    assert PHONE not in caught.value.message
    [record] = records(config)
    assert (record.decision, record.status, record.error_code) == (
        "forwarded",
        422,
        "generated_pii_blocked",
    )
    assert record.details["generated.PHONE_NUMBER"] == 1


@pytest.mark.parametrize("size", [1, 3, 7])
async def test_a_stream_is_redacted_sentence_by_sentence(
    start_voile: VoileFactory,
    generated_config: Callable[[str], Config],
    fake_openai: FakeOpenAI,
    size: int,
) -> None:
    config = generated_config("redact")
    server = await start_voile(config)
    content = f"Jean Dupont, {ANSWER} Bonne journée."
    fake_openai.replies.append(Reply(content=content, chunk_sizes=[size]))
    async with client_for(server) as sdk:
        stream = await sdk.chat.completions.create(
            model="m", messages=[{"role": "user", "content": PROMPT}], stream=True
        )
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert (
        text
        == "Jean Dupont, Sure. You can reach [PERSON] at [PHONE_NUMBER] any day. Bonne journée."
    )
    [record] = await settled_records(config, 1)
    assert record.details["generated.PHONE_NUMBER"] == 1


async def test_a_stream_is_cut_before_the_sentence_when_the_policy_blocks(
    start_voile: VoileFactory,
    generated_config: Callable[[str], Config],
    fake_openai: FakeOpenAI,
) -> None:
    config = generated_config("block")
    server = await start_voile(config)
    fake_openai.replies.append(Reply(content=f"Bonjour. {ANSWER}", split_at=[3, 8, 12]))
    received: list[str] = []

    async def read() -> None:
        async with client_for(server) as sdk:
            stream = await sdk.chat.completions.create(
                model="m", messages=[{"role": "user", "content": PROMPT}], stream=True
            )
            async for chunk in stream:
                if chunk.choices:
                    received.append(chunk.choices[0].delta.content or "")

    with pytest.raises(openai.APIError, match="withheld"):
        await read()
    assert "".join(received) == "Bonjour."  # the first sentence, checked and sent
    [record] = await settled_records(config, 1)
    assert record.error_code == "stream_generated_pii_blocked"


async def test_an_anthropic_stream_is_redacted(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    policies_dir: Path,
    aiohttp_server: object,
) -> None:
    from tests.fakes.anthropic_provider import FakeAnthropic  # noqa: PLC0415
    from tests.fakes.anthropic_provider import Reply as AnthropicReply  # noqa: PLC0415

    fake = FakeAnthropic()
    upstream = await aiohttp_server(fake.app())  # type: ignore[operator]
    write_policy(policies_dir, "redact", "extends: default\ngenerated: redact\n")
    config = make_config(
        providers={
            "anthropic": {
                "base_url": str(upstream.make_url("")).rstrip("/"),
                "format": "anthropic",
                "api_key_env": "VOILE_TEST_PROVIDER_KEY",
            }
        },
        apps=[{"name": "support", "key": APP_KEY, "policy": "redact"}],
    )
    server = await start_voile(config)
    fake.replies.append(AnthropicReply(text=ANSWER, chunk_sizes=[3]))
    async with (
        anthropic.AsyncAnthropic(
            base_url=str(server.make_url("/anthropic")), api_key=APP_KEY, max_retries=0
        ) as sdk,
        sdk.messages.stream(
            model="claude-sonnet-4-5", max_tokens=64, messages=[{"role": "user", "content": PROMPT}]
        ) as stream,
    ):
        text = await stream.get_final_text()
    assert PHONE not in text
    assert "[PHONE_NUMBER]" in text
