"""OpenAI Responses API: where the text is in requests, answers and stream events.

Requests follow the same rule as Chat Completions (`proxy.formats.openai_chat`): every field
is known and decided, scanned or passed, and anything else is refused (400
`unsupported_field`) rather than forwarded unscanned. The decisions that are not obvious:

* `input` items: messages (any role, string or parts), assistant output messages sent back,
  `function_call` (arguments scanned value by value, still valid JSON), `function_call_output`
  (string or parts), `reasoning` and `item_reference`. Other item types (computer, shell,
  MCP, image generation, …) carry text in shapes this module does not walk yet: refused.
* `reasoning` items are model-produced, but what the app holds is what Voile *restored*:
  their summary and reasoning text carry the personal values in clear, so they are masked
  like any assistant text (the same value gets the same token, so the provider gets back
  exactly what it wrote). `encrypted_content` is the provider's own ciphertext of its masked
  reasoning: opaque to us, carrying nothing it did not produce, so it passes unchanged.
* Output-text `logprobs` sent back are refused: their `bytes` arrays spell tokens that cannot
  be scanned, and they mean nothing to the model as input.
* `user`, `safety_identifier`, `prompt_cache_key` and `background_options.continuation_id`
  are free strings apps fill with user ids, often e-mail addresses: scanned. The token of a
  value is stable per app, so they still identify the same end user or cache bucket.
* Ids (`previous_response_id`, `conversation`, `prompt.id`, item ids, call ids) and
  configuration (`tools`, `text`, `reasoning`, sampling) pass unchanged.

Answers are restored string by string (output text, refusals, reasoning summaries, echoed
`instructions`; `arguments` JSON-escaped). Streams are restored event by event: each text
stream (one per item and content part) has its own `Restorer`, text it holds back is released
in a synthetic delta just before the event that closes the stream, and `sequence_number`s are
shifted so that they stay unique and increasing for the client.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from proxy.errors import UnscannableContent, UnsupportedField, UpstreamProtocolError
from proxy.formats.base import Endpoint, EventRestorer, RestoreCount, Usage, restore_json
from proxy.formats.document import Document, JsonPath
from proxy.formats.openai_chat import _compact, _unknown, _where, openai_usage
from proxy.policy import Policy, UnscannableKind
from proxy.restore import Lookup, Restorer, identity, json_string_escape
from proxy.sse import SSEEvent

# Top-level request fields that carry no free text of the user's and pass unchanged.
_PASSTHROUGH = frozenset({
    "model", "stream", "stream_options", "background", "conversation", "previous_response_id",
    "include", "image", "context_management", "max_output_tokens", "max_tool_calls",
    "parallel_tool_calls", "temperature", "top_p", "top_logprobs", "truncation",
    "service_tier", "store", "reasoning", "text", "tools", "tool_choice", "moderation",
    "access_programs", "prompt_cache_retention", "prompt_cache_options",
})
# Top-level fields whose strings are scanned.
_SCANNED = frozenset({
    "input", "instructions", "metadata", "user", "safety_identifier", "prompt_cache_key",
    "prompt", "background_options",
})
_FREE_STRINGS = ("instructions", "user", "safety_identifier", "prompt_cache_key")

_ITEM_FIELDS: dict[str, frozenset[str]] = {
    "message": frozenset({"type", "id", "role", "content", "status", "phase"}),
    "function_call": frozenset({
        "type", "id", "call_id", "name", "namespace", "arguments", "status", "caller", "async",
    }),
    "function_call_output": frozenset({
        "type", "id", "call_id", "name", "namespace", "output", "status", "caller",
    }),
    "reasoning": frozenset({"type", "id", "summary", "content", "encrypted_content", "status"}),
    "item_reference": frozenset({"type", "id"}),
}
_ROLES = frozenset({"user", "system", "developer", "assistant"})
_TEXT_PARTS: dict[str, tuple[str, frozenset[str]]] = {  # part type -> (text key, allowed keys)
    "input_text": ("text", frozenset({"type", "text", "prompt_cache_breakpoint"})),
    "output_text": ("text", frozenset({"type", "text", "annotations", "logprobs"})),
    "refusal": ("refusal", frozenset({"type", "refusal"})),
}
_UNSCANNABLE_PARTS = {
    "input_image": UnscannableKind.IMAGE,
    "input_file": UnscannableKind.FILE,
    "input_audio": UnscannableKind.AUDIO,
}
# Annotation keys that hold ids, not text (titles, URLs and file names are scanned).
_ANNOTATION_IDS = frozenset({"type", "file_id", "container_id"})


def _unscannable(path: JsonPath, kind: str, policy: Policy) -> None:
    if not policy.allows_unscannable(_UNSCANNABLE_PARTS[kind]):
        raise UnscannableContent(
            f"'{_where(path)}' is {kind} content, which Voile cannot scan for personal data; "
            f"policy '{policy.name}' does not allow {_UNSCANNABLE_PARTS[kind].value} content.",
            param=_where(path),
        )


def _check_keys(path: JsonPath, value: dict[str, Any], allowed: frozenset[str]) -> None:
    extra = set(value) - allowed
    if extra:
        raise _unknown((*path, sorted(extra)[0]))


def _part(doc: Document, path: JsonPath, part: Any, policy: Policy) -> None:
    """One content part of a message or a function-call output."""
    kind = part.get("type") if isinstance(part, dict) else None
    if isinstance(kind, str) and kind in _UNSCANNABLE_PARTS:
        assert isinstance(part, dict)
        _unscannable(path, kind, policy)
        if isinstance(part.get("filename"), str):  # a file part names its file
            doc.add_text((*path, "filename"), part["filename"])
        return
    if not isinstance(kind, str) or kind not in _TEXT_PARTS:
        raise _unknown(path, f"content part type {kind!r}")
    assert isinstance(part, dict)
    key, allowed = _TEXT_PARTS[kind]
    _check_keys(path, part, allowed)
    if not isinstance(part.get(key), str):
        raise _unknown((*path, key), "content")
    doc.add_text((*path, key), part[key])
    if part.get("logprobs"):
        raise UnsupportedField(
            f"'{_where((*path, 'logprobs'))}': log probabilities sent back as input cannot be "
            "scanned for personal data; drop them from the items you send back.",
            param=_where((*path, "logprobs")),
        )
    for index, annotation in enumerate(part.get("annotations") or []):
        if not isinstance(annotation, dict):
            raise _unknown((*path, "annotations", index), "annotation")
        for name, value in annotation.items():
            if name not in _ANNOTATION_IDS:
                doc.add_strings((*path, "annotations", index, name), value)


def _parts_or_text(doc: Document, path: JsonPath, value: Any, policy: Policy) -> None:
    if isinstance(value, str):
        doc.add_text(path, value)
    elif isinstance(value, list):
        for index, part in enumerate(value):
            _part(doc, (*path, index), part, policy)
    else:
        raise _unknown(path, "content type")


def _message(doc: Document, path: JsonPath, item: dict[str, Any], policy: Policy) -> None:
    if item.get("role") not in _ROLES:
        raise _unknown((*path, "role"), f"message role {item.get('role')!r} at")
    _parts_or_text(doc, (*path, "content"), item.get("content"), policy)


def _function_call(doc: Document, path: JsonPath, item: dict[str, Any], policy: Policy) -> None:
    if not isinstance(item.get("arguments"), str):
        raise _unknown((*path, "arguments"), "arguments type")
    doc.add_json_text((*path, "arguments"), item["arguments"])


def _function_call_output(
    doc: Document, path: JsonPath, item: dict[str, Any], policy: Policy
) -> None:
    _parts_or_text(doc, (*path, "output"), item.get("output"), policy)


def _reasoning(doc: Document, path: JsonPath, item: dict[str, Any], policy: Policy) -> None:
    for key, part_type in (("summary", "summary_text"), ("content", "reasoning_text")):
        for index, part in enumerate(item.get(key) or []):
            part_path = (*path, key, index)
            if not (isinstance(part, dict) and part.get("type") == part_type
                    and isinstance(part.get("text"), str)):
                raise _unknown(part_path, f"{key} part")
            _check_keys(part_path, part, frozenset({"type", "text"}))
            doc.add_text((*part_path, "text"), part["text"])


def _item_reference(doc: Document, path: JsonPath, item: dict[str, Any], policy: Policy) -> None:
    """Only an id: the provider resolves it to an item it already holds (masked)."""


_Walker = Callable[[Document, JsonPath, dict[str, Any], Policy], None]
_ITEMS: dict[str, _Walker] = {
    "message": _message,
    "function_call": _function_call,
    "function_call_output": _function_call_output,
    "reasoning": _reasoning,
    "item_reference": _item_reference,
}


def _item(doc: Document, index: int, item: Any, policy: Policy) -> None:
    path: JsonPath = ("input", index)
    if not isinstance(item, dict):
        raise _unknown(path, "input item")
    kind = item.get("type")
    if kind is None:  # both may omit their type (or send it as null)
        kind = ("message" if "role" in item
                else "item_reference" if "id" in item and set(item) <= {"id", "type"}
                else None)
    if not isinstance(kind, str) or kind not in _ITEMS:
        raise _unknown((*path, "type"), f"input item type {kind!r} at")
    _check_keys(path, item, _ITEM_FIELDS[kind])
    _ITEMS[kind](doc, path, item, policy)


def _prompt(doc: Document, prompt: Any, policy: Policy) -> None:
    """A stored prompt template: its id and version pass, its variables are scanned."""
    if not isinstance(prompt, dict):
        raise _unknown(("prompt",), "prompt type")
    _check_keys(("prompt",), prompt, frozenset({"id", "version", "variables"}))
    for name, value in (prompt.get("variables") or {}).items():
        path: JsonPath = ("prompt", "variables", name)
        if isinstance(value, str):
            doc.add_text(path, value)
        else:
            _part(doc, path, value, policy)


def responses_request_texts(body: dict[str, Any], policy: Policy) -> Document:
    """Every text of a Responses API request, or an error naming the first field it refuses."""
    extra = set(body) - _PASSTHROUGH - _SCANNED
    if extra:
        raise _unknown((sorted(extra)[0],))
    doc = Document(body)
    value = body.get("input")
    if isinstance(value, str):
        doc.add_text(("input",), value)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _item(doc, index, item, policy)
    elif value is not None:
        raise _unknown(("input",), "input type")
    for key in _FREE_STRINGS:
        if body.get(key) is not None and not isinstance(body[key], str):
            raise _unknown((key,), f"{key} type")
        if isinstance(body.get(key), str):
            doc.add_text((key,), body[key])
    if isinstance(body.get("metadata"), dict):
        doc.add_strings(("metadata",), body["metadata"])
    if body.get("prompt") is not None:
        _prompt(doc, body["prompt"], policy)
    options = body.get("background_options")
    if isinstance(options, dict):
        _check_keys(("background_options",), options,
                    frozenset({"completion_window", "continuation_id"}))
        if isinstance(options.get("continuation_id"), str):
            doc.add_text(("background_options", "continuation_id"), options["continuation_id"])
    return doc


def _id_of(value: Any) -> str | None:
    """A conversation is named by its id, or by an object holding it."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def response_refs(response: Any) -> tuple[str, ...]:
    """The ids a Response object is kept under: its own, and its conversation's."""
    if not isinstance(response, dict) or response.get("object", "response") != "response":
        return ()
    refs = (_id_of(response.get("id")), _id_of(response.get("conversation")))
    return tuple(ref for ref in refs if ref is not None)


