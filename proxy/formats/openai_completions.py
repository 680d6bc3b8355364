"""OpenAI legacy Completions (`/v1/completions`): prompt and suffix masked, answers restored.

Still served by OpenAI (`gpt-3.5-turbo-instruct`, `davinci-002`) and by most OpenAI-compatible
servers (vLLM, llama.cpp, Ollama). `prompt` may be a string or an array of strings (one
choice per prompt); token-id prompts are refused, as for embeddings. `stop` sequences are
scanned too: the model writes a placeholder where the value was, so a stop sequence naming a
value must name its placeholder to keep working.
"""

from __future__ import annotations

import json
from typing import Any

from proxy.errors import UpstreamProtocolError
from proxy.formats.base import Endpoint, EventRestorer, RestoreCount, Usage, restore_json
from proxy.formats.document import Document
from proxy.formats.openai_chat import _compact, _unknown, openai_usage
from proxy.formats.openai_embeddings import text_inputs
from proxy.policy import Policy
from proxy.restore import Lookup, Restorer
from proxy.sse import SSEEvent

_PASSTHROUGH = frozenset({
    "model", "best_of", "echo", "frequency_penalty", "logit_bias", "logprobs", "max_tokens", "n",
    "presence_penalty", "seed", "stream", "stream_options", "temperature", "top_p",
})
_SCANNED = frozenset({"prompt", "suffix", "user", "stop"})


def completions_request_texts(body: dict[str, Any], policy: Policy) -> Document:
    extra = set(body) - _PASSTHROUGH - _SCANNED
    if extra:
        raise _unknown((sorted(extra)[0],))
    doc = Document(body)
    text_inputs(doc, "prompt", body.get("prompt"), required=False)
    for key in ("suffix", "user"):
        if body.get(key) is not None:
            if not isinstance(body[key], str):
                raise _unknown((key,), f"{key} type")
            doc.add_text((key,), body[key])
    stop = body.get("stop")
    if isinstance(stop, str):
        doc.add_text(("stop",), stop)
    elif isinstance(stop, list):
        for index, sequence in enumerate(stop):
            if not isinstance(sequence, str):
                raise _unknown(("stop", index), "stop sequence")
            doc.add_text(("stop", index), sequence)
    elif stop is not None:
        raise _unknown(("stop",), "stop type")
    return doc


class Completions(Endpoint):
    name = "completions"

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return completions_request_texts(body, policy)

    def usage(self, body: Any) -> Usage:
        return openai_usage(body)

    def stream_restorer(self, lookup: Lookup) -> EventRestorer:
        return CompletionsStreamRestorer(lookup)


class CompletionsStreamRestorer(EventRestorer):
    """Restores a completions stream chunk by chunk, one Restorer per choice's `text`.

    Held-back text is released into the chunk that ends its choice (the one with a
    `finish_reason`), or into a synthetic chunk just before `[DONE]` (or the end of the
    stream) if the provider never ended it. Chunks that need no change pass as they came.
    """

    def __init__(self, lookup: Lookup) -> None:
        super().__init__(lookup)
        self._restorers: dict[int, Restorer] = {}
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
        if "error" in chunk:  # an in-stream error may quote the prompt
            count = RestoreCount()
            restored = restore_json(chunk, self.lookup, count)
            self._add(count.restored, count.unresolved)
            return [SSEEvent(event=event.event, data=json.dumps(restored, ensure_ascii=False))]
        usage = openai_usage(chunk)
        if usage.input_tokens is not None:
            self.usage = usage
        self._last_chunk = chunk
        if not self._restore_chunk(chunk):
            return [event]
        return [SSEEvent(event=event.event, id=event.id, data=_compact(chunk))]

    def finish(self) -> list[SSEEvent]:
        choices = [
            {"text": held, "index": index, "logprobs": None, "finish_reason": None}
            for index, restorer in sorted(self._restorers.items())
            if (held := restorer.flush())
        ]
        if not choices:
            return []
        template = self._last_chunk
        chunk = {
            "id": template.get("id", ""),
            "object": "text_completion",
            "created": template.get("created", 0),
            "model": template.get("model", ""),
            "choices": choices,
        }
        return [SSEEvent(data=_compact(chunk))]

    def _add(self, restored: int, unresolved: int) -> None:
        self.count.restored += restored
        self.count.unresolved += unresolved

    def _restore_chunk(self, chunk: dict[str, Any]) -> bool:
        changed = False
        for choice in chunk.get("choices") or []:
            if not isinstance(choice, dict):
                continue
            index = choice.get("index", 0)
            restorer = self._restorers.setdefault(index, Restorer(self.lookup))
            text = choice.get("text")
            if isinstance(text, str):
                self.transcript.add(f"{index}.text", text)
                before = (restorer.restored, restorer.unresolved)
                out = restorer.feed(text)
                self._add(restorer.restored - before[0], restorer.unresolved - before[1])
                changed |= out != text
                choice["text"] = out
            if choice.get("finish_reason") is not None:
                held = restorer.flush()
                if held:
                    current = choice.get("text")
                    choice["text"] = current + held if isinstance(current, str) else held
                    changed = True
        return changed
