"""What the provider stores, read, changed and deleted by id: responses (`background` ones
polled), their input items, conversations and their items, stored chat completions.

These routes answer with text the provider holds from earlier requests, in which Voile had put
placeholders. The decisions:

1. **Restored from the conversation vault.** The requests that created these objects left
   their tokens in the vault under the object's id (a response's and its conversation's, a
   conversation's, a stored chat completion's: `answer_refs` of the creating endpoints), per
   app and end user (`proxy.conversations`). A route recalls the id in its path before it
   restores; the list of stored chat completions names its ids only in its answer, so that
   answer is read first (`listed_refs`). A token the vault does not hold for this app and
   end user stays as it is and is counted as unresolved, never guessed.
2. **The end user is the header's.** These routes carry no body (or none naming a user), so
   the end user is `x-voile-end-user`: the same one as on the request that created the
   object, or the app alone if neither named one. Another end user gets placeholders.
3. **Reading remembers nothing.** A retrieve, a list, a cancel or a retrieved stream mints no
   token; writing back what it recalled would even lose tokens, because a response's entry
   is older than its conversation's (later turns add to the conversation's). Writes that
   carry text (conversation create and update, items create, a stored completion's metadata)
   mask it like any request and remember what they recalled and minted under the object's id.
4. **Deleting forgets.** A successful DELETE of a response, a conversation or a stored chat
   completion deletes its vault entry as well (`deleted_refs`).
5. **Paths and queries.** Each id is a validated path segment that must also fit the id
   grammar (`STORED_ID`: letters, digits, `_`, `-`); templates name it (`{response_id}`),
   never its value. Query parameters are those the `openai` SDK sends for the route, each
   with a grammar (`include[]` may repeat); a metadata filter on the list of stored chat
   completions is refused: its values would be caller text in a URL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from proxy.errors import InvalidPath
from proxy.formats.base import MODEL_ID, AnswerText, Endpoint, EventRestorer, Usage
from proxy.formats.document import Document
from proxy.formats.fields import ID_GRAMMAR, TEXT, Fields, array, nullable
from proxy.formats.openai_chat import METADATA, message_content, openai_usage, request_texts
from proxy.formats.openai_responses import (
    RESPONSES_FIELDS,
    ResponsesStreamRestorer,
    _item,
    _output_text,
)
from proxy.paths import BOOL_VALUE, INT_VALUE
from proxy.policy import Policy
from proxy.restore import Lookup, TextKind
from proxy.sse import SSEEvent

STORED_ID = ID_GRAMMAR  # response, conversation, item and chat completion ids
MAX_LISTED = 1000  # ids read from one listing (the API pages by 100 at most)

# ------------------------------------------------------------------- query parameters

_INCLUDABLE = re.compile(r"[a-z_]{1,64}(\.[a-z_]{1,64}){0,4}")  # message.output_text.logprobs
_INCLUDE: Mapping[str, re.Pattern[str]] = {"include[]": _INCLUDABLE}
_PAGE: Mapping[str, re.Pattern[str]] = {
    "after": STORED_ID,
    "limit": INT_VALUE,
    "order": re.compile(r"asc|desc"),
}
RETRIEVE_QUERY = {
    **_INCLUDE,
    "include_obfuscation": BOOL_VALUE,
    "starting_after": INT_VALUE,
    "stream": BOOL_VALUE,
}
ITEMS_QUERY = {**_PAGE, **_INCLUDE}
INCLUDE_QUERY = dict(_INCLUDE)
PAGE_QUERY = dict(_PAGE)
CHAT_LIST_QUERY = {**_PAGE, "model": MODEL_ID}


def stored_id(value: str, what: str) -> str:
    """An id from the path, held to the id grammar (decision 5)."""
    if not STORED_ID.fullmatch(value):
        raise InvalidPath(
            f"The {what} id in the path is not an id (letters, digits, '_' and '-', at most 128)."
        )
    return value


# ------------------------------------------------------------------------ request bodies

ITEMS = array(_item)  # Responses input items, each field in its table
CONVERSATION_CREATE_FIELDS: Fields = {
    "items": nullable(ITEMS),
    "metadata": METADATA,
    "safety_identifier": nullable(TEXT),
}
CONVERSATION_UPDATE_FIELDS: Fields = {"metadata": METADATA}
ITEMS_CREATE_FIELDS: Fields = {"items": ITEMS}
CHAT_UPDATE_FIELDS: Fields = {"metadata": METADATA}
# The fields of a Responses request that count (each may be null here), masked alike.
INPUT_TOKENS_FIELDS: Fields = {
    **{
        name: nullable(RESPONSES_FIELDS[name])
        for name in (
            "conversation",
            "input",
            "instructions",
            "model",
            "parallel_tool_calls",
            "previous_response_id",
            "reasoning",
            "text",
            "tool_choice",
            "tools",
            "truncation",
        )
    },
    "personality": TEXT,  # a preset's name, or free text: scanned
}

# Where stored objects hold answer text: Responses output text, assistant message content.
_RESPONSE_TEXT = AnswerText(TextKind.SNIFF, _output_text)
CHAT_TEXT = AnswerText(TextKind.SNIFF, message_content)


def _object_id(payload: Any, kind: str) -> tuple[str, ...]:
    """The id of an answer that is one object of `kind` (`conversation`)."""
    if isinstance(payload, dict) and payload.get("object") == kind:
        value = payload.get("id")
        if isinstance(value, str) and STORED_ID.fullmatch(value):
            return (value,)
    return ()


# ------------------------------------------------------------------------------ endpoints


class Stored(Endpoint):
    """A route on objects the provider holds, bound to the ids in its path (`refs`): their
    tokens are recalled to restore the answer (decision 1). Without a body unless a subclass
    says otherwise; nothing is remembered (decision 3)."""

    takes_body = False
    json_keys = frozenset({"arguments"})

    def __init__(self, name: str, *refs: str, answer: AnswerText = _RESPONSE_TEXT) -> None:
        self.name = name
        self.refs = refs
        self.answer = answer

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return Document(body)  # no body: nothing to scan

    def answer_kind(self, body: dict[str, Any]) -> TextKind:
        return self.answer.kind  # the stored object's, not a request's

    def conversation_refs(self, body: dict[str, Any]) -> tuple[str, ...]:
        return self.refs

    def usage(self, body: Any) -> Usage:
        return openai_usage(body)


class StoredResponse(Stored):
    """A stored Response, retrieved (also streamed again, for `background` ones) or cancelled."""

    def stream_restorer(self, lookup: Lookup) -> EventRestorer:
        return RetrievedStreamRestorer(lookup, self.answer.in_stream())


class RetrievedStreamRestorer(ResponsesStreamRestorer):
    """A stored response streamed again is restored as its first stream was; it mints
    nothing, so it remembers nothing (decision 3)."""

    def feed(self, event: SSEEvent) -> list[SSEEvent]:
        out = super().feed(event)
        self.answer_refs.clear()
        return out


class Deletion(Stored):
    """DELETE of a response, a conversation or a stored chat completion: forgotten in the
    vault too once the provider confirms it (decision 4)."""

    def deleted_refs(self, payload: Any) -> tuple[str, ...]:
        if payload is None or (isinstance(payload, dict) and payload.get("deleted") is True):
            return self.refs
        return ()


class StoredWrite(Stored):
    """A change carrying text to an object the provider holds (metadata, new items): masked
    like any request; what it recalled and minted is remembered under the object's id."""

    takes_body = True

    def __init__(
        self, name: str, ref: str, fields: Fields, *, answer: AnswerText = _RESPONSE_TEXT
    ) -> None:
        super().__init__(name, ref, answer=answer)
        self.fields = fields

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return request_texts(body, policy, self.fields)

    def answer_refs(self, payload: Any) -> tuple[str, ...]:
        return self.refs


