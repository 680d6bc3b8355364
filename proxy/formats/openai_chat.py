"""OpenAI Chat Completions: where the text is in requests, answers and stream chunks.

Also used by every OpenAI-compatible provider (Mistral, DeepSeek, Groq, Ollama, vLLM).

Requests are checked against a table of every field we know (`CHAT_FIELDS`): each value is
type-checked, then scanned, or passed if it cannot hold free text (sampling parameters, ids,
enums). A field we do not know, or a value of another type than declared, may carry text we
would not scan, so it is refused (400 `unsupported_field`, naming the field) instead of
forwarded: OpenAI adds fields often, and a silent pass-through is how peers leak. Tool
definitions and response schemas are scanned too: their descriptions and enum values are
text (see `proxy.formats.fields` for the decisions on ids, names and schemas).

A completion created with `store: true` is kept by the provider, and read back later through
`/v1/chat/completions/{id}` (`proxy.formats.openai_stored`): its tokens are then remembered
in the conversation vault under its id. Without `store` nothing is left behind.
"""

from __future__ import annotations

import copy
import json
from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Self

from proxy.errors import BadRequest
from proxy.formats.base import (
    MODEL_ID,
    PLAIN,
    AnswerText,
    Endpoint,
    EventRestorer,
    RestoreCount,
    Usage,
    compact_json,
    finish_reasons,
    restore_json,
)
from proxy.formats.document import Document
from proxy.formats.fields import (
    BOOLEAN,
    COUNT,
    ID,
    ID_GRAMMAR,
    JSON_SCHEMA,
    JSON_TEXT,
    NAME,
    PASSED,
    STRING,
    TEXT,
    TEXTS,
    Check,
    Fields,
    Scan,
    all_of,
    array,
    check_fields,
    either,
    enum,
    grammar,
    integer,
    mapping,
    nullable,
    number,
    obj,
    tagged,
    unscannable,
    within,
)
from proxy.formats.tokens import NO_TOKENIZERS, Tokenizers
from proxy.policy import Part, Policy, UnscannableKind
from proxy.restore import Lookup, Restorer, TextKind, json_string_escape
from proxy.sse import SSEEvent

# ----------------------------------------------------------------------------- requests
# Every field of a request, as the official SDK declares it (plus the fields OpenAI-compatible
# providers add: DeepSeek's `reasoning_content`, Mistral's `prefix`), and what is done with it.
# See `proxy.formats.fields` for the checks and the decisions on ids, names and schemas.

MODEL = grammar(MODEL_ID.pattern, "a model id")
_TTL = grammar(r"[0-9]{1,4}[smhd]", "a duration such as 30m or 24h")
_CACHE_BREAKPOINT = obj({"mode": enum("explicit"), "ttl": _TTL})
PROMPT_CACHE_RETENTION = nullable(enum("in_memory", "24h"))
REASONING_EFFORT = nullable(enum("none", "minimal", "low", "medium", "high", "xhigh", "max"))
VERBOSITY = nullable(enum("low", "medium", "high"))
# OpenAI's tiers and those of compatible providers (Groq: on_demand, performance).
SERVICE_TIER = nullable(
    enum(
        "auto",
        "default",
        "flex",
        "scale",
        "priority",
        "fast",
        "ultrafast",
        "on_demand",
        "performance",
    )
)
_MODERATION_MODE = nullable(obj({"mode": enum("score", "block")}))
MODERATION = nullable(
    obj(
        {
            "model": MODEL,
            "policy": nullable(obj({"input": _MODERATION_MODE, "output": _MODERATION_MODE})),
        }
    )
)
METADATA = nullable(mapping(TEXT, max_items=64))  # keys and values: free text, scanned
USER_LOCATION: Fields = {  # an end user's city is personal data: scanned, policy decides
    "city": nullable(TEXT),
    "country": nullable(TEXT),
    "region": nullable(TEXT),
    "timezone": nullable(TEXT),
    "type": enum("approximate"),
}
JSON_SCHEMA_FORMAT: Fields = {
    "name": NAME,
    "description": TEXT,
    "schema": JSON_SCHEMA,
    "strict": nullable(BOOLEAN),
}
CUSTOM_FORMAT = tagged(
    {
        "text": {},
        "grammar": {"grammar": obj({"definition": TEXT, "syntax": enum("lark", "regex")})},
    },
    "custom tool format",
)

