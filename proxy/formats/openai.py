"""The OpenAI wire format: its routes, its error shape, how its providers take a key."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from proxy.errors import MethodNotAllowed, NotFound, VoileError
from proxy.formats.base import Endpoint, PassThrough
from proxy.formats.openai_chat import ChatCompletions
from proxy.sse import SSEEvent

T = TypeVar("T")

_CHAT = ChatCompletions()
_PASS = PassThrough()


class OpenAIFormat:
    name = "openai"

    def route(self, method: str, path: str) -> Endpoint | PassThrough:
        if path == "/v1/chat/completions":
            return _expect(method, "POST", path, _CHAT)
        if path == "/v1/models" or path.startswith("/v1/models/"):
            return _expect(method, "GET", path, _PASS)
        raise NotFound(f"Voile does not relay {method} {path} (yet).")

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
