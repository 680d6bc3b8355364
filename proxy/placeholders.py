"""Placeholder tokens: their grammar, how they are minted, and the per-request vault.

A placeholder looks like ``<PERSON_k3x9qa>``: an entity type in capitals, an underscore and a
six-character id, between angle brackets. The closing bracket is what makes ``<PERSON_1>``
impossible to confuse with a longer token, and the fixed-length id keeps the grammar small
enough for a streaming restorer to know, character by character, whether what it holds could
still become a placeholder.

The id is a keyed hash (HMAC-SHA256) of the entity type and the exact value, under a secret of
the app. That is what gives "same value, same token" in every message of a request *and* in
every turn of a conversation without any server-side session: the client resends its history,
Voile masks it again and gets the same tokens, so the provider sees a consistent conversation
(and its prompt cache keeps working). Values differing only in case get different tokens, so
each occurrence is restored exactly as it was written. The price is linkability: the provider
can tell that the same (unknown) value recurs across requests of the same app; see
THREAT_MODEL.md.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from proxy.faking import SurrogateBook

ID_LENGTH = 6
ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # 32 symbols, no 0/o/1/l look-alikes
MAX_TYPE_LENGTH = 40
MAX_TOKEN_LENGTH = 1 + MAX_TYPE_LENGTH + 1 + ID_LENGTH + 1

_TYPE = rf"[A-Z][A-Z0-9_]{{0,{MAX_TYPE_LENGTH - 1}}}"
_ID = f"[{ID_ALPHABET}]{{{ID_LENGTH}}}"
TOKEN_PATTERN = re.compile(rf"<({_TYPE})_({_ID})>")
_TYPE_ONLY = re.compile(_TYPE)
_PROPER_PREFIX = re.compile(rf"<(?:{_TYPE}(?:_[{ID_ALPHABET}]{{0,{ID_LENGTH}}})?)?")

# The entity type under which placeholder-looking text sent by a client is itself masked,
# so that it is restored to exactly what the client wrote and never to someone's data.
LITERAL_TYPE = "VOILE_LITERAL"


def could_start_token(text: str) -> bool:
    """True if `text` is a proper prefix of some well-formed token.

    This is the streaming restorer's hold-back rule: text for which this is False can be
    released at once, so at most `MAX_TOKEN_LENGTH - 1` characters are ever held.
    """
    return _PROPER_PREFIX.fullmatch(text) is not None


def keyed_digest(secret: bytes, *parts: str) -> bytes:
    """HMAC-SHA256 under `secret` of `parts` joined by NUL: what placeholder ids and the
    seeds of surrogates (`proxy.faking`) are drawn from."""
    return hmac.new(secret, "\x00".join(parts).encode(), hashlib.sha256).digest()


def mint_id(secret: bytes, entity_type: str, value: str, attempt: int = 0) -> str:
    """A stable id for (type, value) under `secret`; `attempt` resolves rare collisions."""
    digest = keyed_digest(secret, entity_type, value, str(attempt))
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(ID_LENGTH):
        number, index = divmod(number, len(ID_ALPHABET))
        chars.append(ID_ALPHABET[index])
    return "".join(chars)


@dataclass
class Vault:
    """The placeholders minted for one request: token -> original value, and back.

    One vault per request, never shared: restoration can only ever produce values that this
    request itself carried.
    """

    secret: bytes
    _by_token: dict[str, str] = field(default_factory=dict)
    _by_value: dict[tuple[str, str], str] = field(default_factory=dict)
    _types: dict[str, str] = field(default_factory=dict)
    # The `fake` action's surrogates (`proxy.faking`), created on first use.
    _book: SurrogateBook | None = None
    _texts: tuple[str, ...] = ()

    def token_for(self, entity_type: str, value: str) -> str:
        """The token for this exact value; the same call always returns the same token."""
        if _TYPE_ONLY.fullmatch(entity_type) is None:
            # A type outside the grammar would mint a token the restorer cannot see, and the
            # app would get the placeholder instead of its data.
            raise ValueError(f"entity type {entity_type!r} does not fit the placeholder grammar")
        key = (entity_type, value)
        known = self._by_value.get(key)
        if known is not None:
            return known
        attempt = 0
        while True:
            token = f"<{entity_type}_{mint_id(self.secret, entity_type, value, attempt)}>"
            if token not in self._by_token:
                break
            attempt += 1  # two different values hashed alike in this request: try the next id
        self._by_token[token] = value
        self._by_value[key] = token
        self._types[token] = entity_type
        return token

    def observe(self, texts: Iterable[str]) -> None:
        """The request's texts, which no surrogate may occur in (`proxy.faking`)."""
        self._texts = (*self._texts, *texts)
        if self._book is not None:
            self._book.observe(texts)

    def surrogate_for(self, entity_type: str, value: str, language: str) -> str:
        """A surrogate for this exact value (the `fake` action), the same on every call; a
        placeholder when no plausible surrogate can be minted (`proxy.faking`)."""
        key = (entity_type, value)
        known = self._by_value.get(key)
        if known is not None:
            return known
        if self._book is None:
            # Imported here: it imports this module, and loads Faker only for policies that fake.
            from proxy.faking import SurrogateBook  # noqa: PLC0415

            self._book = SurrogateBook(self.secret)
            self._book.observe(self._texts)
        surrogate = self._book.mint(entity_type, value, language)
        if surrogate is None:
            return self.token_for(entity_type, value)
        self._by_value[key] = surrogate
        self._types[surrogate] = entity_type
        return surrogate

    def surrogates(self) -> dict[str, str]:
        """surrogate -> value, name parts included (`proxy.faking`, decision 4)."""
        return dict(self._book.entries) if self._book is not None else {}

    def value_of(self, token: str) -> str | None:
        return self._by_token.get(token)

    def type_of(self, token_or_surrogate: str) -> str | None:
        """The entity type of a token or surrogate minted here (None for a name part)."""
        return self._types.get(token_or_surrogate)

    def __contains__(self, token: object) -> bool:
        return token in self._by_token

    def __len__(self) -> int:
        return len(self._types)

    def entity_map(self) -> dict[str, str]:
        """token or surrogate -> value, for the encrypted audit payload and the conversation
        vault only."""
        return {**self.surrogates(), **self._by_token}

    def counts_by_type(self) -> dict[str, int]:
        """Distinct values per entity type (what logs and audit metadata may carry)."""
        counts: dict[str, int] = {}
        for entity_type in self._types.values():
            counts[entity_type] = counts.get(entity_type, 0) + 1
        return counts
