"""The stream restorer every format builds on (`proxy.formats.base.EventRestorer`): it owns the
framing (comments, empty events, `[DONE]`, data that is not JSON) and, through
`restore_stream`, the counting and the audit transcript; a format only says what its events
mean (`on_event`). Sans-I/O: fed events, table-tested."""

from __future__ import annotations

from typing import Any

import pytest

from proxy.errors import UpstreamProtocolError
from proxy.formats.base import EventRestorer, StreamSummary, Usage, compact_json
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
        SSEEvent(data="[1, 2]"),
        SSEEvent(data='"a string"'),
        SSEEvent(event="ping", data="{}"),
    ],
)
def test_events_without_a_json_object_or_text_pass_unchanged(event: SSEEvent) -> None:
    restorer = ToyRestorer()
    assert restorer.feed(event) == [event]
    assert restorer.summary().transcript == {"stream": True, "transcript": {}}


def test_data_that_is_not_json_is_a_protocol_error() -> None:
    with pytest.raises(UpstreamProtocolError):
        ToyRestorer().feed(SSEEvent(data="{not json"))


def test_without_a_done_marker_done_is_data_like_any_other() -> None:
    class NoDone(ToyRestorer):
        done_marker = False

    with pytest.raises(UpstreamProtocolError):
        NoDone().feed(SSEEvent(data="[DONE]"))
