"""The OpenAI wire format: its routes, its error shape, how its providers take a key."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from proxy.errors import MethodNotAllowed, NotFound, VoileError
from proxy.formats.base import Endpoint, PassThrough
from proxy.formats.openai_chat import ChatCompletions
from proxy.formats.openai_completions import Completions
from proxy.formats.openai_embeddings import Embeddings
from proxy.formats.openai_responses import Responses
from proxy.paths import Route
from proxy.sse import SSEEvent

T = TypeVar("T")

# Relayed routes; any other path is refused (404), so nothing leaves unscanned. Other
# `/v1/responses/...` routes (retrieve, input_items, input_tokens, compact) are not relayed yet.
_ROUTES: dict[tuple[str, ...], Endpoint] = {
    ("v1", "chat", "completions"): ChatCompletions(),
    ("v1", "responses"): Responses(),
    ("v1", "embeddings"): Embeddings(),
    ("v1", "completions"): Completions(),
}
_PASS = PassThrough()


class OpenAIFormat:
    name = "openai"

    def route(self, method: str, segments: tuple[str, ...]) -> Route:
        """Routes of OpenAI's API below `/v1`; segments are already validated (`proxy.paths`)."""
        endpoint = _ROUTES.get(segments)
        if endpoint is not None:
            template = "/" + "/".join(segments)
            return Route(_expect(method, "POST", template, endpoint), template, segments)
        match segments:
            case ("v1", "models"):
                return Route(_expect(method, "GET", "/v1/models", _PASS), "/v1/models", segments)
            case ("v1", "models", model):
                return Route(_expect(method, "GET", "/v1/models/{model}", _PASS),
                             "/v1/models/{model}", segments, model=model)
        raise NotFound(f"Voile does not relay {method} on this path (yet).")

    def error_body(self, error: VoileError) -> dict[str, Any]:
        """OpenAI's error shape, so the SDK raises the matching exception with our message."""
        return {
            "error": {
                "message": error.message,
                "type": error.error_type,
                "param": error.param,
                "code": error.code,
            }
        }

    def error_event(self, error: VoileError) -> SSEEvent:
        """OpenAI's in-stream error: a data line holding the error object; the SDK raises."""
        return SSEEvent(data=json.dumps(self.error_body(error)))

    def auth_headers(self, provider_key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {provider_key}"}


def _expect(method: str, allowed: str, path: str, endpoint: T) -> T:
    if method != allowed:
        raise MethodNotAllowed(f"Method {method} not allowed on {path}.")
    return endpoint