# ---------------------------------------------------------------------------- answers


class Responses(Endpoint):
    name = "responses"
    json_keys = frozenset({"arguments"})

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return responses_request_texts(body, policy)

    def usage(self, body: Any) -> Usage:
        return openai_usage(body)

    def stream_restorer(self, lookup: Lookup) -> EventRestorer:
        return ResponsesStreamRestorer(lookup)

    def conversation_refs(self, body: dict[str, Any]) -> tuple[str, ...]:
        refs = (_id_of(body.get("previous_response_id")), _id_of(body.get("conversation")))
        return tuple(ref for ref in refs if ref is not None)

    def answer_refs(self, payload: Any) -> tuple[str, ...]:
        return response_refs(payload)


@dataclass(frozen=True)
class TextStream:
    """One kind of streamed text: fragments come in `delta` events (in their `delta` field),
    the whole text in the `done` event. `index` tells the parts of one item apart."""

    delta: str
    done: str
    index: str | None = None
    escape: Callable[[str], str] = identity


TEXT_STREAMS = (
    TextStream("response.output_text.delta", "response.output_text.done", "content_index"),
    TextStream("response.refusal.delta", "response.refusal.done", "content_index"),
    TextStream("response.reasoning_text.delta", "response.reasoning_text.done", "content_index"),
    TextStream("response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
               "summary_index"),
    TextStream("response.function_call_arguments.delta",
               "response.function_call_arguments.done", escape=json_string_escape),
    TextStream("response.mcp_call_arguments.delta", "response.mcp_call_arguments.done",
               escape=json_string_escape),
    TextStream("response.custom_tool_call_input.delta", "response.custom_tool_call_input.done"),
    TextStream("response.code_interpreter_call_code.delta",
               "response.code_interpreter_call_code.done"),
    TextStream("response.shell_call_command.delta", "response.shell_call_command.done",
               "command_index"),
    TextStream("response.audio.transcript.delta", "response.audio.transcript.done"),
)
_BY_DELTA = {stream.delta: stream for stream in TEXT_STREAMS}
_BY_DONE = {stream.done: stream for stream in TEXT_STREAMS}
# Events that end every text stream of one content part, or of one output item.
_PART_DONE = {
    "response.content_part.done": "content_index",
    "response.reasoning_summary_part.done": "summary_index",
}
_ITEM_DONE = "response.output_item.done"
_LIFECYCLE = frozenset({
    "response.created", "response.queued", "response.in_progress", "response.completed",
    "response.incomplete", "response.failed",
})
_TERMINAL = frozenset({"response.completed", "response.incomplete", "response.failed"})


