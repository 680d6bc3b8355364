"""OpenAI legacy Completions (`/v1/completions`): prompt and suffix masked, answers restored.

Still served by OpenAI (`gpt-3.5-turbo-instruct`, `davinci-002`) and by most OpenAI-compatible
servers (vLLM, llama.cpp, Ollama). `prompt` may be a string or an array of strings (one
choice per prompt); token-id prompts are refused, as for embeddings. `stop` sequences are
scanned too: the model writes a placeholder where the value was, so a stop sequence naming a
value must name its placeholder to keep working.

There is no way to ask for JSON here, but a model may answer JSON unasked: a choice's `text`
is restored JSON-escaped when it is JSON (`proxy.restore`, `TextKind.SNIFF`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from proxy.formats.base import PLAIN, AnswerText, Endpoint, EventRestorer, Usage
from proxy.formats.document import Document
from proxy.formats.fields import (
    BOOLEAN,
    COUNT,
    TEXT,
    TEXTS,
    Fields,
    integer,
    mapping,
    nullable,
    number,
    obj,
    within,
)
from proxy.formats.openai_chat import (
    MODEL,
    OpenAIChunkRestorer,
    choice_finish_reasons,
    openai_usage,
    request_texts,
)
from proxy.formats.openai_embeddings import TEXT_INPUT
from proxy.policy import Part, Policy
from proxy.restore import Lookup, Restorer, TextKind

COMPLETIONS_FIELDS: Fields = {
    "model": MODEL,
    "prompt": within(Part.USER, nullable(TEXT_INPUT)),
    "suffix": within(Part.USER, nullable(TEXT)),
    "user": TEXT,
    "stop": nullable(TEXTS),
    "best_of": nullable(integer(0, 128)),
    "echo": nullable(BOOLEAN),
    "frequency_penalty": nullable(number(-2, 2)),
    "logit_bias": nullable(mapping(number(-100, 100), keys=r"[0-9]{1,7}")),  # token ids
    "logprobs": nullable(integer(0, 20)),
    "max_tokens": nullable(COUNT),
    "n": nullable(integer(1, 128)),
    "presence_penalty": nullable(number(-2, 2)),
    "seed": nullable(integer()),
    "stream": nullable(BOOLEAN),
    "stream_options": nullable(obj({"include_usage": BOOLEAN, "include_obfuscation": BOOLEAN})),
    "temperature": nullable(number(0, 2)),
    "top_p": nullable(number(0, 1)),
}


def completions_request_texts(body: dict[str, Any], policy: Policy) -> Document:
    return request_texts(body, policy, COMPLETIONS_FIELDS)


def _choice_text(part: Mapping[str, Any]) -> str | None:
    """The answer text of a completion: a choice's `text` (choices are the objects with an
    `index`)."""
    return "text" if "index" in part else None


class Completions(Endpoint):
    name = "completions"
    answer = AnswerText(key_of=_choice_text)

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return completions_request_texts(body, policy)

    def answer_kind(self, body: dict[str, Any]) -> TextKind:
        return TextKind.SNIFF

    def usage(self, body: Any) -> Usage:
        return replace(openai_usage(body), finish_reasons=choice_finish_reasons(body))

    def stream_restorer(self, lookup: Lookup) -> EventRestorer:
        return CompletionsStreamRestorer(lookup, self.answer.in_stream())


class CompletionsStreamRestorer(OpenAIChunkRestorer):
    """Restores a completions stream, one Restorer per choice's `text`. Held-back text is
    released into the chunk that ends its choice (the one with a `finish_reason`), else at
    the end."""

    chunk_object = "text_completion"

    def __init__(self, lookup: Lookup, answer: AnswerText = PLAIN) -> None:
        super().__init__(lookup, answer)
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
            restorer = self._restorers.get(index)
            if restorer is None:
                restorer = self._restorers[index] = self.answer.restorer(self.lookup)
            text = choice.get("text")
            if isinstance(text, str):
                out = self.restore_stream(restorer, f"{index}.text", text)
                changed |= out != text
                choice["text"] = out
            if choice.get("finish_reason") is not None:
                held = restorer.flush()
                if held:
                    current = choice.get("text")
                    choice["text"] = current + held if isinstance(current, str) else held
                    changed = True
        return changed
