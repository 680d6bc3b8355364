"""OpenAI Responses API: where the text is in requests, answers and stream events.

Requests follow the same rule as Chat Completions (`proxy.formats.openai_chat`): every field
is in a table (`RESPONSES_FIELDS`), type-checked, then scanned or passed, and anything else
(an unknown key, a value of another type) is refused (400 `unsupported_field`) rather than
forwarded unscanned. The decisions that are not obvious:

* `input` items: messages (any role, string or parts), assistant output messages sent back,
  `function_call` (arguments scanned value by value, still valid JSON), `function_call_output`
  (string or parts), `custom_tool_call` and its output, `reasoning` and `item_reference`.
  Other item types (hosted tool calls, MCP, compaction, …) carry text in shapes this module
  does not walk yet: refused, each with its reason in the table.
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
* Ids (`previous_response_id`, `conversation`, `prompt.id`, item ids, call ids) pass when
  they fit the id grammar, and configuration (`reasoning`, `include`, sampling) is
  type-checked and passes; function names follow the name rule (`proxy.formats.fields`).
* Tool definitions are scanned (descriptions, schemas, web-search locations, file-search
  filter values). Hosted tools whose configuration is known pass type-checked; MCP servers
  and connectors are refused: the provider would call a third party with the conversation,
  and their call and approval items are not walked. Secrets for a container's allowed
  domains are refused too: masking a secret would change it, and what is not scanned is not
  forwarded.

Answers are restored string by string (output text, refusals, reasoning summaries, echoed
`instructions`; `arguments` JSON-escaped). Output text is the answer: with `text.format`
json_schema or json_object it is JSON text and takes JSON-escaped values, and without, it does
when it is JSON (`proxy.restore`); in a stream, its deltas, `.done` text, parts, items and
`response` snapshots are all judged alike. Streams are restored event by event: each text
stream (one per item and content part) has its own `Restorer`, text it holds back is released
in a synthetic delta just before the event that closes the stream, and `sequence_number`s are
shifted so that they stay unique and increasing for the client.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from proxy.body import where
from proxy.errors import RefusedField
from proxy.formats.base import (
    PLAIN,
    AnswerText,
    Endpoint,
    EventRestorer,
    RestoreCount,
    Usage,
    compact_json,
    restore_json,
)
from proxy.formats.document import Document, JsonPath
from proxy.formats.fields import (
    BOOLEAN,
    COUNT,
    DOMAINS,
    FREE_JSON,
    ID,
    ID_LIST,
    JSON_SCHEMA,
    JSON_TEXT,
    NAME,
    PASSED,
    STRING,
    TEXT,
    Check,
    Fields,
    Scan,
    all_of,
    array,
    either,
    enum,
    grammar,
    integer,
    invalid,
    mapping,
    nullable,
    number,
    obj,
    refused,
    tagged,
    unscannable,
    unsupported,
    within,
)
from proxy.formats.openai_chat import (
    JSON_SCHEMA_FORMAT,
    METADATA,
    MODEL,
    MODERATION,
    PROMPT_CACHE_RETENTION,
    REASONING_EFFORT,
    SERVICE_TIER,
    USER_LOCATION,
    VERBOSITY,
    asks_for_json,
    openai_usage,
    request_texts,
)
from proxy.policy import Part, Policy, UnscannableKind
from proxy.restore import Lookup, Restorer, TextKind, restorer_for
from proxy.sse import SSEEvent

_TTL = grammar(r"[0-9]{1,4}[smhd]", "a duration such as 30m or 24h")
_BREAKPOINT = nullable(obj({"mode": enum("explicit"), "ttl": _TTL}))
_DETAIL = nullable(enum("low", "high", "auto", "original"))
_STATUS = nullable(enum("in_progress", "completed", "incomplete"))
_CALLER = nullable(tagged({"direct": {}, "program": {"caller_id": ID}}, "caller type"))


def _no_logprobs(scan: Scan, path: JsonPath, value: Any) -> None:
    """Output-text log probabilities sent back: their `bytes` spell tokens we cannot scan."""
    if value:
        raise RefusedField(
            f"'{where(path)}': log probabilities sent back as input cannot be scanned for "
            "personal data; drop them from the items you send back.",
            param=where(path),
        )
    if value is not None and not isinstance(value, list):
        raise invalid(path, "an array")


_ANNOTATION = tagged(
    {  # titles, URLs and file names are scanned; ids and offsets pass
        "file_citation": {"file_id": ID, "filename": TEXT, "index": COUNT},
        "url_citation": {"url": TEXT, "title": TEXT, "start_index": COUNT, "end_index": COUNT},
        "container_file_citation": {
            "container_id": ID,
            "file_id": ID,
            "filename": TEXT,
            "start_index": COUNT,
            "end_index": COUNT,
        },
        "file_path": {"file_id": ID, "index": COUNT},
    },
    "annotation type",
)
# The payload of content the policy allowed is not walked: only a file's name is text.
_PARTS: Mapping[str, Fields | Check] = {
    "input_text": {"text": TEXT, "prompt_cache_breakpoint": _BREAKPOINT},
    "output_text": {
        "text": TEXT,
        "annotations": nullable(array(_ANNOTATION)),
        "logprobs": _no_logprobs,
    },
    "refusal": {"refusal": TEXT},
    "input_image": all_of(
        unscannable(UnscannableKind.IMAGE, "input_image content"),
        obj(
            {
                "type": PASSED,
                "image_url": nullable(STRING),
                "file_id": nullable(ID),
                "detail": _DETAIL,
                "prompt_cache_breakpoint": _BREAKPOINT,
            }
        ),
    ),
    "input_file": all_of(
        unscannable(UnscannableKind.FILE, "input_file content"),
        obj(
            {
                "type": PASSED,
                "file_data": nullable(STRING),
                "file_id": nullable(ID),
                "file_url": nullable(STRING),
                "filename": nullable(TEXT),
                "detail": _DETAIL,
                "prompt_cache_breakpoint": _BREAKPOINT,
            }
        ),
    ),
    "input_audio": all_of(
        unscannable(UnscannableKind.AUDIO, "input_audio content"),
        obj({"type": PASSED, "input_audio": obj({"data": STRING, "format": enum("wav", "mp3")})}),
    ),
}
_PART = tagged(_PARTS, "content part type")
_CONTENT = either("a string or an array of content parts", string=TEXT, array=array(_PART))
_REASONING_PART = {"text": TEXT}


def _text_parts(kind: str) -> Check:
    return nullable(array(tagged({kind: _REASONING_PART}, f"{kind} part type")))


# Input items. Other types carry text in shapes not walked yet: refused, with the reason.
_ITEMS: Mapping[str, Fields] = {
    "message": {
        "id": nullable(ID),
        "role": enum("user", "system", "developer", "assistant"),
        "content": _CONTENT,
        "status": _STATUS,
        "phase": nullable(enum("commentary", "final_answer")),
    },
    "function_call": {
        "id": nullable(ID),
        "call_id": ID,
        "name": NAME,
        "namespace": nullable(NAME),
        "arguments": JSON_TEXT,
        "status": _STATUS,
        "caller": _CALLER,
        "async": BOOLEAN,
    },
    "function_call_output": {
        "id": nullable(ID),
        "call_id": nullable(ID),
        "name": nullable(NAME),
        "namespace": nullable(NAME),
        "output": _CONTENT,
        "status": _STATUS,
        "caller": _CALLER,
    },
    # Reasoning is model-produced, but what the app holds is what Voile restored: masked
    # like any assistant text. `encrypted_content` is the provider's own ciphertext.
    "reasoning": {
        "id": nullable(ID),
        "summary": _text_parts("summary_text"),
        "content": _text_parts("reasoning_text"),
        "encrypted_content": nullable(STRING),
        "status": _STATUS,
    },
    # Only an id: the provider resolves it to an item it already holds (masked).
    "item_reference": {"id": ID},
    "custom_tool_call": {
        "id": nullable(ID),
        "call_id": ID,
        "name": NAME,
        "namespace": nullable(NAME),
        "input": TEXT,
        "caller": _CALLER,
        "async": BOOLEAN,
    },
    "custom_tool_call_output": {
        "id": nullable(ID),
        "call_id": ID,
        "output": _CONTENT,
        "caller": _CALLER,
    },
}
_MCP = (
    "the provider would send the conversation to an MCP server or connector, a third "
    "party Voile cannot see."
)
_HOSTED_CALL = (
    "calls of hosted tools sent back as input carry text in shapes Voile does not "
    "walk yet; continue with previous_response_id or conversation instead."
)
_REFUSED_ITEMS: Mapping[str, Check] = {
    **dict.fromkeys(
        ("mcp_list_tools", "mcp_approval_request", "mcp_approval_response", "mcp_call"),
        refused(_MCP),
    ),
    **dict.fromkeys(
        (
            "file_search_call",
            "web_search_call",
            "computer_call",
            "computer_call_output",
            "image_generation_call",
            "code_interpreter_call",
            "local_shell_call",
            "local_shell_call_output",
            "shell_call",
            "shell_call_output",
            "apply_patch_call",
            "apply_patch_call_output",
            "tool_search_call",
            "tool_search_output",
            "program",
            "program_output",
        ),
        refused(_HOSTED_CALL),
    ),
    **dict.fromkeys(
        ("compaction", "compaction_trigger"),
        refused(
            "compaction items hold the provider's encrypted summary of a history; not walked yet."
        ),
    ),
    **dict.fromkeys(
        ("additional_tools", "configuration_update"),
        refused("changes of tools or configuration in the middle of the input are not walked yet."),
    ),
}
_ITEM_CHECKS = {kind: obj({"type": nullable(PASSED), **fields}) for kind, fields in _ITEMS.items()}
# The part of the request each item is in (a message's, by its role: `_ROLE_PARTS`).
_ITEM_PARTS = {
    "function_call": Part.TOOL_ARGUMENTS,
    "custom_tool_call": Part.TOOL_ARGUMENTS,
    "function_call_output": Part.TOOL_RESULTS,
    "custom_tool_call_output": Part.TOOL_RESULTS,
    "reasoning": Part.ASSISTANT,
}
_ROLE_PARTS = {
    "user": Part.USER,
    "system": Part.SYSTEM,
    "developer": Part.SYSTEM,
    "assistant": Part.ASSISTANT,
}


def _item(scan: Scan, path: JsonPath, item: Any) -> None:
    """An input item; messages and item references may omit their type (or send null)."""
    if not isinstance(item, dict):
        raise invalid(path, "an input item (an object)")
    kind = item.get("type")
    if kind is None:
        kind = (
            "message"
            if "role" in item
            else "item_reference"
            if "id" in item and set(item) <= {"id", "type"}
            else None
        )
    if isinstance(kind, str) and kind in _REFUSED_ITEMS:  # named by its type, as unknown ones
        _REFUSED_ITEMS[kind](scan, (*path, "type"), item)
    if not isinstance(kind, str) or kind not in _ITEM_CHECKS:
        raise unsupported((*path, "type"), f"input item type {kind!r} at")
    role = item.get("role") if kind == "message" else None
    part = _ROLE_PARTS.get(role, Part.OTHER) if isinstance(role, str) else _ITEM_PARTS.get(kind)
    within(part or Part.OTHER, _ITEM_CHECKS[kind])(scan, path, item)


_PROMPT_VARIABLE = either(
    "a string or an input content part",
    string=TEXT,
    obj=tagged(
        {kind: _PARTS[kind] for kind in ("input_text", "input_image", "input_file")},
        "content part type",
    ),
)
_USER_LOCATION = nullable(obj(USER_LOCATION))
_ALLOWED_CALLERS = nullable(array(enum("direct", "programmatic")))
_SKILLS = refused("skills (archives, local paths) cannot be scanned.")
_NETWORK_POLICY = tagged(
    {
        "disabled": {},
        "allowlist": {
            "allowed_domains": DOMAINS,
            "domain_secrets": refused(
                "secrets are not relayed: masking would change them, and Voile "
                "does not forward what it has not scanned."
            ),
        },
    },
    "network policy type",
)
_CONTAINER_AUTO: Fields = {
    "file_ids": ID_LIST,
    "memory_limit": nullable(enum("1g", "4g", "16g", "64g")),
    "network_policy": _NETWORK_POLICY,
    "skills": _SKILLS,
}
# Responses' custom tool format names its grammar's fields at the top level (Chat nests them).
_CUSTOM_FORMAT = tagged(
    {
        "text": {},
        "grammar": {"definition": TEXT, "syntax": enum("lark", "regex")},
    },
    "custom tool format",
)


def _filter(scan: Scan, path: JsonPath, value: Any) -> None:
    """A file-search filter: attribute comparisons (their values scanned), and/or nested."""
    _FILTER(scan, path, value)


_COMPARISON: Fields = {"key": TEXT, "value": FREE_JSON}
_FILTER = tagged(
    {
        **dict.fromkeys(("eq", "ne", "gt", "gte", "lt", "lte", "in", "nin"), _COMPARISON),
        "and": {"filters": array(_filter)},
        "or": {"filters": array(_filter)},
    },
    "filter type",
)
_FUNCTION: Fields = {
    "name": NAME,
    "description": nullable(TEXT),
    "parameters": nullable(JSON_SCHEMA),
    "strict": nullable(BOOLEAN),
    "allowed_callers": _ALLOWED_CALLERS,
    "defer_loading": BOOLEAN,
    "output_schema": nullable(JSON_SCHEMA),
    "async": BOOLEAN,
}
_CUSTOM: Fields = {
    "name": NAME,
    "description": TEXT,
    "format": _CUSTOM_FORMAT,
    "allowed_callers": _ALLOWED_CALLERS,
    "defer_loading": BOOLEAN,
    "async": BOOLEAN,
}
_WEB_SEARCH: Fields = {
    "external_web_access": BOOLEAN,
    "filters": nullable(obj({"allowed_domains": nullable(DOMAINS)})),
    "search_context_size": enum("low", "medium", "high"),
    "user_location": _USER_LOCATION,
}
_WEB_SEARCH_PREVIEW: Fields = {
    "search_content_types": array(enum("text", "image")),
    "search_context_size": enum("low", "medium", "high"),
    "user_location": _USER_LOCATION,
}
_IMAGE_GENERATION: Fields = {
    "action": enum("generate", "edit", "auto"),
    "background": enum("transparent", "opaque", "auto"),
    "complexity": enum("low", "medium", "high"),
    "frame_count": COUNT,
    "frame_duration_ms": COUNT,
    "input_fidelity": nullable(enum("high", "low")),
    "input_image_mask": all_of(
        unscannable(UnscannableKind.IMAGE, "an image mask"),
        obj({"file_id": ID, "image_url": STRING}),
    ),
    "model": MODEL,
    "moderation": enum("auto", "low"),
    "output_compression": COUNT,
    "output_format": enum("png", "webp", "jpeg", "gif", "svg"),
    "partial_images": COUNT,
    "quality": enum("low", "medium", "high", "xhigh", "max", "auto"),
    "size": grammar(r"auto|[0-9]{1,5}x[0-9]{1,5}", "auto or WIDTHxHEIGHT"),
    "svg": obj({"model": MODEL, "reasoning": nullable(obj({"effort": REASONING_EFFORT}))}),
}
# Hosted tools whose configuration is known. MCP servers and connectors are refused: the
# provider would call a third party with the conversation, and their approval and call items
# are not walked. Shell skills (zip archives, local paths) are refused: they cannot be scanned.
_TOOLS: Mapping[str, Fields | Check] = {
    "function": _FUNCTION,
    "custom": _CUSTOM,
    "namespace": {
        "name": NAME,
        "description": TEXT,
        "tools": array(tagged({"function": _FUNCTION, "custom": _CUSTOM}, "namespace tool type")),
    },
    "tool_search": {
        "description": nullable(TEXT),
        "execution": enum("server", "client"),
        "parameters": nullable(JSON_SCHEMA),
    },
    "file_search": {
        "vector_store_ids": ID_LIST,
        "filters": nullable(_filter),
        "max_num_results": COUNT,
        "ranking_options": obj(
            {
                "hybrid_search": obj({"embedding_weight": number(), "text_weight": number()}),
                "ranker": enum("auto", "default-2024-11-15"),
                "score_threshold": number(),
            }
        ),
    },
    **dict.fromkeys(("web_search", "web_search_2025_08_26"), _WEB_SEARCH),
    **dict.fromkeys(("web_search_preview", "web_search_preview_2025_03_11"), _WEB_SEARCH_PREVIEW),
    "computer": {},
    "computer_use_preview": {
        "display_height": COUNT,
        "display_width": COUNT,
        "environment": enum("windows", "mac", "linux", "ubuntu", "browser"),
    },
    "code_interpreter": {
        "container": either(
            "a container id or {type: auto}",
            string=ID,
            obj=tagged({"auto": _CONTAINER_AUTO}, "container type"),
        ),
        "allowed_callers": _ALLOWED_CALLERS,
    },
    "image_generation": _IMAGE_GENERATION,
    "shell": {
        "allowed_callers": _ALLOWED_CALLERS,
        "environment": nullable(
            tagged(
                {
                    "container_auto": _CONTAINER_AUTO,
                    "local": {"skills": _SKILLS},
                    "container_reference": {"container_id": ID},
                },
                "shell environment type",
            )
        ),
    },
    "local_shell": {},
    "apply_patch": {"allowed_callers": _ALLOWED_CALLERS},
    "programmatic_tool_calling": {},
    "mcp": refused(_MCP),
}
_HOSTED = (
    "file_search",
    "web_search_preview",
    "computer",
    "computer_use_preview",
    "computer_use",
    "web_search_preview_2025_03_11",
    "image_generation",
    "code_interpreter",
    "programmatic_tool_calling",
    "apply_patch",
    "shell",
)
_TOOL_REFERENCES: Mapping[str, Fields] = {
    "function": {"name": NAME},
    "custom": {"name": NAME},
    **{kind: {} for kind in _HOSTED},
}
_TOOL_CHOICE = either(
    "'none', 'auto', 'required' or a tool choice object",
    string=enum("none", "auto", "required"),
    obj=tagged(
        {
            **_TOOL_REFERENCES,
            "allowed_tools": {
                "mode": enum("auto", "required"),
                "tools": array(tagged(_TOOL_REFERENCES, "tool type")),
            },
            "mcp": refused(_MCP),
        },
        "tool choice type",
    ),
)
_FORMAT = tagged(
    {"text": {}, "json_object": {}, "json_schema": JSON_SCHEMA_FORMAT}, "text format type"
)

RESPONSES_FIELDS: Fields = {
    "model": MODEL,
    "input": either(
        "a string or an array of input items", string=within(Part.USER, TEXT), array=array(_item)
    ),
    "instructions": within(Part.SYSTEM, nullable(TEXT)),
    # Free strings apps fill with user ids, often e-mail addresses: scanned. The token of a
    # value is stable per app, so they still identify the same end user or cache bucket.
    "user": TEXT,
    "safety_identifier": nullable(TEXT),
    "prompt_cache_key": nullable(TEXT),
    "background_options": obj(
        {"completion_window": enum("soonest", "2h", "8h"), "continuation_id": TEXT}
    ),
    "metadata": METADATA,
    # A stored prompt template: its id and version pass, its variables are scanned.
    "prompt": nullable(
        obj(
            {
                "id": ID,
                "version": nullable(ID),
                "variables": nullable(mapping(_PROMPT_VARIABLE, keys=r"[A-Za-z0-9_.-]{1,128}")),
            }
        )
    ),
    "access_programs": obj({"cyber": enum("standard", "daybreak_blue", "daybreak_red")}),
    "background": nullable(BOOLEAN),
    "context_management": nullable(
        array(
            obj(
                {
                    "type": grammar(r"[a-z_]{1,64}", "a context management type"),
                    "compact_threshold": nullable(COUNT),
                }
            )
        )
    ),
    "conversation": nullable(either("a conversation id or {id}", string=ID, obj=obj({"id": ID}))),
    "image": obj({"context_compression": enum("auto", "enabled", "disabled")}),
    "include": nullable(
        array(
            grammar(
                r"[a-z_]{1,64}(\.[a-z_]{1,64}){0,4}",
                "an includable such as message.output_text.logprobs",
            )
        )
    ),
    "max_output_tokens": nullable(COUNT),
    "max_tool_calls": nullable(COUNT),
    "moderation": MODERATION,
    "parallel_tool_calls": nullable(BOOLEAN),
    "previous_response_id": nullable(ID),
    "prompt_cache_options": obj(
        {
            "comparison_response_id": nullable(ID),
            "mode": enum("implicit", "explicit"),
            "prewarm": BOOLEAN,
            "ttl": _TTL,
        }
    ),
    "prompt_cache_retention": PROMPT_CACHE_RETENTION,
    "reasoning": nullable(
        obj(
            {
                "context": nullable(enum("auto", "current_turn", "all_turns")),
                "effort": REASONING_EFFORT,
                "generate_summary": nullable(enum("auto", "concise", "detailed")),
                "mode": grammar(r"[a-z_]{1,32}", "a reasoning mode such as standard or pro"),
                "summary": nullable(enum("auto", "concise", "detailed")),
            }
        )
    ),
    "service_tier": SERVICE_TIER,
    "store": nullable(BOOLEAN),
    "stream": nullable(BOOLEAN),
    "stream_options": nullable(obj({"include_obfuscation": BOOLEAN})),
    "temperature": nullable(number(0, 2)),
    "text": obj({"format": within(Part.TOOL_DEFINITIONS, _FORMAT), "verbosity": VERBOSITY}),
    "tool_choice": _TOOL_CHOICE,
    "tools": within(Part.TOOL_DEFINITIONS, array(tagged(_TOOLS, "tool type"))),
    "top_logprobs": nullable(integer(0, 20)),
    "top_p": nullable(number(0, 1)),
    "truncation": nullable(enum("auto", "disabled")),
}


def responses_request_texts(body: dict[str, Any], policy: Policy) -> Document:
    """Every text of a Responses API request, or an error naming the first field it refuses."""
    return request_texts(body, policy, RESPONSES_FIELDS)


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


# Where a Response holds its answer text: output text parts (in output items, content part
# events and `response` snapshots), and the whole text its `.done` event repeats.
_OUTPUT_TEXT = frozenset({"output_text", "response.output_text.done"})


def _output_text(part: Mapping[str, Any]) -> str | None:
    return "text" if part.get("type") in _OUTPUT_TEXT else None


class Responses(Endpoint):
    name = "responses"
    json_keys = frozenset({"arguments"})
    answer = AnswerText(key_of=_output_text)

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return responses_request_texts(body, policy)

    def answer_kind(self, body: dict[str, Any]) -> TextKind:
        text = body.get("text")
        text_format = text.get("format") if isinstance(text, dict) else None
        return TextKind.JSON if asks_for_json(text_format) else TextKind.SNIFF

    def usage(self, body: Any) -> Usage:
        return openai_usage(body)

    def stream_restorer(self, lookup: Lookup) -> EventRestorer:
        return ResponsesStreamRestorer(lookup, self.answer.in_stream())

    def conversation_refs(self, body: dict[str, Any]) -> tuple[str, ...]:
        refs = (_id_of(body.get("previous_response_id")), _id_of(body.get("conversation")))
        return tuple(ref for ref in refs if ref is not None)

    def answer_refs(self, payload: Any) -> tuple[str, ...]:
        return response_refs(payload)


@dataclass(frozen=True)
class TextStream:
    """One kind of streamed text: fragments come in `delta` events (in their `delta` field),
    the whole text in the `done` event. `index` tells the parts of one item apart. `kind` is
    the kind of text (`proxy.restore.TextKind`); None for the answer text, whose kind the
    request decides."""

    delta: str
    done: str
    index: str | None = None
    kind: TextKind | None = TextKind.PLAIN


TEXT_STREAMS = (
    TextStream(
        "response.output_text.delta", "response.output_text.done", "content_index", kind=None
    ),
    TextStream("response.refusal.delta", "response.refusal.done", "content_index"),
    TextStream("response.reasoning_text.delta", "response.reasoning_text.done", "content_index"),
    TextStream(
        "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done",
        "summary_index",
    ),
    TextStream(
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        kind=TextKind.JSON,
    ),
    TextStream(
        "response.mcp_call_arguments.delta", "response.mcp_call_arguments.done", kind=TextKind.JSON
    ),
    TextStream("response.custom_tool_call_input.delta", "response.custom_tool_call_input.done"),
    TextStream(
        "response.code_interpreter_call_code.delta", "response.code_interpreter_call_code.done"
    ),
    TextStream(
        "response.shell_call_command.delta", "response.shell_call_command.done", "command_index"
    ),
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
_LIFECYCLE = frozenset(
    {
        "response.created",
        "response.queued",
        "response.in_progress",
        "response.completed",
        "response.incomplete",
        "response.failed",
    }
)
_TERMINAL = frozenset({"response.completed", "response.incomplete", "response.failed"})


@dataclass
class _Slot:
    """One text stream in flight: its restorer and the fields naming it in its events."""

    stream: TextStream
    key: tuple[Any, ...]
    names: dict[str, Any]
    restorer: Restorer


def _slot_key(stream: TextStream, event: dict[str, Any]) -> tuple[Any, ...]:
    return (
        stream.delta,
        event.get("item_id"),
        event.get("output_index"),
        event.get(stream.index) if stream.index else None,
    )


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

    done_marker = True  # `[DONE]`: not OpenAI's, but some compatible servers'

    def __init__(self, lookup: Lookup, answer: AnswerText = PLAIN) -> None:
        super().__init__(lookup)
        self.answer = answer  # the kind of the output text, in deltas and whole texts alike
        self._slots: dict[tuple[Any, ...], _Slot] = {}
        self._offset = 0  # synthetic events sent so far: added to upstream sequence numbers
        self._last_sequence: int | None = None
        self._named = False  # the provider names its events (`event:` lines)
        self._streamed = RestoreCount()
        self._snapshot: RestoreCount | None = None
        self._errors = RestoreCount()

    def on_event(self, event: SSEEvent, payload: dict[str, Any]) -> list[SSEEvent]:
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
            SSEEvent(event=event.event, id=event.id, data=compact_json(payload))
            if changed
            else event
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
            return [
                slot
                for slot in self._slots.values()
                if slot.stream.index == index and slot.key[1:] == (*where, event.get(index))
            ]
        if kind == _ITEM_DONE:
            return [
                slot for slot in self._slots.values() if slot.key[2] == event.get("output_index")
            ]
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
        return [
            SSEEvent(event=slot.stream.delta if self._named else None, data=compact_json(payload))
        ]

    def _restore(self, kind: Any, event: dict[str, Any]) -> bool:
        """Restore `event` in place; True if it changed."""
        stream = _BY_DELTA.get(kind) if isinstance(kind, str) else None
        if stream is not None and isinstance(event.get("delta"), str):
            return self._restore_delta(stream, event)
        count = RestoreCount()
        restored = restore_json(event, self.lookup, count, Responses.json_keys, answer=self.answer)
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
            kind = self.answer.kind if stream.kind is None else stream.kind
            slot = _Slot(stream, key, names, restorer_for(self.lookup, kind))
            self._slots[key] = slot
        fragment: str = event["delta"]
        family = stream.delta.removeprefix("response.").removesuffix(".delta")
        name = ".".join(str(part) for part in (key[2], family, key[3]) if part is not None)
        out = self.restore_stream(slot.restorer, name, fragment, self._streamed)
        self._recount()
        event["delta"] = out
        return out != fragment

    def _recount(self) -> None:
        base = self._snapshot if self._snapshot is not None else self._streamed
        self.count = RestoreCount(
            base.restored + self._errors.restored, base.unresolved + self._errors.unresolved
        )
