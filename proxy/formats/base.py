"""What every wire format provides to the relay, and the pieces they share.

A wire format (OpenAI, Anthropic, …) maps routes to `Endpoint`s and renders errors in its own
shape. An endpoint knows where the text is in its requests (`texts`), how to restore a whole
answer (`restore`), and how to restore a stream event by event (`stream_restorer`). The relay
(`proxy.relay`) never looks inside a body itself: adding a format means adding a module here
and a line in `proxy.formats.FORMATS`.

What kind of text the model's answer is (prose, or JSON the app will parse) depends on the
request, so the relay works with the endpoint `for_request` returns: the same endpoint, bound
to the `AnswerText` of that request (see `proxy.restore` for the rules).
"""

from __future__ import annotations

import copy
import json
import re
from _json import encode_basestring, make_encoder
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Protocol, Self

from proxy.errors import InvalidModel, UpstreamProtocolError, VoileError
from proxy.formats.document import Document
from proxy.formats.tokens import NO_TOKENIZERS, Tokenizers
from proxy.paths import Route
from proxy.policy import Policy
from proxy.restore import (
    Lookup,
    Restorer,
    TextKind,
    escape_for,
    identity,
    json_string_escape,
    restore_text,
    restorer_for,
)
from proxy.sse import SSEEvent

# How much of an answer (masked, as the provider sent it) the audit payload keeps: of each
# text stream of a streamed answer (characters), of a whole answer (bytes). Beyond it the
# record says that it was cut and how long the answer was (see `Transcript`, `answer_record`).
TRANSCRIPT_LIMIT = 256 * 1024
MAX_END_USER_ID = 512  # a longer "id" is not an id: it is not used as the audit's end user
# A model id: `gpt-4o-mini`, `ft:gpt-4o-mini:org:custom:abc`, `claude-sonnet-4-5-20250929`,
# `llama3.1:8b-instruct-q4_K_M`, `meta-llama/Llama-3.1-8B-Instruct` (vLLM, Hugging Face).
MODEL_ID = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}(/[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}){0,7}"
)


@dataclass
class RestoreCount:
    restored: int = 0
    unresolved: int = 0


@dataclass(frozen=True)
class Usage:
    input_tokens: int | None = None
    output_tokens: int | None = None
    # Why generation stopped, per choice (`stop`, `length`, `end_turn`, `tool_use`): for
    # traces (`gen_ai.response.finish_reasons`), never audited.
    finish_reasons: tuple[str, ...] = ()


# A provider's finish reason is kept only in this grammar, and only so many: it goes into
# traces, and a provider's text is not trusted to be a word.
FINISH_REASON = re.compile(r"[a-z][a-z0-9_]{0,31}")
MAX_FINISH_REASONS = 8


def finish_reasons(values: Iterable[object]) -> tuple[str, ...]:
    """The finish reasons among `values` that are in their grammar, in order."""
    kept = [v for v in values if isinstance(v, str) and FINISH_REASON.fullmatch(v)]
    return tuple(kept[:MAX_FINISH_REASONS])


def _no_text(part: Mapping[str, Any]) -> str | None:
    return None


@dataclass(frozen=True)
class AnswerText:
    """Where the model's answer text is in a format's JSON, and what kind of text it is.

    `key_of` names, for an object of the answer, the key under which it holds answer text
    (`"text"` for an Anthropic `{"type": "text"}` block, `"content"` for a Chat message), or
    None. `kind` says how values are restored there (`proxy.restore.TextKind`), and `streamed`
    that the text is part of a stream, whose whole texts are judged as its deltas were.
    """

    kind: TextKind = TextKind.PLAIN
    key_of: Callable[[Mapping[str, Any]], str | None] = _no_text
    streamed: bool = False

    def escape(self, text: str) -> Callable[[str], str]:
        return escape_for(self.kind, text, streamed=self.streamed)

    def restorer(self, lookup: Lookup) -> Restorer:
        """The restorer of one streamed answer text."""
        return restorer_for(lookup, self.kind)

    def in_stream(self) -> AnswerText:
        return AnswerText(self.kind, self.key_of, streamed=True)


PLAIN = AnswerText()


