"""OpenAI Embeddings: the input texts are masked before they leave; nothing comes back to restore.

The answer is vectors. Only error bodies can quote the (masked) input, so they are restored;
the `data` array is passed as is (walking millions of floats to find no placeholder would only
cost time).

Token-id inputs (an array of integers, or of such arrays: what LangChain's
`OpenAIEmbeddings()` sends by default) are decoded with the model's tiktoken encoding when the
deployment has its file (`embeddings.tiktoken_dir`), scanned and masked as text, and the
masked text encoded back; an array with nothing masked goes out unchanged
(`proxy.formats.tokens` has the rules). Without the encoding they are refused, and the error
names the LangChain setting that sends text instead (`check_embedding_ctx_length=False`).
"""

from __future__ import annotations

import copy
from typing import Any, Self

from proxy.body import where
from proxy.errors import BadRequest, UnscannableContent
from proxy.formats.base import Endpoint, RestoreCount, Usage, restore_json
from proxy.formats.document import Document, JsonPath
from proxy.formats.fields import (
    TEXT,
    Check,
    Fields,
    Scan,
    check_fields,
    enum,
    integer,
    invalid,
    within,
)
from proxy.formats.openai_chat import MODEL, openai_usage
from proxy.formats.tokens import NO_TOKENIZERS, NoTokenizer, TokenError, Tokenizers, TokenText
from proxy.policy import Part, Policy
from proxy.restore import Lookup

# What LangChain users change so that their texts are sent as text (the SDK's own default).
LANGCHAIN_HINT = (
    "With LangChain's OpenAIEmbeddings, set check_embedding_ctx_length=False to "
    "send the text itself."
)


def TEXT_INPUT(scan: Scan, path: JsonPath, value: Any) -> None:
    """A string or an array of strings (completions `prompt`); token ids (an array of
    integers, or of such arrays) are refused."""
    if isinstance(value, str):
        scan.doc.add_text(path, value, scan.part)
        return
    if not isinstance(value, list):
        raise invalid(path, "a string or an array of strings")
    for index, item in enumerate(value):
        item_path: JsonPath = (*path, index)
        if isinstance(item, str):
            scan.doc.add_text(item_path, item, scan.part)
        elif isinstance(item, int | list) and not isinstance(item, bool):
            raise UnscannableContent(
                f"'{where(item_path)}' holds token ids, which Voile cannot scan for personal "
                "data; send the text itself instead.",
                param=where(item_path),
            )
        else:
            raise invalid(item_path, "a string")


class TokenDocument(Document):
    """A Document in which some texts were token-id arrays: `apply` encodes those whose text
    masking changed back into ids; the others keep the ids they came as."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body)
        self._token_slots: list[tuple[JsonPath, TokenText]] = []

    def add_tokens(self, path: JsonPath, decoded: TokenText, part: Part = Part.OTHER) -> None:
        self.add_text(path, decoded.text, part)
        self._token_slots.append((path, decoded))

    def apply(self, masked: list[str]) -> dict[str, Any]:
        body = super().apply(masked)
        for path, decoded in self._token_slots:
            value = self._parent(path)[path[-1]]
            if isinstance(value, str):  # only a changed slot was written back, as text
                self._set(path, decoded.encode(value))
        return body


def _is_token(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def embedding_input(tokenizers: Tokenizers, model: Any) -> Check:
    """`input`: a string, an array of strings, an array of token ids or an array of such
    arrays. Token ids are read as text with the model's encoding (`proxy.formats.tokens`) and
    scanned as such; without an encoding they are refused."""

    def tokens(scan: Scan, path: JsonPath, ids: list[Any], first: JsonPath) -> None:
        """The array of ids at `path`; a refusal for want of a tokenizer names `first`."""
        for index, token in enumerate(ids):
            if not _is_token(token):
                raise invalid((*path, index), "a token id (an integer)")
        try:
            codec = tokenizers.for_model(model if isinstance(model, str) else None)
        except NoTokenizer as missing:
            raise UnscannableContent(
                f"'{where(first)}' holds token ids, which Voile can only scan for personal "
                f"data by decoding them with the model's tokenizer, and {missing.reason}. "
                + LANGCHAIN_HINT,
                param=where(first),
            ) from None
        try:
            decoded = codec.decode(ids)
        except TokenError as error:
            at = path if error.index is None else (*path, error.index)
            raise UnscannableContent(
                f"'{where(at)}': {error.reason}, so Voile cannot scan it for personal data. "
                + LANGCHAIN_HINT,
                param=where(at),
            ) from None
        if not isinstance(scan.doc, TokenDocument):  # the endpoint always gives one
            raise TypeError("token ids need a TokenDocument")
        scan.doc.add_tokens(path, decoded, scan.part)

    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        if isinstance(value, str):
            scan.doc.add_text(path, value, scan.part)
            return
        if not isinstance(value, list):
            raise invalid(path, "a string, an array of strings or an array of token ids")
        if value and all(_is_token(item) for item in value):
            tokens(scan, path, value, (*path, 0))
            return
        for index, item in enumerate(value):
            item_path: JsonPath = (*path, index)
            if isinstance(item, str):
                scan.doc.add_text(item_path, item, scan.part)
            elif isinstance(item, list):
                tokens(scan, item_path, item, item_path)
            else:
                raise invalid(item_path, "a string or an array of token ids")

    return check


EMBEDDINGS_FIELDS: Fields = {
    "model": MODEL,
    # The endpoint binds the model's encoding.
    "input": within(Part.USER, embedding_input(NO_TOKENIZERS, None)),
    "dimensions": integer(1, 1 << 16),
    "encoding_format": enum("float", "base64"),
    "user": TEXT,
}


class Embeddings(Endpoint):
    name = "embeddings"
    tokenizers: Tokenizers = NO_TOKENIZERS

    def for_request(self, body: dict[str, Any], tokenizers: Tokenizers = NO_TOKENIZERS) -> Self:
        """Bound to the deployment's tokenizers, for token-id inputs."""
        if tokenizers is self.tokenizers:
            return self
        bound = copy.copy(self)
        bound.tokenizers = tokenizers
        return bound

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        if body.get("input") is None:
            raise BadRequest(
                "'input' must be a string, an array of strings or token ids.", param="input"
            )
        texts = embedding_input(self.tokenizers, body.get("model"))
        fields = {**EMBEDDINGS_FIELDS, "input": within(Part.USER, texts)}
        doc = TokenDocument(body)
        check_fields(Scan(doc, policy), (), body, fields)
        return doc

    def restore(self, body: Any, lookup: Lookup, count: RestoreCount) -> Any:
        if isinstance(body, dict) and isinstance(body.get("data"), list):
            rest = restore_json({k: v for k, v in body.items() if k != "data"}, lookup, count)
            return {k: body[k] if k == "data" else rest[k] for k in body}
        return restore_json(body, lookup, count)

    def usage(self, body: Any) -> Usage:
        return openai_usage(body)