@dataclass
class _Slot:
    """One text stream in flight: its restorer and the fields naming it in its events."""

    stream: TextStream
    key: tuple[Any, ...]
    names: dict[str, Any]
    restorer: Restorer


def _slot_key(stream: TextStream, event: dict[str, Any]) -> tuple[Any, ...]:
    return (stream.delta, event.get("item_id"), event.get("output_index"),
            event.get(stream.index) if stream.index else None)


class ResponsesStreamRestorer(EventRestorer):
    """Restores a Responses stream event by event.

    Delta events of the text streams in `TEXT_STREAMS` go through one `Restorer` per stream
    (per item, content part, summary part), so a placeholder cut across deltas is restored
    and nothing is buffered beyond a placeholder's worth of text. Text still held when the
    stream ends (its `.done`, the part's or item's `.done`, the response's terminal event, an
    `error`, or the end of the stream, whichever comes first) is released in a synthetic
    delta event just before. Every other event (`.done`s, items, parts, the `response`
    snapshots, errors) is restored whole, as a JSON answer is.

    Synthetic events shift the `sequence_number` of every later event by one, so that the
    client still sees unique, increasing numbers (the SDK's stream helpers rely on order, not
    on matching the provider's numbering). Events that need no change are passed on exactly
    as the provider framed them.

    Counts: a stream repeats each text (deltas, `.done`, item, final snapshot); restorations
    are counted once, from the terminal `response` snapshot when the stream has one (it holds
    the whole answer), else from the deltas; `error` events add theirs.
    """

    def __init__(self, lookup: Lookup) -> None:
        super().__init__(lookup)
        self._slots: dict[tuple[Any, ...], _Slot] = {}
        self._offset = 0  # synthetic events sent so far: added to upstream sequence numbers
        self._last_sequence: int | None = None
        self._named = False  # the provider names its events (`event:` lines)
        self._streamed = RestoreCount()
        self._snapshot: RestoreCount | None = None
        self._errors = RestoreCount()

    def feed(self, event: SSEEvent) -> list[SSEEvent]:
        if event.data is None or event.comment is not None or not event.data.strip():
            return [event]
        if event.data.strip() == "[DONE]":  # not OpenAI's, but some compatible servers'
            return [*self.finish(), event]
        try:
            payload = json.loads(event.data)
        except ValueError:
            raise UpstreamProtocolError(
                "The provider sent a stream event that is not JSON."
            ) from None
        if not isinstance(payload, dict):
            return [event]
        self._named = event.event is not None
        kind = payload.get("type") if isinstance(payload.get("type"), str) else None
        sequence = payload.get("sequence_number")
        upstream = sequence if isinstance(sequence, int) else None
        out: list[SSEEvent] = []
        for slot in self._closed_by(kind, payload):
            out.extend(self._release(slot, upstream))
        changed = self._restore(kind, payload)
        if upstream is not None:
            self._last_sequence = upstream
            if self._offset:
                payload["sequence_number"] = upstream + self._offset
                changed = True
        out.append(
            SSEEvent(event=event.event, id=event.id, data=_compact(payload)) if changed else event
        )
        return out

    def finish(self) -> list[SSEEvent]:
        base = None if self._last_sequence is None else self._last_sequence + 1
        return [out for slot in list(self._slots.values()) for out in self._release(slot, base)]

    # -------------------------------------------------------------------------- internals

    def _closed_by(self, kind: Any, event: dict[str, Any]) -> list[_Slot]:
        """The text streams that `event` ends: their held text must go out before it."""
        if kind in _TERMINAL or kind == "error":
            return list(self._slots.values())
        if kind in _BY_DONE:
            slot = self._slots.get(_slot_key(_BY_DONE[kind], event))
            return [slot] if slot is not None else []
        where = (event.get("item_id"), event.get("output_index"))
        if kind in _PART_DONE:
            index = _PART_DONE[kind]
            return [slot for slot in self._slots.values()
                    if slot.stream.index == index and slot.key[1:] == (*where, event.get(index))]
        if kind == _ITEM_DONE:
            return [slot for slot in self._slots.values()
                    if slot.key[2] == event.get("output_index")]
        return []

    def _release(self, slot: _Slot, sequence: int | None) -> list[SSEEvent]:
        """A synthetic delta carrying what `slot` still holds (if anything); ends the slot."""
        del self._slots[slot.key]
        held = slot.restorer.flush()
        if not held:
            return []
        payload: dict[str, Any] = {**slot.names, "delta": held}
        if slot.stream.delta == "response.output_text.delta":
            payload["logprobs"] = []
        if sequence is not None:
            payload["sequence_number"] = sequence + self._offset
            self._offset += 1
        return [SSEEvent(event=slot.stream.delta if self._named else None,
                         data=_compact(payload))]

    def _restore(self, kind: Any, event: dict[str, Any]) -> bool:
        """Restore `event` in place; True if it changed."""
        stream = _BY_DELTA.get(kind) if isinstance(kind, str) else None
        if stream is not None and isinstance(event.get("delta"), str):
            return self._restore_delta(stream, event)
        count = RestoreCount()
        restored = restore_json(event, self.lookup, count, Responses.json_keys)
        event.update(restored)
        response = event.get("response")
        if kind in _LIFECYCLE and isinstance(response, dict):
            self.answer_refs.update(response_refs(response))
            usage = openai_usage(response)
            if usage.input_tokens is not None or usage.output_tokens is not None:
                self.usage = usage
            if kind in _TERMINAL:
                self._snapshot = count
        elif kind == "error" or "error" in event:
            self._errors.restored += count.restored
            self._errors.unresolved += count.unresolved
        self._recount()
        return count.restored > 0

    def _restore_delta(self, stream: TextStream, event: dict[str, Any]) -> bool:
        key = _slot_key(stream, event)
        slot = self._slots.get(key)
        if slot is None:
            names = {"type": stream.delta}
            for name in ("item_id", "output_index", stream.index):
                if name is not None and name in event:
                    names[name] = event[name]
            slot = _Slot(stream, key, names, Restorer(self.lookup, stream.escape))
            self._slots[key] = slot
        fragment: str = event["delta"]
        family = stream.delta.removeprefix("response.").removesuffix(".delta")
        self.transcript.add(".".join(str(part) for part in (key[2], family, key[3])
                                     if part is not None), fragment)
        restorer = slot.restorer
        before = (restorer.restored, restorer.unresolved)
        out = restorer.feed(fragment)
        self._streamed.restored += restorer.restored - before[0]
        self._streamed.unresolved += restorer.unresolved - before[1]
        self._recount()
        event["delta"] = out
        return out != fragment

    def _recount(self) -> None:
        base = self._snapshot if self._snapshot is not None else self._streamed
        self.count = RestoreCount(base.restored + self._errors.restored,
                                  base.unresolved + self._errors.unresolved)
