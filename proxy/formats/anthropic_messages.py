"""Anthropic Messages: where the text is in requests, answers and stream events.

Requests are checked against the fields and content block types of the Messages API (as the
official SDK declares them, request and answer shapes both, since apps send answers back as
history). A field or block type we do not know may carry text we would not scan, so it is
refused (400 `unsupported_field`) instead of forwarded. Fields known to hold no free text of
the user's (sampling parameters, tool *definitions*, ids, cache settings) pass unchanged.

Three decisions worth knowing:

* **Thinking blocks** (`thinking`, `redacted_thinking`) are the model's own words about the
  masked conversation, protected by a signature that Anthropic checks when they are sent back.
  Editing one byte invalidates it, so they are neither restored in answers (the app sees the
  placeholders the model saw) nor scanned in requests (they go back byte-identical). They are
  accepted in assistant turns only. The price: a client that forges one sends text Voile did
  not scan (Anthropic then rejects the bad signature, but the text has left).
* **Documents** are text when their source is `text` (plain text) or `content` (text blocks):
  scanned like any text. PDF sources (base64, URL, file id) cannot be scanned: refused unless
  the policy allows `file`. Titles and contexts are scanned either way.
* **Citations** quote the cited document (`cited_text`). Answers are restored, so an app sends
  the quote back in clear with its history: it is scanned, like the titles and URLs next to it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from proxy.errors import BadRequest, UnscannableContent, UnsupportedField, UpstreamProtocolError
from proxy.formats.base import (
    MAX_END_USER_ID,
    Endpoint,
    EventRestorer,
    RestoreCount,
    Usage,
    restore_json,
)
from proxy.formats.document import Document, JsonPath
from proxy.policy import Policy, UnscannableKind
from proxy.restore import Lookup, Restorer, identity, json_string_escape
from proxy.sse import SSEEvent

# ----------------------------------------------------------------------------- requests

# Top-level fields that carry no free text of the user's and pass unchanged. `temperature`,
# `top_k` and `top_p` are gone from the newest SDK but still accepted by older models.
_PASSTHROUGH = frozenset({
    "model", "max_tokens", "stream", "temperature", "top_k", "top_p", "tools", "tool_choice",
    "thinking", "service_tier", "cache_control", "container", "diagnostics", "inference_geo",
    "output_config", "speed", "user_profile_id", "workspace_id",
})
# Top-level fields whose strings are scanned. A stop sequence is the app's own text (and,
# masked, still matches what the model writes, since the model writes placeholders).
_SCANNED = frozenset({"messages", "system", "metadata", "stop_sequences"})
# `POST /v1/messages/count_tokens` takes a subset (no max_tokens, metadata, stream…).
_COUNT_PASSTHROUGH = frozenset({
    "model", "tools", "tool_choice", "thinking", "cache_control", "output_config", "speed",
    "user_profile_id", "workspace_id",
})
_COUNT_SCANNED = frozenset({"messages", "system"})

_ROLES = frozenset({"user", "assistant", "system"})
# Signature-protected model output: accepted unchanged, in assistant turns only.
_THINKING = frozenset({"thinking", "redacted_thinking"})

# A leaf object's shape by its `type`: (keys whose strings are scanned, keys passed unchanged).
Shape = tuple[tuple[str, ...], tuple[str, ...]]

_CITATIONS: dict[str | None, Shape] = {
    "char_location": (("cited_text", "document_title"),
                      ("document_index", "start_char_index", "end_char_index", "file_id")),
    "page_location": (("cited_text", "document_title"),
                      ("document_index", "start_page_number", "end_page_number", "file_id")),
    "content_block_location": (("cited_text", "document_title"),
                               ("document_index", "start_block_index", "end_block_index",
                                "file_id")),
    "web_search_result_location": (("cited_text", "title", "url"), ("encrypted_index",)),
    "search_result_location": (("cited_text", "title", "source"),
                               ("search_result_index", "start_block_index", "end_block_index")),
}
_WEB_SEARCH_RESULTS: dict[str | None, Shape] = {
    "web_search_result": (("title", "url"), ("encrypted_content", "page_age")),
}
# Results of the provider's own (server) tools, sent back as history. Output files are ids;
# encrypted output is opaque to everyone but the provider.
_SERVER_TOOL_RESULTS: dict[str, dict[str | None, Shape]] = {
    "web_search_tool_result": {
        "web_search_tool_result_error": ((), ("error_code",)),
    },
    "code_execution_tool_result": {
        "code_execution_result": (("stdout", "stderr"), ("return_code", "content")),
        "encrypted_code_execution_result": (
            ("stderr",), ("encrypted_stdout", "return_code", "content")),
        "code_execution_tool_result_error": ((), ("error_code",)),
    },
    "bash_code_execution_tool_result": {
        "bash_code_execution_result": (("stdout", "stderr"), ("return_code", "content")),
        "bash_code_execution_tool_result_error": ((), ("error_code",)),
    },
    "text_editor_code_execution_tool_result": {
        "text_editor_code_execution_view_result": (
            ("content",), ("file_type", "num_lines", "start_line", "total_lines")),
        "text_editor_code_execution_create_result": ((), ("is_file_update",)),
        "text_editor_code_execution_str_replace_result": (
            ("lines",), ("new_lines", "new_start", "old_lines", "old_start")),
        "text_editor_code_execution_tool_result_error": (("error_message",), ("error_code",)),
    },
    "tool_search_tool_result": {
        "tool_search_tool_search_result": ((), ("tool_references",)),
        "tool_search_tool_result_error": (("error_message",), ("error_code",)),
    },
    "web_fetch_tool_result": {
        "web_fetch_tool_result_error": ((), ("error_code",)),
    },
}
_BROWSER_TABS: dict[str | None, Shape] = {None: (("title", "url"), ("tab_id", "active"))}
_BROWSER_CHANGES: dict[str | None, Shape] = {
    "tab_opened": ((), ("tab_id",)),
    "download_started": (("url",), ("download_id",)),
    "download_completed": (("url", "path"), ("download_id", "size_bytes")),
    "download_failed": (("url", "error"), ("download_id",)),
}
# The keys whose text is a list of strings.
_LINES = frozenset({"stop_sequences", "lines"})
_SERVER_TOOL_RESULT_KEYS = frozenset({"content", "tool_use_id", "cache_control", "caller"})


def _where(path: JsonPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _unknown(path: JsonPath, what: str = "field") -> UnsupportedField:
    return UnsupportedField(
        f"Unsupported {what} '{_where(path)}': Voile cannot tell whether it carries personal "
        "data, so it does not forward it.",
        param=_where(path),
    )


def _only(value: Mapping[str, Any], path: JsonPath, allowed: Iterable[str]) -> None:
    extra = set(value) - {"type", *allowed}
    if extra:
        raise _unknown((*path, sorted(extra)[0]))


def _text(doc: Document, value: Mapping[str, Any], path: JsonPath, key: str) -> None:
    """Scan `value[key]`: a string (a list of strings for the keys that hold lines), or
    absent/null. Anything else could hide text in a shape we do not walk: refused."""
    item = value.get(key)
    if item is None:
        return
    if isinstance(item, str):
        doc.add_text((*path, key), item)
    elif key in _LINES and isinstance(item, list) and all(isinstance(s, str) for s in item):
        for index, text in enumerate(item):
            doc.add_text((*path, key, index), text)
    else:
        raise _unknown((*path, key), "value of")


def _leaf(
    doc: Document, path: JsonPath, value: Any, shapes: Mapping[str | None, Shape], what: str
) -> None:
    """An object whose `type` says which of its keys are scanned and which pass."""
    kind = value.get("type") if isinstance(value, dict) else None
    shape = shapes.get(kind) if isinstance(value, dict) else None
    if shape is None or not isinstance(value, dict):
        raise _unknown(path, f"{what} {kind!r} at" if kind else what)
    scanned, passed = shape
    _only(value, path, (*scanned, *passed))
    for key in scanned:
        _text(doc, value, path, key)


def _leaves(
    doc: Document, path: JsonPath, value: Any, shapes: Mapping[str | None, Shape], what: str
) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        raise _unknown(path, what)
    for index, item in enumerate(value):
        _leaf(doc, (*path, index), item, shapes, what)


def _refuse_unless_allowed(
    policy: Policy, kind: UnscannableKind, path: JsonPath, what: str
) -> None:
    if not policy.allows_unscannable(kind):
        raise UnscannableContent(
            f"'{_where(path)}' is {what}, which Voile cannot scan for personal data; policy "
            f"'{policy.name}' does not allow {kind.value} content.",
            param=_where(path),
        )


# A content block handler: the document, the block's path, the block (a dict), the policy.
BlockHandler = Callable[[Document, JsonPath, dict[str, Any], Policy], None]


def _text_block(doc: Document, path: JsonPath, block: dict[str, Any], policy: Policy) -> None:
    _only(block, path, ("text", "cache_control", "citations"))
    if not isinstance(block.get("text"), str):
        raise _unknown((*path, "text"), "value of")
    doc.add_text((*path, "text"), block["text"])
    _leaves(doc, (*path, "citations"), block.get("citations"), _CITATIONS, "citation")


def _image_block(doc: Document, path: JsonPath, block: dict[str, Any], policy: Policy) -> None:
    _only(block, path, ("source", "cache_control", "transformations"))
    _refuse_unless_allowed(policy, UnscannableKind.IMAGE, path, "image content")


def _document_block(
    doc: Document, path: JsonPath, block: dict[str, Any], policy: Policy
) -> None:
    _only(block, path, ("source", "cache_control", "citations", "context", "title"))
    _text(doc, block, path, "title")
    _text(doc, block, path, "context")
    source = block.get("source")
    source_path = (*path, "source")
    kind = source.get("type") if isinstance(source, dict) else None
    if not isinstance(source, dict):
        raise _unknown(source_path, "document source")
    if kind == "text":  # plain text: text like any other
        _only(source, source_path, ("data", "media_type"))
        _text(doc, source, source_path, "data")
    elif kind == "content":  # text (and image) blocks
        _only(source, source_path, ("content",))
        _content(doc, (*source_path, "content"), source.get("content"), policy,
                 _DOCUMENT_CONTENT_BLOCKS)
    elif kind in ("base64", "url", "file"):  # a PDF, or a file held by the provider
        _only(source, source_path, ("data", "media_type", "url", "file_id"))
        _refuse_unless_allowed(policy, UnscannableKind.FILE, path, "a PDF or file document")
    else:
        raise _unknown(source_path, f"document source type {kind!r} at")


def _search_result_block(
    doc: Document, path: JsonPath, block: dict[str, Any], policy: Policy
) -> None:
    _only(block, path, ("content", "source", "title", "cache_control", "citations"))
    _text(doc, block, path, "source")
    _text(doc, block, path, "title")
    content = block.get("content")
    if not isinstance(content, list):
        raise _unknown((*path, "content"), "search result content")
    _content(doc, (*path, "content"), content, policy, {"text": _text_block})


def _tool_use_block(doc: Document, path: JsonPath, block: dict[str, Any], policy: Policy) -> None:
    """A call the model made: `input` is a JSON object of any depth, every string scanned."""
    _only(block, path, ("id", "input", "name", "cache_control", "caller", "toolset_name"))
    doc.add_strings((*path, "input"), block.get("input"))


def _tool_result_block(
    doc: Document, path: JsonPath, block: dict[str, Any], policy: Policy
) -> None:
    _only(block, path, ("tool_use_id", "content", "is_error", "cache_control", "toolset_name"))
    _content(doc, (*path, "content"), block.get("content"), policy, _TOOL_RESULT_BLOCKS)


def _tool_reference_block(
    doc: Document, path: JsonPath, block: dict[str, Any], policy: Policy
) -> None:
    _only(block, path, ("tool_name", "cache_control"))  # names a tool definition


def _browser_state_block(
    doc: Document, path: JsonPath, block: dict[str, Any], policy: Policy
) -> None:
    _only(block, path, ("tabs", "state_changes", "cache_control"))
    _leaves(doc, (*path, "tabs"), block.get("tabs"), _BROWSER_TABS, "browser tab")
    _leaves(doc, (*path, "state_changes"), block.get("state_changes"), _BROWSER_CHANGES,
            "browser state change")


def _thinking_block(doc: Document, path: JsonPath, block: dict[str, Any], policy: Policy) -> None:
    _only(block, path, ("thinking", "signature"))  # passed byte-identical


def _redacted_thinking_block(
    doc: Document, path: JsonPath, block: dict[str, Any], policy: Policy
) -> None:
    _only(block, path, ("data",))  # encrypted by the provider; passed byte-identical


def _server_tool_result_block(
    doc: Document, path: JsonPath, block: dict[str, Any], policy: Policy
) -> None:
    _only(block, path, _SERVER_TOOL_RESULT_KEYS)
    kind = block["type"]
    content, content_path = block.get("content"), (*path, "content")
    if kind == "web_search_tool_result" and isinstance(content, list):
        _leaves(doc, content_path, content, _WEB_SEARCH_RESULTS, "web search result")
    elif (kind == "web_fetch_tool_result" and isinstance(content, dict)
          and content.get("type") == "web_fetch_result"):
        _only(content, content_path, ("content", "url", "retrieved_at"))
        _text(doc, content, content_path, "url")
        fetched = content.get("content")
        if not isinstance(fetched, dict) or fetched.get("type") != "document":
            raise _unknown((*content_path, "content"), "fetched content")
        _document_block(doc, (*content_path, "content"), fetched, policy)
    else:
        _leaf(doc, content_path, content, _SERVER_TOOL_RESULTS[kind], f"{kind} content")


def _container_upload_block(
    doc: Document, path: JsonPath, block: dict[str, Any], policy: Policy
) -> None:
    _only(block, path, ("file_id", "cache_control"))
    _refuse_unless_allowed(policy, UnscannableKind.FILE, path, "a file")


_DOCUMENT_CONTENT_BLOCKS: dict[str, BlockHandler] = {"text": _text_block, "image": _image_block}
_TOOL_RESULT_BLOCKS: dict[str, BlockHandler] = {
    "text": _text_block,
    "image": _image_block,
    "document": _document_block,
    "search_result": _search_result_block,
    "tool_reference": _tool_reference_block,
    "browser_state": _browser_state_block,
}
_MESSAGE_BLOCKS: dict[str, BlockHandler] = {
    "text": _text_block,
    "image": _image_block,
    "document": _document_block,
    "search_result": _search_result_block,
    "tool_use": _tool_use_block,
    "server_tool_use": _tool_use_block,
    "tool_result": _tool_result_block,
    "container_upload": _container_upload_block,
    **dict.fromkeys(_SERVER_TOOL_RESULTS, _server_tool_result_block),
}
_ASSISTANT_BLOCKS: dict[str, BlockHandler] = {
    **_MESSAGE_BLOCKS, "thinking": _thinking_block, "redacted_thinking": _redacted_thinking_block,
}
_SYSTEM_BLOCKS: dict[str, BlockHandler] = {"text": _text_block}
_BLOCKS_BY_ROLE = {"user": _MESSAGE_BLOCKS, "assistant": _ASSISTANT_BLOCKS,
                   "system": _SYSTEM_BLOCKS}


def _content(
    doc: Document, path: JsonPath, value: Any, policy: Policy,
    blocks: Mapping[str, BlockHandler],
) -> None:
    """Content: a string (shorthand for one text block), null, or an array of blocks."""
    if value is None:
        return
    if isinstance(value, str):
        doc.add_text(path, value)
        return
    if not isinstance(value, list):
        raise _unknown(path, "content type")
    for index, block in enumerate(value):
        block_path = (*path, index)
        kind = block.get("type") if isinstance(block, dict) else None
        handler = blocks.get(kind) if isinstance(kind, str) else None
        if handler is None or not isinstance(block, dict):
            raise _unknown(block_path, f"content block type {kind!r} at")
        handler(doc, block_path, block, policy)


def _message(doc: Document, index: int, message: Any, policy: Policy) -> None:
    path: JsonPath = ("messages", index)
    if not isinstance(message, dict):
        raise _unknown(path, "message")
    role = message.get("role")
    if role not in _ROLES:
        raise _unknown((*path, "role"), f"message role {role!r} at")
    _only(message, path, ("role", "content"))
    _content(doc, (*path, "content"), message.get("content"), policy, _BLOCKS_BY_ROLE[role])


def messages_request_texts(
    body: dict[str, Any], policy: Policy, *,
    passthrough: frozenset[str] = _PASSTHROUGH, scanned: frozenset[str] = _SCANNED,
) -> Document:
    """Every text of a Messages (or count_tokens) request, or an error naming the first
    field it refuses."""
    extra = set(body) - passthrough - scanned
    if extra:
        raise _unknown((sorted(extra)[0],))
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise BadRequest("'messages' must be a non-empty array", param="messages")
    doc = Document(body)
    _content(doc, ("system",), body.get("system"), policy, _SYSTEM_BLOCKS)
    for index, message in enumerate(messages):
        _message(doc, index, message, policy)
    metadata = body.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise _unknown(("metadata",), "value of")
        doc.add_strings(("metadata",), metadata)  # `user_id` is often an e-mail address
    if "stop_sequences" in scanned:
        _text(doc, body, (), "stop_sequences")
    return doc


# ------------------------------------------------------------------------------ answers


def messages_usage(body: Any) -> Usage:
    usage = body.get("usage") if isinstance(body, dict) else None
    if not isinstance(usage, dict):
        return Usage()
    prompt, completion = usage.get("input_tokens"), usage.get("output_tokens")
    return Usage(
        prompt if isinstance(prompt, int) else None,
        completion if isinstance(completion, int) else None,
    )


def restore_block(block: Any, lookup: Lookup, count: RestoreCount) -> Any:
    """One content block of an answer. Thinking stays as the model wrote it (signed); tool
    `input` is a parsed object, so its strings take values as they are."""
    if isinstance(block, dict) and block.get("type") in _THINKING:
        return block
    return restore_json(block, lookup, count)


def restore_message(body: Any, lookup: Lookup, count: RestoreCount) -> Any:
    """A whole answer (a `message`) or a provider error, which may quote the prompt."""
    if not (isinstance(body, dict) and isinstance(body.get("content"), list)):
        return restore_json(body, lookup, count)
    restored = {k: restore_json(v, lookup, count) for k, v in body.items() if k != "content"}
    restored["content"] = [restore_block(block, lookup, count) for block in body["content"]]
    return {key: restored[key] for key in body}  # the provider's key order


class Messages(Endpoint):
    name = "messages"

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return messages_request_texts(body, policy)

    def restore(self, body: Any, lookup: Lookup, count: RestoreCount) -> Any:
        return restore_message(body, lookup, count)

    def usage(self, body: Any) -> Usage:
        return messages_usage(body)

    def stream_restorer(self, lookup: Lookup) -> EventRestorer:
        return MessagesStreamRestorer(lookup)

    def end_user(
        self, body: dict[str, Any], headers: Mapping[str, str], header: str
    ) -> str | None:
        """Anthropic's end-user id is `metadata.user_id` (masked before forwarding; read here
        first, for the audit trail's per-user keys and erasure)."""
        metadata = body.get("metadata")
        user_id = metadata.get("user_id") if isinstance(metadata, dict) else None
        value = headers.get(header) or (user_id if isinstance(user_id, str) else None)
        return value if value and len(value) <= MAX_END_USER_ID else None


