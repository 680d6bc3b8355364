"""The OpenAI wire format: its routes, its error shape, how its providers take a key."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from proxy.errors import MethodNotAllowed, NotFound, VoileError
from proxy.formats.base import Endpoint, ModelListing
from proxy.formats.openai_chat import ChatCompletions
from proxy.formats.openai_completions import Completions
from proxy.formats.openai_embeddings import Embeddings
from proxy.formats.openai_responses import Responses
from proxy.formats.openai_stored import (
    CHAT_LIST_QUERY,
    CHAT_TEXT,
    CHAT_UPDATE_FIELDS,
    CONVERSATION_UPDATE_FIELDS,
    INCLUDE_QUERY,
    ITEMS_CREATE_FIELDS,
    ITEMS_QUERY,
    PAGE_QUERY,
    RETRIEVE_QUERY,
    ConversationCreate,
    Deletion,
    InputTokens,
    Stored,
    StoredChatList,
    StoredResponse,
    StoredWrite,
    stored_id,
)
from proxy.paths import Route
from proxy.sse import SSEEvent

Query = Mapping[str, re.Pattern[str]]
Methods = Mapping[str, tuple[Endpoint, Query]]

_CHAT = ChatCompletions()
_CHAT_LIST = StoredChatList()
_MODELS = ModelListing()
# Routes without ids in their path: the template is the path itself.
_FIXED: dict[tuple[str, ...], Methods] = {
    ("v1", "chat", "completions"): {"POST": (_CHAT, {}), "GET": (_CHAT_LIST, CHAT_LIST_QUERY)},
    ("v1", "responses"): {"POST": (Responses(), {})},
    ("v1", "responses", "input_tokens"): {"POST": (InputTokens(), {})},
    ("v1", "embeddings"): {"POST": (Embeddings(), {})},
    ("v1", "completions"): {"POST": (Completions(), {})},
    ("v1", "conversations"): {"POST": (ConversationCreate(), {})},
    ("v1", "models"): {"GET": (_MODELS, {})},
}


class OpenAIFormat:
    name = "openai"

    def route(self, method: str, segments: tuple[str, ...]) -> Route:
        """Routes of OpenAI's API below `/v1`; segments are already validated (`proxy.paths`).
        Any other path is refused (404), so nothing leaves unscanned. Routes on stored
        objects (`proxy.formats.openai_stored`) are bound to the ids in their path, held to
        the id grammar; their templates name them (`/v1/responses/{response_id}`)."""
        fixed = _FIXED.get(segments)
        if fixed is not None:
            return _choose(method, "/" + "/".join(segments), segments, fixed)
        match segments:
            case ("v1", "models", model):
                route = _choose(method, "/v1/models/{model}", segments, {"GET": (_MODELS, {})})
                return Route(route.endpoint, route.template, segments, model=model)
            case ("v1", "responses", *rest) if rest != ["compact"]:
                return _responses(method, segments, rest)
            case ("v1", "conversations", *rest):
                return _conversations(method, segments, rest)
            case ("v1", "chat", "completions", *rest):
                return _chat_completions(method, segments, rest)
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


def _choose(method: str, template: str, segments: tuple[str, ...], methods: Methods) -> Route:
    """The route of `method` among those the path serves, with its query parameters."""
    chosen = methods.get(method)
    if chosen is None:
        raise MethodNotAllowed(
            f"Method {method} not allowed on {template} (allowed: {', '.join(sorted(methods))})."
        )
    endpoint, query = chosen
    return Route(endpoint, template, segments, query)


def _not_relayed(method: str) -> NotFound:
    return NotFound(f"Voile does not relay {method} on this path (yet).")


def _responses(method: str, segments: tuple[str, ...], rest: list[str]) -> Route:
    """A stored response: retrieved (streamed again if `background`), deleted, cancelled,
    its input items listed."""
    match rest:
        case [response]:
            ref = stored_id(response, "response")
            return _choose(
                method,
                "/v1/responses/{response_id}",
                segments,
                {
                    "GET": (StoredResponse("responses.retrieve", ref), RETRIEVE_QUERY),
                    "DELETE": (Deletion("responses.delete", ref), {}),
                },
            )
        case [response, "cancel"]:
            ref = stored_id(response, "response")
            return _choose(
                method,
                "/v1/responses/{response_id}/cancel",
                segments,
                {
                    "POST": (StoredResponse("responses.cancel", ref), {}),
                },
            )
        case [response, "input_items"]:
            ref = stored_id(response, "response")
            return _choose(
                method,
                "/v1/responses/{response_id}/input_items",
                segments,
                {
                    "GET": (Stored("responses.input_items.list", ref), ITEMS_QUERY),
                },
            )
    raise _not_relayed(method)


def _conversations(method: str, segments: tuple[str, ...], rest: list[str]) -> Route:
    """A conversation (retrieved, its metadata updated, deleted) and its items."""
    match rest:
        case [conversation]:
            ref = stored_id(conversation, "conversation")
            return _choose(
                method,
                "/v1/conversations/{conversation_id}",
                segments,
                {
                    "GET": (Stored("conversations.retrieve", ref), {}),
                    "POST": (
                        StoredWrite("conversations.update", ref, CONVERSATION_UPDATE_FIELDS),
                        {},
                    ),
                    "DELETE": (Deletion("conversations.delete", ref), {}),
                },
            )
        case [conversation, "items"]:
            ref = stored_id(conversation, "conversation")
            return _choose(
                method,
                "/v1/conversations/{conversation_id}/items",
                segments,
                {
                    "GET": (Stored("conversations.items.list", ref), ITEMS_QUERY),
                    "POST": (
                        StoredWrite("conversations.items.create", ref, ITEMS_CREATE_FIELDS),
                        INCLUDE_QUERY,
                    ),
                },
            )
        case [conversation, "items", item]:
            ref = stored_id(conversation, "conversation")
            stored_id(item, "item")
            template = "/v1/conversations/{conversation_id}/items/{item_id}"
            return _choose(
                method,
                template,
                segments,
                {
                    "GET": (Stored("conversations.items.retrieve", ref), INCLUDE_QUERY),
                    # Answers with the conversation, which stays: nothing is forgotten.
                    "DELETE": (Stored("conversations.items.delete", ref), {}),
                },
            )
    raise _not_relayed(method)


def _chat_completions(method: str, segments: tuple[str, ...], rest: list[str]) -> Route:
    """A stored chat completion (`store: true`): retrieved, its metadata updated, deleted,
    its messages listed."""
    match rest:
        case [completion]:
            ref = stored_id(completion, "chat completion")
            return _choose(
                method,
                "/v1/chat/completions/{completion_id}",
                segments,
                {
                    "GET": (Stored("chat.completions.retrieve", ref, answer=CHAT_TEXT), {}),
                    "POST": (
                        StoredWrite(
                            "chat.completions.update", ref, CHAT_UPDATE_FIELDS, answer=CHAT_TEXT
                        ),
                        {},
                    ),
                    "DELETE": (Deletion("chat.completions.delete", ref, answer=CHAT_TEXT), {}),
                },
            )
        case [completion, "messages"]:
            ref = stored_id(completion, "chat completion")
            return _choose(
                method,
                "/v1/chat/completions/{completion_id}/messages",
                segments,
                {
                    "GET": (
                        Stored("chat.completions.messages.list", ref, answer=CHAT_TEXT),
                        PAGE_QUERY,
                    ),
                },
            )
    raise _not_relayed(method)
