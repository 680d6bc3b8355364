"""OpenAI legacy Completions (`/v1/completions`): prompt and suffix masked, answers restored.

Still served by OpenAI (`gpt-3.5-turbo-instruct`, `davinci-002`) and by most OpenAI-compatible
servers (vLLM, llama.cpp, Ollama). `prompt` may be a string or an array of strings (one
choice per prompt); token-id prompts are refused, as for embeddings. `stop` sequences are
scanned too: the model writes a placeholder where the value was, so a stop sequence naming a
value must name its placeholder to keep working.
"""

from __future__ import annotations

from typing import Any

from proxy.formats.base import Endpoint, EventRestorer, Usage
from proxy.formats.document import Document
from proxy.formats.openai_chat import OpenAIChunkRestorer, _unknown, openai_usage
from proxy.formats.openai_embeddings import text_inputs
from proxy.policy import Policy
from proxy.restore import Lookup, Restorer

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


class CompletionsStreamRestorer(OpenAIChunkRestorer):
    """Restores a completions stream, one Restorer per choice's `text`. Held-back text is
    released into the chunk that ends its choice (the one with a `finish_reason`), else at
    the end."""

    chunk_object = "text_completion"

    def __init__(self, lookup: Lookup) -> None:
        super().__init__(lookup)
        self._restorers: dict[int, Restorer] = {}

    def _held_choices(self) -> list[dict[str, Any]]:
        return [
            {"text": held, "index": index, "logprobs": None, "finish_reason": None}
            for index, restorer in sorted(self._restorers.items())
            if (held := restorer.flush())
        ]

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
                out = self._feed(restorer, text)
                changed |= out != text
                choice["text"] = out
            if choice.get("finish_reason") is not None:
                held = restorer.flush()
                if held:
                    current = choice.get("text")
                    choice["text"] = current + held if isinstance(current, str) else held
                    changed = True
        return changed
