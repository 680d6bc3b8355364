"""The Anthropic wire format: its routes, its error shape, how its providers take a key.

The provider's base URL is its origin (`https://api.anthropic.com`), as the SDK's
`base_url` is: `/anthropic/v1/messages` goes to `{base_url}/v1/messages`.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from proxy.errors import MethodNotAllowed, NotFound, ThreadUnsupported, VoileError
from proxy.formats.anthropic_messages import CountTokens, Messages
from proxy.formats.base import ModelListing
from proxy.paths import BOOL_VALUE, ID_VALUE, INT_VALUE, Route
from proxy.sse import SSEEvent

T = TypeVar("T")

_MESSAGES = Messages()
_COUNT_TOKENS = CountTokens()
_MODELS = ModelListing()
# Query parameters Anthropic's routes take: `beta=true` (older SDKs' beta resources), and
# the model list's pagination.
_BETA = {"beta": BOOL_VALUE}
_MODEL_LIST = {**_BETA, "limit": INT_VALUE, "after_id": ID_VALUE, "before_id": ID_VALUE}

# Anthropic's error `type` by HTTP status (https://docs.anthropic.com/en/api/errors); other
# 4xx are `invalid_request_error`, other 5xx `api_error`.
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    504: "timeout_error",
    529: "overloaded_error",
}


def error_type(status: int) -> str:
    return _ERROR_TYPES.get(status, "api_error" if status >= 500 else "invalid_request_error")


class AnthropicFormat:
    name = "anthropic"

    def route(self, method: str, segments: tuple[str, ...]) -> Route:
        """Routes of Anthropic's API; segments are already validated (`proxy.paths`)."""
        match segments:
            case ("v1", "messages"):
                return Route(
                    _expect(method, "POST", "/v1/messages", _MESSAGES),
                    "/v1/messages",
                    segments,
                    _BETA,
                )
            case ("v1", "messages", "count_tokens"):
                return Route(
                    _expect(method, "POST", "/v1/messages/count_tokens", _COUNT_TOKENS),
                    "/v1/messages/count_tokens",
                    segments,
                    _BETA,
                )
            case ("v1", "models"):
                return Route(
                    _expect(method, "GET", "/v1/models", _MODELS),
                    "/v1/models",
                    segments,
                    _MODEL_LIST,
                )
            case ("v1", "models", model):
                return Route(
                    _expect(method, "GET", "/v1/models/{model}", _MODELS),
                    "/v1/models/{model}",
                    segments,
                    _BETA,
                    model=model,
                )
        raise NotFound(f"Voile does not relay {method} on this path (yet).")

    def error_body(self, error: VoileError) -> dict[str, Any]:
        """Anthropic's error shape, so the SDK raises the matching exception with our message.

        Our stable code goes where the API puts its own machine-readable cause,
        `error.details.error_code` (the SDK exposes it as `APIStatusError.error_code`), so an
        app can tell `pii_blocked` from a malformed request; SDKs that predate `details`
        ignore it.
        """
        details: dict[str, Any] = {"error_code": error.code}
        if error.param is not None:
            details["param"] = error.param
        if isinstance(error, ThreadUnsupported):  # the SDKs' signal to resend without thread
            details["unsupported"] = list(error.unsupported)
        return {
            "type": "error",
            "error": {
                "type": error_type(error.status),
                "message": error.message,
                "details": details,
            },
        }

    def error_event(self, error: VoileError) -> SSEEvent:
        """Anthropic's in-stream error: `event: error` with the error body; the SDK raises."""
        return SSEEvent(event="error", data=json.dumps(self.error_body(error), ensure_ascii=False))

    def auth_headers(self, provider_key: str) -> dict[str, str]:
        return {"x-api-key": provider_key}


def _expect(method: str, allowed: str, path: str, endpoint: T) -> T:
    if method != allowed:
        raise MethodNotAllowed(f"Method {method} not allowed on {path}.")
    return endpoint