_IMAGE = unscannable(UnscannableKind.IMAGE, "image content")
_AUDIO = unscannable(UnscannableKind.AUDIO, "audio content")
_FILE = unscannable(UnscannableKind.FILE, "file content")
# The payload of content the policy allowed is not walked: only a file's name is text.
_TEXT_PART: Fields = {"text": TEXT, "prompt_cache_breakpoint": _CACHE_BREAKPOINT}
_TEXT_PARTS: Mapping[str, Fields | Check] = {"text": _TEXT_PART}
_USER_PARTS: Mapping[str, Fields | Check] = {
    "text": _TEXT_PART,
    "image_url": all_of(
        _IMAGE,
        obj(
            {
                "type": PASSED,
                "image_url": obj(
                    {"url": STRING, "detail": enum("auto", "low", "high", "original")}
                ),
            }
        ),
    ),
    "input_audio": all_of(
        _AUDIO,
        obj({"type": PASSED, "input_audio": obj({"data": STRING, "format": enum("wav", "mp3")})}),
    ),
    "file": all_of(
        _FILE,
        obj({"type": PASSED, "file": obj({"file_data": STRING, "file_id": ID, "filename": TEXT})}),
    ),
}
_ASSISTANT_PARTS: Mapping[str, Fields | Check] = {"text": _TEXT_PART, "refusal": {"refusal": TEXT}}


def content(parts: Mapping[str, Fields | Check]) -> Check:
    """A message's content: null, a string, or an array of the `parts` it may hold."""
    return nullable(
        either(
            "a string or an array of content parts",
            string=TEXT,
            array=array(tagged(parts, "content part type")),
        )
    )


_FUNCTION_CALL = obj({"name": NAME, "arguments": JSON_TEXT})
_TOOL_CALL = tagged(
    {
        "function": {"id": ID, "function": _FUNCTION_CALL},
        "custom": {"id": ID, "custom": obj({"name": NAME, "input": TEXT})},
    },
    "tool call type",
    default="function",
)
# An answer's web citations, sent back when an app appends the SDK's message object as is
# (`messages.push(completion.choices[0].message)`, as in openai-node tool loops).
_ANNOTATION = tagged(
    {
        "url_citation": {
            "url_citation": obj(
                {"url": TEXT, "title": TEXT, "start_index": integer(0), "end_index": integer(0)}
            )
        }
    },
    "annotation type",
)
_MESSAGE = tagged(
    {
        "system": within(Part.SYSTEM, {"content": content(_TEXT_PARTS), "name": TEXT}),
        "developer": within(Part.SYSTEM, {"content": content(_TEXT_PARTS), "name": TEXT}),
        "user": within(Part.USER, {"content": content(_USER_PARTS), "name": TEXT}),
        "assistant": within(
            Part.ASSISTANT,
            {
                "content": content(_ASSISTANT_PARTS),
                "name": TEXT,
                "refusal": nullable(TEXT),
                "annotations": nullable(array(_ANNOTATION)),
                "tool_calls": within(Part.TOOL_ARGUMENTS, nullable(array(_TOOL_CALL))),
                "function_call": within(Part.TOOL_ARGUMENTS, nullable(_FUNCTION_CALL)),
                "audio": nullable(obj({"id": ID})),  # a provider-held answer, named by its id
                "reasoning_content": nullable(TEXT),  # DeepSeek
                "prefix": BOOLEAN,  # Mistral, DeepSeek: continue this message
            },
        ),
        "tool": within(Part.TOOL_RESULTS, {"content": content(_TEXT_PARTS), "tool_call_id": ID}),
        "function": within(Part.TOOL_RESULTS, {"content": nullable(TEXT), "name": NAME}),
    },
    "message role",
    tag="role",
    name_tag=True,
)

_FUNCTION = obj(
    {"name": NAME, "description": TEXT, "parameters": JSON_SCHEMA, "strict": nullable(BOOLEAN)}
)
_TOOL = tagged(
    {
        "function": {"function": _FUNCTION},
        "custom": {"custom": obj({"name": NAME, "description": TEXT, "format": CUSTOM_FORMAT})},
    },
    "tool type",
)
_TOOL_REFERENCE_FIELDS: Mapping[str, Fields] = {
    "function": {"function": obj({"name": NAME})},
    "custom": {"custom": obj({"name": NAME})},
}
_TOOL_REFERENCE = tagged(_TOOL_REFERENCE_FIELDS, "tool type")
_TOOL_CHOICE = either(
    "'none', 'auto', 'required' or a tool choice object",
    string=enum("none", "auto", "required"),
    obj=tagged(
        {
            **_TOOL_REFERENCE_FIELDS,
            "allowed_tools": {
                "allowed_tools": obj(
                    {"mode": enum("auto", "required"), "tools": array(_TOOL_REFERENCE)}
                )
            },
        },
        "tool choice type",
    ),
)

