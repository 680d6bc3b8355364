"""OpenAI Chat Completions: where the text is in requests, answers and stream chunks.

Also used by every OpenAI-compatible provider (Mistral, DeepSeek, Groq, Ollama, vLLM).

Requests are checked against the fields we know. A field we do not know may carry text we
would not scan, so it is refused (400 `unsupported_field`) instead of forwarded: OpenAI adds
fields often, and a silent pass-through is how peers leak. Fields known to hold no free text
(sampling parameters, tool *definitions*, response formats) pass unchanged.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from typing import Any

from proxy.errors import BadRequest, UnscannableContent, UnsupportedField, UpstreamProtocolError
from proxy.formats.base import (
    Endpoint,
    EventRestorer,
    RestoreCount,
    Usage,
    restore_json,
)
from proxy.formats.document import Document
from proxy.policy import Policy, UnscannableKind
from proxy.restore import Lookup, Restorer, identity, json_string_escape
from proxy.sse import SSEEvent

# Top-level request fields that carry no free text of the user's and pass unchanged.
_PASSTHROUGH = frozenset({
    "model", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "max_tokens",
    "max_completion_tokens", "n", "presence_penalty", "response_format", "seed", "service_tier",
    "stream", "stream_options", "temperature", "top_p", "tools", "tool_choice",
    "parallel_tool_calls", "functions", "function_call", "store", "reasoning_effort",
    "modalities", "audio", "web_search_options", "verbosity", "prompt_cache_retention",
})
# Top-level fields whose strings are scanned: `user`, `safety_identifier`, `prompt_cache_key`
# are often e-mail addresses, `stop` sequences may quote the prompt.
_SCANNED = frozenset({
    "messages", "metadata", "user", "prediction", "stop", "safety_identifier", "prompt_cache_key",
})

_MESSAGE_FIELDS: dict[str, frozenset[str]] = {
    "system": frozenset({"role", "content", "name"}),
    "developer": frozenset({"role", "content", "name"}),
    "user": frozenset({"role", "content", "name"}),
    "assistant": frozenset({
        "role", "content", "name", "refusal", "tool_calls", "function_call", "audio",
        "reasoning_content", "prefix",  # `prefix`: Mistral/DeepSeek prefix completion flag
    }),
    "tool": frozenset({"role", "content", "tool_call_id"}),
    "function": frozenset({"role", "content", "name"}),
}
_UNSCANNABLE_PARTS = {
    "image_url": UnscannableKind.IMAGE,
    "input_audio": UnscannableKind.AUDIO,
    "file": UnscannableKind.FILE,
}
# Text-bearing keys of an answer; `arguments` holds JSON, so restored values are JSON-escaped.
_TEXT_KEYS = ("content", "refusal", "reasoning_content")


def _where(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _unknown(path: tuple[str | int, ...], what: str = "field") -> UnsupportedField:
    return UnsupportedField(
        f"Unsupported {what} '{_where(path)}': Voile cannot tell whether it carries personal "
        "data, so it does not forward it.",
        param=_where(path),
    )


def _content(doc: Document, path: tuple[str | int, ...], value: Any, policy: Policy) -> None:
    """A message's content: a string, null, or an array of parts."""
    if value is None:
        return
    if isinstance(value, str):
        doc.add_text(path, value)
        return
    if not isinstance(value, list):
        raise _unknown(path, "content type")
    for index, part in enumerate(value):
        part_path = (*path, index)
        kind = part.get("type") if isinstance(part, dict) else None
        if kind in ("text", "refusal") and isinstance(part.get(kind), str):
            extra = set(part) - {"type", kind}
            if extra:
                raise _unknown((*part_path, sorted(extra)[0]))
            doc.add_text((*part_path, kind), part[kind])
        elif kind in _UNSCANNABLE_PARTS:
            if not policy.allows_unscannable(_UNSCANNABLE_PARTS[kind]):
                raise UnscannableContent(
                    f"'{_where(part_path)}' is {kind} content, which Voile cannot scan for "
                    f"personal data; policy '{policy.name}' does not allow "
                    f"{_UNSCANNABLE_PARTS[kind].value} content.",
                    param=_where(part_path),
                )
            if kind == "file":  # a file part may carry a file name next to its data
                filename = part.get("file", {}).get("filename")
                if isinstance(filename, str):
                    doc.add_text((*part_path, "file", "filename"), filename)
        else:
            raise _unknown(part_path, f"content part type {kind!r}")