class CountTokens(Endpoint):
    """`{"input_tokens": N}` holds nothing to restore (errors still are) and never streams.
    The count is not usage: nothing was generated, so no tokens are recorded."""

    name = "messages.count_tokens"

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return messages_request_texts(body, policy, passthrough=_COUNT_PASSTHROUGH,
                                      scanned=_COUNT_SCANNED)

    def wants_stream(self, body: dict[str, Any]) -> bool:
        return False

    def usage(self, body: Any) -> Usage:
        return Usage()


# ------------------------------------------------------------------------------ streams

# Incremental text per content block: delta type -> (its text key, the escape restored values
# take there). `partial_json` is JSON text cut anywhere: a value lands inside a string literal.
_STREAMED: dict[str, tuple[str, Callable[[str], str]]] = {
    "text_delta": ("text", identity),
    "input_json_delta": ("partial_json", json_string_escape),
}


class MessagesStreamRestorer(EventRestorer):
    """Restores a Messages stream event by event, one Restorer per content block index (and
    delta kind).

    Held-back text of a block is released in a synthetic `content_block_delta` of the same
    kind just before the block's `content_block_stop` (or before `message_stop`, or at the end
    of the stream, if the provider never stopped the block). Events that need no change are
    passed as received; changed ones are re-encoded compactly, as Anthropic writes them.
    """

    def __init__(self, lookup: Lookup) -> None:
        super().__init__(lookup)
        self._restorers: dict[tuple[int, str], Restorer] = {}
        # Each handler restores its event's payload in place and says whether it changed.
        self._handlers: dict[str, Callable[[dict[str, Any]], bool]] = {
            "message_start": self._message_start,
            "content_block_start": self._block_start,
            "content_block_delta": self._block_delta,
            "message_delta": self._message_delta,
            "error": self._error,
        }

    def feed(self, event: SSEEvent) -> list[SSEEvent]:
        payload = _payload(event)
        kind = payload.get("type") if payload is not None else None
        if payload is None or not isinstance(kind, str):
            return [event]
        # Held text goes out before its block, the message or the stream is closed.
        held = (self._release(payload.get("index")) if kind == "content_block_stop"
                else self.finish() if kind in ("message_stop", "error") else [])
        handler = self._handlers.get(kind)
        if handler is not None and handler(payload):  # else: ping, events to come, no change
            event = SSEEvent(event=event.event, id=event.id, data=_compact(payload))
        return [*held, event]

    def finish(self) -> list[SSEEvent]:
        return [out for index, _ in list(self._restorers) for out in self._release(index)]

    def _message_start(self, payload: dict[str, Any]) -> bool:
        message = payload.get("message")
        if not isinstance(message, dict):
            return False
        self._take_usage(message.get("usage"))
        restored = restore_message(message, self.lookup, self.count)
        payload["message"] = restored
        return bool(restored != message)

    def _block_start(self, payload: dict[str, Any]) -> bool:
        index, block = payload.get("index"), payload.get("content_block")
        if not isinstance(index, int) or not isinstance(block, dict):
            return False
        kind = block.get("type")
        if kind in _THINKING:
            self.transcript.add(f"{index}.thinking", block.get("thinking"))
            return False
        changed = False
        if kind == "text" and isinstance(block.get("text"), str):
            # Odd but valid: a text block may start with text, which later deltas continue.
            out = self._feed(index, "text_delta", block["text"])
            changed, block["text"] = out != block["text"], out
        rest = {k: v for k, v in block.items() if not (kind == "text" and k == "text")}
        # Complete values (tool `input`, usually {}; server tool results): restored whole.
        restored = restore_json(rest, self.lookup, self.count)
        if restored != rest:
            block.update(restored)
            changed = True
        return changed

    def _block_delta(self, payload: dict[str, Any]) -> bool:
        index, delta = payload.get("index"), payload.get("delta")
        if not isinstance(index, int) or not isinstance(delta, dict):
            return False
        kind = delta.get("type")
        if kind in _STREAMED:
            key, _escape = _STREAMED[kind]
            if not isinstance(delta.get(key), str):
                return False
            out = self._feed(index, kind, delta[key])
            changed, delta[key] = out != delta[key], out
            return bool(changed)
        if kind == "citations_delta":  # a whole citation: its quote holds placeholders
            citation = delta.get("citation")
            restored = restore_json(citation, self.lookup, self.count)
            delta["citation"] = restored
            return bool(restored != citation)
        if kind == "thinking_delta":  # signed: passed as the model wrote it
            self.transcript.add(f"{index}.thinking", delta.get("thinking"))
        return False

    def _message_delta(self, payload: dict[str, Any]) -> bool:
        self._take_usage(payload.get("usage"))
        delta = payload.get("delta")
        if not isinstance(delta, dict):
            return False
        restored = restore_json(delta, self.lookup, self.count)  # stop_sequence: app's text
        payload["delta"] = restored
        return bool(restored != delta)

    def _error(self, payload: dict[str, Any]) -> bool:
        restored = restore_json(payload, self.lookup, self.count)  # may quote the prompt
        changed = restored != payload
        payload.clear()
        payload.update(restored)
        return bool(changed)

    def _take_usage(self, usage: Any) -> None:
        """Input tokens come in `message_start`; output tokens (cumulative) in
        `message_delta`, which may also restate the input."""
        if not isinstance(usage, dict):
            return
        prompt, completion = usage.get("input_tokens"), usage.get("output_tokens")
        self.usage = Usage(
            prompt if isinstance(prompt, int) else self.usage.input_tokens,
            completion if isinstance(completion, int) else self.usage.output_tokens,
        )

    def _feed(self, index: int, kind: str, text: str) -> str:
        slot = (index, kind)
        restorer = self._restorers.get(slot)
        if restorer is None:
            restorer = self._restorers[slot] = Restorer(self.lookup, _STREAMED[kind][1])
        self.transcript.add(f"{index}.{_STREAMED[kind][0]}", text)
        before = (restorer.restored, restorer.unresolved)
        out = restorer.feed(text)
        self.count.restored += restorer.restored - before[0]
        self.count.unresolved += restorer.unresolved - before[1]
        return out

    def _release(self, index: Any) -> list[SSEEvent]:
        """Synthetic deltas carrying what a block's restorers still hold."""
        events = []
        for slot in [s for s in self._restorers if s[0] == index]:
            held = self._restorers.pop(slot).flush()
            if held:
                key = _STREAMED[slot[1]][0]
                events.append(SSEEvent(event="content_block_delta", data=_compact({
                    "type": "content_block_delta", "index": index,
                    "delta": {"type": slot[1], key: held},
                })))
        return events


def _payload(event: SSEEvent) -> dict[str, Any] | None:
    """The JSON object an event carries, or None for comments and empty events."""
    if event.data is None or event.comment is not None or not event.data.strip():
        return None
    try:
        payload = json.loads(event.data)
    except ValueError:
        raise UpstreamProtocolError("The provider sent a stream event that is not JSON.") from None
    return payload if isinstance(payload, dict) else None


def _compact(payload: dict[str, Any]) -> str:
    """Anthropic's own framing: compact JSON, non-ASCII as is."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