def restore_json(
    value: Any,
    lookup: Lookup,
    count: RestoreCount,
    json_keys: frozenset[str] = frozenset(),
    key: str | None = None,
    *,
    answer: AnswerText = PLAIN,
) -> Any:
    """Restore placeholders in every string and key of a JSON answer (also error bodies,
    which may quote the prompt). Strings under a key in `json_keys` hold JSON text (tool-call
    arguments), so restored values are JSON-escaped there; the model's answer text, where
    `answer` finds it, is restored as its kind says."""
    if isinstance(value, str):
        escape = json_string_escape if key in json_keys else identity
        return _restore_string(value, lookup, count, escape)
    if isinstance(value, dict):
        text_key = answer.key_of(value)
        # Keys too: a masked property name (tool schemas and tool inputs are scanned, keys
        # included) comes back as a key of the model's tool input.
        return {
            restore_json(k, lookup, count): (
                _restore_string(v, lookup, count, answer.escape(v))
                if k == text_key and isinstance(v, str)
                else restore_json(v, lookup, count, json_keys, k, answer=answer)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [restore_json(item, lookup, count, json_keys, key, answer=answer) for item in value]
    return value


def _restore_string(
    value: str, lookup: Lookup, count: RestoreCount, escape: Callable[[str], str]
) -> str:
    text, restored, unresolved = restore_text(value, lookup, escape)
    count.restored += restored
    count.unresolved += unresolved
    return text


@dataclass
class Transcript:
    """The masked text of a streamed answer, per text stream, for the audit payload: the first
    TRANSCRIPT_LIMIT characters of each stream, and the length of each, so that the record
    says what was cut (a stream is never held whole: the answer flows, the trail keeps a head).
    """

    parts: dict[str, list[str]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)  # characters kept
    lengths: dict[str, int] = field(default_factory=dict)  # characters the stream carried

    def add(self, stream: str, text: Any) -> None:
        if not (isinstance(text, str) and text):
            return
        lengths = self.lengths
        lengths[stream] = lengths.get(stream, 0) + len(text)
        size = self.sizes.get(stream, 0)
        if size < TRANSCRIPT_LIMIT:
            kept = text[: TRANSCRIPT_LIMIT - size]
            self.parts.setdefault(stream, []).append(kept)
            self.sizes[stream] = size + len(kept)

    def as_dict(self) -> dict[str, str]:
        return {stream: "".join(parts) for stream, parts in self.parts.items()}

    def record(self) -> dict[str, Any]:
        """What the audit payload keeps of the stream: `{"stream": true, "transcript": {...}}`,
        plus `"truncated": true` and `"chars": {stream: full length}` for the streams cut."""
        kept: dict[str, Any] = {"stream": True, "transcript": self.as_dict()}
        cut = {name: n for name, n in self.lengths.items() if n > self.sizes.get(name, 0)}
        if cut:
            kept.update(truncated=True, chars=cut)
        return kept


def answer_record(raw: bytes, payload: Any, status: int) -> Any:
    """What the audit payload keeps of a whole answer: the provider's JSON as it came (masked,
    unrestored), or `{"status", "text"}` for a body that is not JSON. An answer over
    TRANSCRIPT_LIMIT bytes is kept as `{"status", "truncated": true, "bytes": its size,
    "head": its first TRANSCRIPT_LIMIT bytes as text}`: a trail that stored answers whole
    would grow by whatever a provider chooses to send."""
    if len(raw) > TRANSCRIPT_LIMIT:
        return {
            "status": status,
            "truncated": True,
            "bytes": len(raw),
            "head": raw[:TRANSCRIPT_LIMIT].decode("utf-8", "replace"),
        }
    if payload is None:
        return {"status": status, "text": raw.decode("utf-8", "replace")}
    return payload


def event_json(event: SSEEvent) -> Any:
    """The JSON value a stream event carries; None for comments and events without data. Data
    that is not JSON is the provider breaking its own protocol (`UpstreamProtocolError`)."""
    data = event.data
    if data is None or event.comment is not None or not data or data.isspace():
        return None
    try:
        return _DECODE(data)
    except ValueError:
        raise UpstreamProtocolError("The provider sent a stream event that is not JSON.") from None


def compact_json(payload: Any) -> str:
    """The providers' own framing of an event's data: compact JSON, non-ASCII as is."""
    return "".join(_ENCODE(payload, 0))


# A stream's events are decoded, and the restored ones re-encoded, one by one on the event
# loop: hundreds per answer. `json.loads` and `json.dumps` with options build a decoder or an
# encoder anew on every call, which was half of a small event's encoding time. These are
# built once: the decoder `json.loads` uses, and the C encoder `json.dumps(payload,
# ensure_ascii=False, separators=(",", ":"))` builds, without the check for circular
# references (a payload decoded from JSON has none; nor has one a format builds), which also
# leaves it no state shared between calls or threads. Same text (`test_stream_restorer.py`).
_DECODE = json.JSONDecoder().decode
_ENCODE = make_encoder(
    None,  # no circular-reference markers
    json.JSONEncoder().default,  # raises TypeError for what JSON cannot hold
    encode_basestring,  # ensure_ascii=False
    None,  # no indent
    ":",
    ",",
    False,  # keys in their order
    False,  # a key that is not a string is an error
    True,  # NaN and infinities as json.dumps writes them
)


@dataclass(frozen=True)
class StreamSummary:
    """What a streamed answer came to, for the audit and the log line."""

    restored: int
    unresolved: int
    usage: Usage
    transcript: dict[str, Any]  # what the trail keeps of the text (see `Transcript.record`)
    answer_refs: tuple[str, ...]  # ids under which the provider keeps the exchange, sorted


class EventRestorer(ABC):
    """Restores one SSE stream event by event; never holds more than a placeholder's worth
    of text per text stream, and releases it all by `finish`.

    The base owns the framing every format shares: events without data and comments pass as
    they are, `data: [DONE]` (where `done_marker` says the format uses it) releases what is
    held, data that is not JSON is a protocol error; each JSON object goes to the format's
    `on_event`. Formats restore their text streams through `restore_stream`, which counts
    and transcribes as it restores, so no stream can be left out of the audit transcript."""

    done_marker: ClassVar[bool] = False

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup
        self.count = RestoreCount()
        self.usage = Usage()
        self.finish_reasons: list[object] = []  # as the stream gave them (`finish_reasons`)
        self.transcript = Transcript()
        # Filled by endpoints with provider-held state (see `Endpoint.answer_refs`).
        self.answer_refs: set[str] = set()
        # When a list: every restored piece of text, with its stream, as it goes into the
        # events (`proxy.generated.StreamGate` reads them); the reader empties it.
        self.pieces: list[tuple[str, str]] | None = None

    def feed(self, event: SSEEvent) -> list[SSEEvent]:
        """The events to send for this one (usually itself, restored)."""
        data = event.data
        if (
            self.done_marker
            and event.comment is None
            and data is not None
            and "[DONE]" in data  # before `strip`, which copies every event's data
            and data.strip() == "[DONE]"
        ):
            return [*self.finish(), event]
        payload = event_json(event)
        if not isinstance(payload, dict):
            return [event]
        return self.on_event(event, payload)

    @abstractmethod
    def on_event(self, event: SSEEvent, payload: dict[str, Any]) -> list[SSEEvent]:
        """The events to send for `event`, whose data is the JSON object `payload` (which
        the format may restore in place and re-encode with `compact_json`)."""

    @abstractmethod
    def finish(self) -> list[SSEEvent]:
        """Events carrying whatever is still held when the upstream stream ends."""

    def restore_stream(
        self,
        restorer: Restorer,
        stream: str,
        text: str,
        count: RestoreCount | None = None,
    ) -> str:
        """`text`, the next piece of the text stream `stream`, through its `restorer`: added
        to the transcript, and what it restored added to `count` (the restorer's own)."""
        self.transcript.add(stream, text)
        restored, unresolved = restorer.restored, restorer.unresolved
        out = restorer.feed(text)
        if self.pieces is not None and out:
            self.pieces.append((stream, out))
        if restorer.restored != restored or restorer.unresolved != unresolved:
            count = self.count if count is None else count
            count.restored += restorer.restored - restored
            count.unresolved += restorer.unresolved - unresolved
        return out

    def summary(self) -> StreamSummary:
        return StreamSummary(
            self.count.restored,
            self.count.unresolved,
            replace(self.usage, finish_reasons=finish_reasons(self.finish_reasons)),
            self.transcript.record(),
            tuple(sorted(self.answer_refs)),
        )


class Endpoint(ABC):
    """One relayed route of a wire format.

    The instances in a format's route table are shared by all requests and hold no request
    state; `for_request` gives the one a request is relayed with."""

    name: str
    json_keys: frozenset[str] = frozenset()
    takes_body = True
    """False for routes whose requests carry no body (GET, DELETE, a cancel): nothing is read
    from the caller's body, and none is forwarded."""
    lists_held = False
    """True for answers listing objects the provider holds, whose ids only the answer names
    (stored chat completions): see `listed_refs`."""
    answer: AnswerText = PLAIN
    """Where the answer's text is and what kind it is, for the request this endpoint is bound
    to (`for_request`); the unbound endpoint's says where, with kind PLAIN."""

    @abstractmethod
    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        """Every text in the request, or a VoileError naming the first field it refuses."""

    def answer_kind(self, body: dict[str, Any]) -> TextKind:
        """What kind of text this request's answer is: JSON if the request asks for JSON
        output, else SNIFF (the answer decides; `proxy.restore`). Endpoints whose answers
        carry no model text keep PLAIN."""
        return TextKind.PLAIN

    def for_request(self, body: dict[str, Any], tokenizers: Tokenizers = NO_TOKENIZERS) -> Self:
        """This endpoint bound to one request: its answer text of the kind `answer_kind`
        says. A copy, so that the shared endpoint never holds a request's state.
        `tokenizers`: the deployment's, for endpoints that take token ids (embeddings)."""
        kind = self.answer_kind(body)
        if kind is self.answer.kind:
            return self
        bound = copy.copy(self)
        bound.answer = AnswerText(kind, self.answer.key_of)
        return bound

    def model(self, body: dict[str, Any]) -> str | None:
        """The model the request names, if it is a string in the grammar of model ids.

        `model` is forwarded unscanned, logged and audited in clear, so it must be an id, not
        free text: refused (400 `invalid_model`) otherwise. Its type is checked by the
        format's field table."""
        model = body.get("model")
        if isinstance(model, str) and not MODEL_ID.fullmatch(model):
            raise InvalidModel(
                "'model' is not a model id (letters, digits and . _ : + - in up to 8 "
                "'/'-separated parts of at most 128 characters).",
                param="model",
            )
        return model if isinstance(model, str) else None

    def wants_stream(self, body: dict[str, Any]) -> bool:
        return body.get("stream") is True

    def end_user(self, body: dict[str, Any], headers: Mapping[str, str], header: str) -> str | None:
        """The app's own id for its end user, for the audit trail (erasure, per-user keys):
        the `header` (x-voile-end-user), else OpenAI's `safety_identifier` or `user`.
        Formats with another field (Anthropic's `metadata.user_id`) override this.
        Read before masking: the proxy masks `user` before forwarding."""
        value = headers.get(header)
        for name in ("safety_identifier", "user"):
            if not value and isinstance(body.get(name), str):
                value = body[name]
        return value if value and len(value) <= MAX_END_USER_ID else None

    def restore(self, body: Any, lookup: Lookup, count: RestoreCount) -> Any:
        return restore_json(body, lookup, count, self.json_keys, answer=self.answer)

    @abstractmethod
    def usage(self, body: Any) -> Usage: ...

    def stream_restorer(self, lookup: Lookup) -> EventRestorer | None:
        """None for endpoints that never stream."""
        return None

    def conversation_refs(self, body: dict[str, Any]) -> tuple[str, ...]:
        """Ids of provider-held state this request continues (`previous_response_id`, a
        stored conversation): the answer may carry placeholders minted in earlier requests,
        which the conversation vault can restore."""
        return ()

    def answer_refs(self, payload: Any) -> tuple[str, ...]:
        """Ids under which the provider keeps this exchange (the response id, the
        conversation id), so that a later request continuing it can restore our tokens."""
        return ()

    def listed_refs(self, raw: bytes) -> tuple[str, ...]:
        """For `lists_held` endpoints: the ids of the objects a successful answer lists, whose
        tokens are recalled before it is restored."""
        return ()

    def deleted_refs(self, payload: Any) -> tuple[str, ...]:
        """Ids of provider-held state this successful answer says is deleted: their tokens
        are forgotten too (the vault keeps nothing the provider no longer holds)."""
        return ()


class ModelListing(Endpoint):
    """Model listings (GET): no body, so no text to scan; relayed like every other route,
    authenticated and audited, and their answer restored like any (it holds no placeholder)."""

    name = "models"
    takes_body = False

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return Document(body)  # no body: nothing to scan

    def usage(self, body: Any) -> Usage:
        return Usage()


class WireFormat(Protocol):
    name: str

    def route(self, method: str, segments: tuple[str, ...]) -> Route:
        """The route for the validated path `segments` (below the provider prefix), or
        NotFound/MethodNotAllowed. The upstream path is built from these segments only."""
        ...

    def error_body(self, error: VoileError) -> dict[str, Any]: ...

    def error_event(self, error: VoileError) -> SSEEvent:
        """The error as an event, for failures after a stream's headers were sent."""
        ...

    def auth_headers(self, provider_key: str) -> dict[str, str]:
        """How this format's provider expects its key."""
        ...