def _message(doc: Document, index: int, message: Any, policy: Policy) -> None:
    path: tuple[str | int, ...] = ("messages", index)
    if not isinstance(message, dict):
        raise _unknown(path, "message")
    role = message.get("role")
    allowed = _MESSAGE_FIELDS.get(role) if isinstance(role, str) else None
    if allowed is None:
        raise _unknown((*path, "role"), f"message role {role!r} at")
    extra = set(message) - allowed
    if extra:
        raise _unknown((*path, sorted(extra)[0]))
    _content(doc, (*path, "content"), message.get("content"), policy)
    for key in ("name", "refusal", "reasoning_content"):
        if isinstance(message.get(key), str):
            doc.add_text((*path, key), message[key])
    for call_index, call in enumerate(message.get("tool_calls") or []):
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict) and isinstance(function.get("arguments"), str):
            doc.add_json_text(
                (*path, "tool_calls", call_index, "function", "arguments"), function["arguments"]
            )
    function_call = message.get("function_call")
    if isinstance(function_call, dict) and isinstance(function_call.get("arguments"), str):
        doc.add_json_text((*path, "function_call", "arguments"), function_call["arguments"])


def chat_request_texts(body: dict[str, Any], policy: Policy) -> Document:
    """Every text of a chat completions request, or an error naming the first unknown field."""
    extra = set(body) - _PASSTHROUGH - _SCANNED
    if extra:
        raise _unknown((sorted(extra)[0],))
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise BadRequest("'messages' must be a non-empty array", param="messages")
    doc = Document(body)
    for index, message in enumerate(messages):
        _message(doc, index, message, policy)
    for key in ("user", "safety_identifier", "prompt_cache_key"):
        # Identifiers apps often fill with an e-mail address; a masked value keeps its token,
        # so they still work as identifiers and cache keys.
        if isinstance(body.get(key), str):
            doc.add_text((key,), body[key])
    if isinstance(body.get("metadata"), dict):
        doc.add_strings(("metadata",), body["metadata"])
    # Stop sequences may quote the prompt; masked alike, they still match what the model says.
    doc.add_strings(("stop",), body.get("stop"))
    prediction = body.get("prediction")
    if isinstance(prediction, dict):
        _content(doc, ("prediction", "content"), prediction.get("content"), policy)
    return doc


# ---------------------------------------------------------------------------- answers


class ChatCompletions(Endpoint):
    name = "chat.completions"
    json_keys = frozenset({"arguments"})

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return chat_request_texts(body, policy)

    def usage(self, body: Any) -> Usage:
        return openai_usage(body)

    def stream_restorer(self, lookup: Lookup) -> EventRestorer:
        return ChatStreamRestorer(lookup)


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


