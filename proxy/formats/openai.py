"""OpenAI Chat Completions: where the text is in requests, answers and stream chunks.

Requests are checked against the fields we know. A field we do not know may carry text we
would not scan, so it is refused (400 `unsupported_field`) instead of forwarded: OpenAI adds
fields often, and a silent pass-through is how peers leak. Fields known to hold no free text
(sampling parameters, tool *definitions*, response formats) pass unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from proxy.errors import BadRequest, UnscannableContent, UnsupportedField, VoileError
from proxy.formats.document import Document
from proxy.policy import Policy, UnscannableKind
from proxy.restore import Restorer, identity, json_string_escape, restore_text

Lookup = Callable[[str], str | None]

# Top-level request fields that carry no free text of the user's and pass unchanged.
_PASSTHROUGH = frozenset({
    "model", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "max_tokens",
    "max_completion_tokens", "n", "presence_penalty", "response_format", "seed", "service_tier",
    "stop", "stream", "stream_options", "temperature", "top_p", "tools", "tool_choice",
    "parallel_tool_calls", "functions", "function_call", "store", "reasoning_effort",
    "modalities", "audio", "web_search_options", "verbosity", "prompt_cache_key",
    "prompt_cache_retention", "safety_identifier",
})
# Top-level fields whose strings are scanned: `user` is often an e-mail address.
_SCANNED = frozenset({"messages", "metadata", "user", "prediction"})

_MESSAGE_FIELDS: dict[str, frozenset[str]] = {
    "system": frozenset({"role", "content", "name"}),
    "developer": frozenset({"role", "content", "name"}),
    "user": frozenset({"role", "content", "name"}),
    "assistant": frozenset({
        "role", "content", "name", "refusal", "tool_calls", "function_call", "audio",
        "reasoning_content",
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
    if isinstance(body.get("user"), str):
        doc.add_text(("user",), body["user"])
    if isinstance(body.get("metadata"), dict):
        doc.add_strings(("metadata",), body["metadata"])
    prediction = body.get("prediction")
    if isinstance(prediction, dict):
        _content(doc, ("prediction", "content"), prediction.get("content"), policy)
    return doc


# ---------------------------------------------------------------------------- answers


@dataclass
class RestoreCount:
    restored: int = 0
    unresolved: int = 0


def restore_json(value: Any, lookup: Lookup, count: RestoreCount, key: str | None = None) -> Any:
    """Restore placeholders in every string of a JSON answer (also error bodies, which may
    quote the prompt); inside `arguments` values are JSON-escaped because it holds JSON text."""
    if isinstance(value, str):
        escape = json_string_escape if key == "arguments" else identity
        text, restored, unresolved = restore_text(value, lookup, escape)
        count.restored += restored
        count.unresolved += unresolved
        return text
    if isinstance(value, dict):
        return {k: restore_json(v, lookup, count, k) for k, v in value.items()}
    if isinstance(value, list):
        return [restore_json(item, lookup, count, key) for item in value]
    return value


@dataclass
class ChatStreamRestorer:
    """Restores a chat completions stream chunk by chunk, one Restorer per text stream
    (per choice: content, refusal, reasoning; per tool call: arguments).

    Held-back text is released into the chunk that ends its choice (the one with a
    `finish_reason`), or into a last synthetic chunk if the stream ends without one.
    """

    lookup: Lookup
    count: RestoreCount = field(default_factory=RestoreCount)
    _restorers: dict[tuple[int, str, int], Restorer] = field(default_factory=dict)
    _last_chunk: dict[str, Any] | None = None

    def _restorer(self, choice: int, key: str, tool: int = -1) -> Restorer:
        slot = (choice, key, tool)
        if slot not in self._restorers:
            escape = json_string_escape if key == "arguments" else identity
            self._restorers[slot] = Restorer(self.lookup, escape)
        return self._restorers[slot]

    def feed(self, chunk: dict[str, Any]) -> bool:
        """Restore `chunk` in place; True if anything in it changed."""
        self._last_chunk = chunk
        changed = False
        for choice in chunk.get("choices") or []:
            index = choice.get("index", 0)
            delta = choice.get("delta")
            if not isinstance(delta, dict):
                continue
            for key in _TEXT_KEYS:
                if isinstance(delta.get(key), str):
                    out = self._restorer(index, key).feed(delta[key])
                    changed |= out != delta[key]
                    delta[key] = out
            for call in delta.get("tool_calls") or []:
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                    restorer = self._restorer(index, "arguments", call.get("index", 0))
                    out = restorer.feed(function["arguments"])
                    changed |= out != function["arguments"]
                    function["arguments"] = out
            if choice.get("finish_reason") is not None:
                changed |= self._flush_choice(index, delta)
        self._sync_counts()
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
                calls = delta.setdefault("tool_calls", [])
                calls.append({"index": tool, "function": {"arguments": held}})
            else:
                delta[key] = delta.get(key, "") + held if isinstance(delta.get(key), str) else held
        return changed

    def finish(self) -> dict[str, Any] | None:
        """A synthetic chunk with whatever is still held when the stream ends, or None."""
        deltas: dict[int, dict[str, Any]] = {}
        for (choice, _key, _tool), _restorer in list(self._restorers.items()):
            delta = deltas.setdefault(choice, {})
            self._flush_choice(choice, delta)
        self._sync_counts()
        choices = [{"index": i, "delta": d, "finish_reason": None} for i, d in deltas.items() if d]
        if not choices:
            return None
        template = self._last_chunk or {}
        return {
            "id": template.get("id", ""),
            "object": "chat.completion.chunk",
            "created": template.get("created", 0),
            "model": template.get("model", ""),
            "choices": choices,
        }

    def _sync_counts(self) -> None:
        self.count.restored = sum(r.restored for r in self._restorers.values())
        self.count.unresolved = sum(r.unresolved for r in self._restorers.values())


def usage_of(body: Any) -> tuple[int | None, int | None]:
    usage = body.get("usage") if isinstance(body, dict) else None
    if not isinstance(usage, dict):
        return None, None
    prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
    return (
        prompt if isinstance(prompt, int) else None,
        completion if isinstance(completion, int) else None,
    )


def error_body(error: VoileError) -> dict[str, Any]:
    """OpenAI's error shape, so the SDK raises the matching exception with our message."""
    return {
        "error": {
            "message": error.message,
            "type": error.error_type,
            "param": error.param,
            "code": error.code,
        }
    }