CHAT_FIELDS: Fields = {
    "model": MODEL,
    "messages": array(_MESSAGE, nonempty=True),
    "audio": nullable(
        obj(
            {
                "format": enum("wav", "aac", "mp3", "flac", "opus", "pcm16"),
                "voice": either("a voice name or {id}", string=ID, obj=obj({"id": ID})),
            }
        )
    ),
    "frequency_penalty": nullable(number(-2, 2)),
    "function_call": either(
        "'none', 'auto' or {name}", string=enum("none", "auto"), obj=obj({"name": NAME})
    ),
    "functions": within(Part.TOOL_DEFINITIONS, array(_FUNCTION)),
    "logit_bias": nullable(mapping(number(-100, 100), keys=r"[0-9]{1,7}")),  # token ids
    "logprobs": nullable(BOOLEAN),
    "max_completion_tokens": nullable(COUNT),
    "max_tokens": nullable(COUNT),
    "metadata": METADATA,
    "modalities": nullable(array(enum("text", "audio"))),
    "moderation": MODERATION,
    "n": nullable(integer(1, 128)),
    "parallel_tool_calls": BOOLEAN,
    # Predicted output: the app's own text, which the answer is expected to repeat.
    "prediction": nullable(obj({"type": enum("content"), "content": content(_TEXT_PARTS)})),
    "presence_penalty": nullable(number(-2, 2)),
    # Identifiers apps often fill with an e-mail address: scanned; a masked value keeps its
    # token, so they still work as identifiers and cache keys.
    "prompt_cache_key": nullable(TEXT),
    "prompt_cache_options": obj({"mode": enum("implicit", "explicit"), "ttl": _TTL}),
    "prompt_cache_retention": PROMPT_CACHE_RETENTION,
    "reasoning_effort": REASONING_EFFORT,
    "response_format": within(
        Part.TOOL_DEFINITIONS,
        tagged(
            {
                "text": {},
                "json_object": {},
                "json_schema": {"json_schema": obj(JSON_SCHEMA_FORMAT)},
            },
            "response format type",
        ),
    ),
    "safety_identifier": nullable(TEXT),
    "seed": nullable(integer()),
    "service_tier": SERVICE_TIER,
    # Stop sequences may quote the prompt; masked alike, they still match what the model says.
    "stop": nullable(TEXTS),
    "store": nullable(BOOLEAN),
    "stream": nullable(BOOLEAN),
    "stream_options": nullable(obj({"include_usage": BOOLEAN, "include_obfuscation": BOOLEAN})),
    "temperature": nullable(number(0, 2)),
    "tool_choice": _TOOL_CHOICE,
    "tools": within(Part.TOOL_DEFINITIONS, array(_TOOL)),
    "top_logprobs": nullable(integer(0, 20)),
    "top_p": nullable(number(0, 1)),
    "user": TEXT,
    "verbosity": VERBOSITY,
    "web_search_options": obj(
        {
            "search_context_size": enum("low", "medium", "high"),
            "user_location": nullable(
                obj({"type": enum("approximate"), "approximate": obj(USER_LOCATION)})
            ),
        }
    ),
}
# Text-bearing keys of an answer; `arguments` holds JSON, so restored values are JSON-escaped.
_TEXT_KEYS = ("content", "refusal", "reasoning_content")
# Structured outputs: the answer's content is a JSON document (`proxy.restore`).
_JSON_FORMATS = frozenset({"json_schema", "json_object"})


def asks_for_json(text_format: Any) -> bool:
    """Whether a `response_format` (Chat) or `text.format` (Responses) asks for JSON output."""
    return isinstance(text_format, dict) and text_format.get("type") in _JSON_FORMATS


def message_content(part: Mapping[str, Any]) -> str | None:
    """The answer text of a chat completion: an assistant message's `content`."""
    return "content" if part.get("role") == "assistant" else None