class ConversationCreate(Endpoint):
    """`POST /v1/conversations`: its items and metadata masked; the tokens are remembered
    under the new conversation's id, for its items, its metadata and the responses in it."""

    name = "conversations.create"
    json_keys = frozenset({"arguments"})
    answer = _RESPONSE_TEXT

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return request_texts(body, policy, CONVERSATION_CREATE_FIELDS)

    def answer_kind(self, body: dict[str, Any]) -> TextKind:
        return self.answer.kind

    def answer_refs(self, payload: Any) -> tuple[str, ...]:
        return _object_id(payload, "conversation")

    def usage(self, body: Any) -> Usage:
        return Usage()


class InputTokens(Endpoint):
    """`POST /v1/responses/input_tokens`: a Responses input, masked as a request would be,
    counted; the answer is a number (error bodies are restored as always)."""

    name = "responses.input_tokens"

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return request_texts(body, policy, INPUT_TOKENS_FIELDS)

    def usage(self, body: Any) -> Usage:
        count = body.get("input_tokens") if isinstance(body, dict) else None
        return Usage(count if isinstance(count, int) else None)


class StoredChatList(Stored):
    """`GET /v1/chat/completions`: the stored completions' ids are in the answer only."""

    lists_held = True

    def __init__(self) -> None:
        super().__init__("chat.completions.list", answer=CHAT_TEXT)

    def listed_refs(self, raw: bytes) -> tuple[str, ...]:
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError):
            return ()
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, list):
            return ()
        refs = (item.get("id") for item in data[:MAX_LISTED] if isinstance(item, dict))
        return tuple(ref for ref in refs if isinstance(ref, str) and STORED_ID.fullmatch(ref))