class OpenAIChunkRestorer(EventRestorer):
    """The framing OpenAI's chunked streams share (chat, legacy completions): `data:` JSON
    chunks, in-stream errors that may quote the prompt, a usage chunk, then `[DONE]`.

    Subclasses restore the choices of one chunk and say what is still held at the end; the
    synthetic chunk carrying that goes out just before `[DONE]` (or the end of the stream).
    Chunks that need no change are passed on as the provider framed them.
    """

    chunk_object: str

    def __init__(self, lookup: Lookup) -> None:
        super().__init__(lookup)
        self._last_chunk: dict[str, Any] = {}

    def feed(self, event: SSEEvent) -> list[SSEEvent]:
        if event.data is None or event.comment is not None or not event.data.strip():
            return [event]
        if event.data.strip() == "[DONE]":
            return [*self.finish(), event]
        try:
            chunk = json.loads(event.data)
        except ValueError:
            raise UpstreamProtocolError(
                "The provider sent a stream event that is not JSON."
            ) from None
        if not isinstance(chunk, dict):
            return [event]
        if "error" in chunk:
            count = RestoreCount()
            restored = restore_json(chunk, self.lookup, count, ChatCompletions.json_keys)
            self._add_counts(count)
            return [SSEEvent(event=event.event, data=json.dumps(restored, ensure_ascii=False))]
        usage = openai_usage(chunk)
        if usage.input_tokens is not None:
            self.usage = usage
        self._last_chunk = chunk
        if not self._restore_chunk(chunk):
            return [event]
        return [SSEEvent(event=event.event, id=event.id, data=_compact(chunk))]

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
        return [SSEEvent(data=_compact(chunk))]

    @abstractmethod
    def _restore_chunk(self, chunk: dict[str, Any]) -> bool:
        """Restore `chunk` in place; True if anything in it changed."""

    @abstractmethod
    def _held_choices(self) -> list[dict[str, Any]]:
        """Choices carrying whatever is still held (flushing it), for a last chunk."""

    def _feed(self, restorer: Restorer, text: str) -> str:
        before = (restorer.restored, restorer.unresolved)
        out = restorer.feed(text)
        self._add_counts(RestoreCount(restorer.restored - before[0],
                                      restorer.unresolved - before[1]))
        return out

    def _add_counts(self, count: RestoreCount) -> None:
        self.count.restored += count.restored
        self.count.unresolved += count.unresolved


class ChatStreamRestorer(OpenAIChunkRestorer):
    """Restores a chat completions stream, one Restorer per text stream (per choice:
    content, refusal, reasoning; per tool call: arguments). Held-back text is released into
    the chunk that ends its choice (the one with a `finish_reason`), else at the end."""

    chunk_object = "chat.completion.chunk"

    def __init__(self, lookup: Lookup) -> None:
        super().__init__(lookup)
        self._restorers: dict[tuple[int, str, int], Restorer] = {}

    def _held_choices(self) -> list[dict[str, Any]]:
        deltas: dict[int, dict[str, Any]] = {}
        for choice, _key, _tool in list(self._restorers):
            self._flush_choice(choice, deltas.setdefault(choice, {}))
        return [{"index": i, "delta": d, "finish_reason": None} for i, d in deltas.items() if d]

    def _restorer(self, choice: int, key: str, tool: int = -1) -> Restorer:
        slot = (choice, key, tool)
        if slot not in self._restorers:
            escape = json_string_escape if key == "arguments" else identity
            self._restorers[slot] = Restorer(self.lookup, escape)
        return self._restorers[slot]

    def _restore_chunk(self, chunk: dict[str, Any]) -> bool:
        changed = False
        for choice in chunk.get("choices") or []:
            index = choice.get("index", 0) if isinstance(choice, dict) else 0
            delta = choice.get("delta") if isinstance(choice, dict) else None
            if not isinstance(delta, dict):
                continue
            for key in _TEXT_KEYS:
                if isinstance(delta.get(key), str):
                    self.transcript.add(f"{index}.{key}", delta[key])
                    out = self._feed(self._restorer(index, key), delta[key])
                    changed |= out != delta[key]
                    delta[key] = out
            for call in delta.get("tool_calls") or []:
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                    tool = call.get("index", 0)
                    self.transcript.add(f"{index}.tool_calls.{tool}", function["arguments"])
                    out = self._feed(self._restorer(index, "arguments", tool),
                                     function["arguments"])
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


def _compact(chunk: dict[str, Any]) -> str:
    """OpenAI's own framing: compact JSON, non-ASCII as is."""
    return json.dumps(chunk, ensure_ascii=False, separators=(",", ":"))