def request_texts(body: dict[str, Any], policy: Policy, fields: Fields) -> Document:
    """Every text of a request whose fields are `fields`, or an error naming the first field
    it refuses (`proxy.formats.fields`)."""
    doc = Document(body)
    check_fields(Scan(doc, policy), (), body, fields)
    return doc


def chat_request_texts(body: dict[str, Any], policy: Policy) -> Document:
    """Every text of a chat completions request, or an error naming the first field refused."""
    if not isinstance(body.get("messages"), list) or not body["messages"]:
        raise BadRequest("'messages' must be a non-empty array", param="messages")
    return request_texts(body, policy, CHAT_FIELDS)


# ---------------------------------------------------------------------------- answers


def _stored_id(payload: Any) -> str | None:
    value = payload.get("id") if isinstance(payload, dict) else None
    return value if isinstance(value, str) and ID_GRAMMAR.fullmatch(value) else None


class ChatCompletions(Endpoint):
    name = "chat.completions"
    json_keys = frozenset({"arguments"})
    answer = AnswerText(key_of=message_content)
    stores = False  # bound per request: `store: true`, the provider keeps the completion

    def for_request(self, body: dict[str, Any], tokenizers: Tokenizers = NO_TOKENIZERS) -> Self:
        bound = super().for_request(body, tokenizers)
        stores = body.get("store") is True
        if stores is not bound.stores:
            bound = copy.copy(bound) if bound is self else bound
            bound.stores = stores
        return bound

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return chat_request_texts(body, policy)

    def answer_refs(self, payload: Any) -> tuple[str, ...]:
        """A stored completion's id, under which its tokens are remembered."""
        ref = _stored_id(payload) if self.stores else None
        return (ref,) if ref is not None and payload.get("object") == "chat.completion" else ()

    def answer_kind(self, body: dict[str, Any]) -> TextKind:
        return TextKind.JSON if asks_for_json(body.get("response_format")) else TextKind.SNIFF

    def usage(self, body: Any) -> Usage:
        return replace(openai_usage(body), finish_reasons=choice_finish_reasons(body))

    def stream_restorer(self, lookup: Lookup) -> EventRestorer:
        restorer = ChatStreamRestorer(lookup, self.answer.in_stream())
        restorer.stored = self.stores
        return restorer


def openai_usage(body: Any) -> Usage:
    usage = body.get("usage") if isinstance(body, dict) else None
    if not isinstance(usage, dict):
        return Usage()
    prompt = usage.get("prompt_tokens", usage.get("input_tokens"))
    completion = usage.get("completion_tokens", usage.get("output_tokens"))
    return Usage(
        prompt if isinstance(prompt, int) else None,
        completion if isinstance(completion, int) else None,
    )


def choice_finish_reasons(body: Any) -> tuple[str, ...]:
    """Each choice's `finish_reason` (a chat or legacy completion, whole or one chunk)."""
    choices = body.get("choices") if isinstance(body, dict) else None
    if not isinstance(choices, list):
        return ()
    return finish_reasons(c.get("finish_reason") for c in choices if isinstance(c, dict))


