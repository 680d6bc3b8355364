"""The stream restorer every format builds on (`proxy.formats.base.EventRestorer`): it owns the
framing (comments, empty events, `[DONE]`, data that is not JSON) and, through
`restore_stream`, the counting and the audit transcript; a format only says what its events
mean (`on_event`). Sans-I/O: fed events, table-tested."""

from __future__ import annotations

import json
from typing import Any

import pytest

from proxy.errors import UpstreamProtocolError
from proxy.formats.base import EventRestorer, StreamSummary, Usage, compact_json
from proxy.formats.openai_chat import ChatStreamRestorer
from proxy.placeholders import Vault
from proxy.restore import Restorer
from proxy.sse import SSEEvent

VAULT = Vault(b"k" * 32)
PERSON = VAULT.token_for("PERSON", "Jean")
EMAIL = VAULT.token_for("EMAIL_ADDRESS", "jean@example.org")


class ToyRestorer(EventRestorer):
    """A toy format: `{"text": …}` deltas, `{"usage": n}` at the end, `[DONE]` framing."""

    done_marker = True

    def __init__(self) -> None:
        super().__init__(VAULT.value_of)
        self._text = Restorer(self.lookup)

    def on_event(self, event: SSEEvent, payload: dict[str, Any]) -> list[SSEEvent]:
        if isinstance(payload.get("usage"), int):
            self.usage = Usage(output_tokens=payload["usage"])
            self.answer_refs.add("toy-1")
        if not isinstance(payload.get("text"), str):
            return [event]
        payload["text"] = self.restore_stream(self._text, "0.text", payload["text"])
        return [SSEEvent(data=compact_json(payload))]

    def finish(self) -> list[SSEEvent]:
        held = self._text.flush()
        return [SSEEvent(data=compact_json({"text": held}))] if held else []


def texts(events: list[SSEEvent]) -> list[str]:
    return [event.data or "" for event in events]


@pytest.mark.parametrize("cut", range(1, len(PERSON)))
def test_a_placeholder_cut_anywhere_is_restored_once_and_transcribed_masked(cut: int) -> None:
    restorer = ToyRestorer()
    token = PERSON
    out = [
        *restorer.feed(SSEEvent(data=compact_json({"text": "Hi " + token[:cut]}))),
        *restorer.feed(SSEEvent(data=compact_json({"text": token[cut:] + "!"}))),
        *restorer.feed(SSEEvent(data=compact_json({"usage": 7}))),
        *restorer.feed(SSEEvent(data="[DONE]")),
    ]
    assert (
        "".join(d for d in texts(out) if d.startswith('{"text"'))
        .replace('{"text":"', "")
        .replace('"}', "")
        == "Hi Jean!"
    )
    assert out[-1].data == "[DONE]"
    assert restorer.summary() == StreamSummary(
        restored=1,
        unresolved=0,
        usage=Usage(output_tokens=7),
        transcript={"stream": True, "transcript": {"0.text": f"Hi {token}!"}},
        answer_refs=("toy-1",),
    )


def test_done_releases_what_is_held_before_it() -> None:
    restorer = ToyRestorer()
    cut = EMAIL[:6]
    assert texts(restorer.feed(SSEEvent(data=compact_json({"text": "to " + cut})))) == [
        '{"text":"to "}'
    ]
    assert texts(restorer.feed(SSEEvent(data="[DONE]"))) == [compact_json({"text": cut}), "[DONE]"]


@pytest.mark.parametrize(
    "event",
    [
        SSEEvent(comment="keep-alive"),
        SSEEvent(data=""),
        SSEEvent(data="  "),
        SSEEvent(data="\u00a0\u2003\t"),  # blank in Unicode's sense, as `str.strip` has it
        SSEEvent(data="[1, 2]"),
        SSEEvent(data='"a string"'),
        SSEEvent(event="ping", data="{}"),
    ],
)
def test_events_without_a_json_object_or_text_pass_unchanged(event: SSEEvent) -> None:
    restorer = ToyRestorer()
    assert restorer.feed(event) == [event]
    assert restorer.summary().transcript == {"stream": True, "transcript": {}}


def test_done_padded_with_blanks_still_releases_what_is_held() -> None:
    restorer = ToyRestorer()
    restorer.feed(SSEEvent(data=compact_json({"text": EMAIL[:4]})))
    done = SSEEvent(data=" [DONE]\t")
    assert restorer.feed(done) == [SSEEvent(data=compact_json({"text": EMAIL[:4]})), done]


@pytest.mark.parametrize(
    "payload",
    [
        {"id": "chatcmpl-1", "choices": [{"index": 0, "delta": {"content": "Jean"}}]},
        {"text": 'héllo 日本 \u2028 \x00 " \\ / \ud83d\ude00', "n": None, "ok": True},
        {"floats": [0.1, -0.0, 1e100, 1.5e-7, 3.0], "ints": [0, -1, 2**70]},
        {"nan": float("nan"), "inf": float("inf"), "minus": float("-inf")},
        {"nested": [[], {}, [{"a": [1, {"b": "c"}]}]], "": ""},
        ["a list", 1],
        "a string",
        42,
        None,
    ],
)
def test_compact_json_writes_what_json_dumps_writes(payload: Any) -> None:
    """`compact_json` uses an encoder built once; its text is `json.dumps`'s with the same
    options, so a restored event is framed exactly as before."""
    assert compact_json(payload) == json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def test_compact_json_refuses_what_json_cannot_hold_and_keeps_no_state() -> None:
    shared = {"a": [1, 2]}
    with pytest.raises(TypeError, match="not JSON serializable"):
        compact_json({"x": shared, "bad": object()})
    assert compact_json({"x": shared, "y": shared}) == '{"x":{"a":[1,2]},"y":{"a":[1,2]}}'


def test_data_that_is_not_json_is_a_protocol_error() -> None:
    with pytest.raises(UpstreamProtocolError):
        ToyRestorer().feed(SSEEvent(data="{not json"))


def test_without_a_done_marker_done_is_data_like_any_other() -> None:
    class NoDone(ToyRestorer):
        done_marker = False

    with pytest.raises(UpstreamProtocolError):
        NoDone().feed(SSEEvent(data="[DONE]"))


def test_chat_chunks_give_their_finish_reasons_in_order_and_in_grammar() -> None:
    """Only chunks that set a finish reason are searched for one (most set none): the
    reasons still come out in stream order, kept in their grammar."""
    restorer = ChatStreamRestorer(VAULT.value_of)

    def chunk(choices: object) -> SSEEvent:
        return SSEEvent(data=compact_json({"id": "c", "choices": choices}))

    for choices in (
        [
            {"index": 0, "delta": {"content": "Hi"}, "finish_reason": None},
            {"index": 1, "delta": {"content": "Yo"}, "finish_reason": None},
        ],
        [{"index": 1, "delta": {}, "finish_reason": "length"}],
        [{"index": 0, "delta": {}, "finish_reason": "Not a reason!"}, "not a choice"],
        "not a list",
        [{"index": 0, "delta": {}, "finish_reason": "stop"}],
    ):
        restorer.feed(chunk(choices))
    assert restorer.finish_reasons == ["length", "stop"]
    assert restorer.summary().transcript["transcript"] == {"0.content": "Hi", "1.content": "Yo"}