class OpenAIChunkRestorer(EventRestorer):
    """The framing OpenAI's chunked streams share (chat, legacy completions): `data:` JSON
    chunks, in-stream errors that may quote the prompt, a usage chunk, then `[DONE]`.

    Subclasses restore the choices of one chunk and say what is still held at the end; the
    synthetic chunk carrying that goes out just before `[DONE]` (or the end of the stream).
    Chunks that need no change are passed on as the provider framed them.
    """

    chunk_object: str
    stored = False  # the provider keeps the completion: its id goes to `answer_refs`
    done_marker = True

    def __init__(self, lookup: Lookup, answer: AnswerText = PLAIN) -> None:
        super().__init__(lookup)
        self.answer = answer  # the kind of the choices' answer text
        self._last_chunk: dict[str, Any] = {}

    def on_event(self, event: SSEEvent, chunk: dict[str, Any]) -> list[SSEEvent]:
        if "error" in chunk:
            count = RestoreCount()
            restored = restore_json(chunk, self.lookup, count, ChatCompletions.json_keys)
            self._add_counts(count)
            return [SSEEvent(event=event.event, data=json.dumps(restored, ensure_ascii=False))]
        if chunk.get("usage") is not None:  # only the last chunk carries it (or none does)
            usage = openai_usage(chunk)
            if usage.input_tokens is not None:
                self.usage = usage
        choices = chunk.get("choices")
        # Most chunks end no choice: their finish reasons are only looked for when one is set.
        if isinstance(choices, list) and any(
            isinstance(c, dict) and c.get("finish_reason") is not None for c in choices
        ):
            self.finish_reasons.extend(choice_finish_reasons(chunk))
        self._last_chunk = chunk
        if self.stored and (ref := _stored_id(chunk)) is not None:
            self.answer_refs.add(ref)
        if not self._restore_chunk(chunk):
            return [event]
        return [SSEEvent(event=event.event, id=event.id, data=compact_json(chunk))]

    def finish(self) -> list[SSEEvent]:
        choices = self._held_choices()
        if not choices:
            return []
        template = self._last_chunk
        chunk = {
            "id": template.get("id", ""),
            "object": self.chunk_object,
            "created": template.get("created", 0),
            "model": template.get("model", ""),
            "choices": choices,
        }
        return [SSEEvent(data=compact_json(chunk))]

    @abstractmethod
    def _restore_chunk(self, chunk: dict[str, Any]) -> bool:
        """Restore `chunk` in place; True if anything in it changed."""

    @abstractmethod
    def _held_choices(self) -> list[dict[str, Any]]:
        """Choices carrying whatever is still held (flushing it), for a last chunk."""

    def _add_counts(self, count: RestoreCount) -> None:
        self.count.restored += count.restored
        self.count.unresolved += count.unresolved


class ChatStreamRestorer(OpenAIChunkRestorer):
    """Restores a chat completions stream, one Restorer per text stream (per choice:
    content, refusal, reasoning; per tool call: arguments). Held-back text is released into
    the chunk that ends its choice (the one with a `finish_reason`), else at the end. The
    content is the answer, of the kind `answer` says (JSON-escaped values for structured
    outputs); arguments are JSON text; refusals and reasoning are prose."""

    chunk_object = "chat.completion.chunk"

    def __init__(self, lookup: Lookup, answer: AnswerText = PLAIN) -> None:
        super().__init__(lookup, answer)
        self._restorers: dict[tuple[int, str, int], Restorer] = {}

    def _held_choices(self) -> list[dict[str, Any]]:
        deltas: dict[int, dict[str, Any]] = {}
        for choice, _key, _tool in list(self._restorers):
            self._flush_choice(choice, deltas.setdefault(choice, {}))
        return [{"index": i, "delta": d, "finish_reason": None} for i, d in deltas.items() if d]

    def _restorer(self, choice: int, key: str, tool: int = -1) -> Restorer:
        slot = (choice, key, tool)
        known = self._restorers.get(slot)
        if known is not None:
            return known
        made = self._restorers[slot] = (
            self.answer.restorer(self.lookup)
            if key == "content"
            else Restorer(self.lookup, json_string_escape)
            if key == "arguments"
            else Restorer(self.lookup)
        )
        return made

    def _restore_chunk(self, chunk: dict[str, Any]) -> bool:
        changed = False
        for choice in chunk.get("choices") or []:
            delta = choice.get("delta") if isinstance(choice, dict) else None
            if not isinstance(delta, dict):
                continue
            index = choice.get("index", 0)
            for key in _TEXT_KEYS:
                text = delta.get(key)
                if isinstance(text, str):
                    out = self.restore_stream(self._restorer(index, key), f"{index}.{key}", text)
                    if out != text:
                        changed = True
                        delta[key] = out
            for call in delta.get("tool_calls") or []:
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                    tool = call.get("index", 0)
                    out = self.restore_stream(
                        self._restorer(index, "arguments", tool),
                        f"{index}.tool_calls.{tool}",
                        function["arguments"],
                    )
                    changed |= out != function["arguments"]
                    function["arguments"] = out
            if choice.get("finish_reason") is not None:
                changed |= self._flush_choice(index, delta)
        return changed

    def _flush_choice(self, index: int, delta: dict[str, Any]) -> bool:
        changed = False
        for (choice, key, tool), restorer in self._restorers.items():
            if choice != index:
                continue
            held = restorer.flush()
            if not held:
                continue
            changed = True
            if key == "arguments":
                delta.setdefault("tool_calls", []).append(
                    {"index": tool, "function": {"arguments": held}}
                )
            else:
                current = delta.get(key)
                delta[key] = current + held if isinstance(current, str) else held
        return changed
