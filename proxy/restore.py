"""Putting original values back in place of placeholders, for whole texts and for streams.

Streaming is the hard case. A provider cuts its answer wherever its tokenizer does, so a
placeholder routinely arrives in pieces (``"Hi <PER"`` then ``"SON_k3x9qa>!"``). Restoring
chunk by chunk misses those; buffering the whole answer ruins time to first token. The
`Restorer` does neither: it releases everything at once except a suffix that could still
grow into a placeholder, which the grammar in `proxy.placeholders` bounds to
``MAX_TOKEN_LENGTH - 1`` characters. Plain text, and any ``<`` that cannot begin a token
(``a < b``, ``<div>``), goes out in the same call it came in.

Both entry points find exactly the same tokens. Every token starts with ``<``, ends at the
first ``>`` and contains no other ``<``, so tokens never overlap and "the token starting at
this ``<``" is well defined: ``<PERSON_abcdefg>`` holds no token, ``<<PERSON_abcdef>>`` holds
one (the outer brackets are the model's own text and are kept), and ``<PERSON_1>`` is not a
placeholder at all. Restored values are never scanned again, so a client's own
placeholder-looking text, masked under ``VOILE_LITERAL``, comes back as text and nothing more.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TypeAlias

from proxy.placeholders import MAX_TOKEN_LENGTH, TOKEN_PATTERN, could_start_token

__all__ = ["Lookup", "Restorer", "identity", "json_string_escape", "restore_text"]

Lookup: TypeAlias = Callable[[str], str | None]
"""token -> original value, or None for a token this request never minted (`Vault.value_of`)."""


def identity(value: str) -> str:
    """The escape for plain text: the value goes back exactly as it was written."""
    return value


def json_string_escape(value: str) -> str:
    """`value` as it must appear *inside* a JSON string literal, without the quotes.

    Tool-call arguments are JSON text and a placeholder in them sits inside a string literal,
    so a value carrying ``"`` or ``\\`` (``O"Brien``, ``C:\\Users``) would otherwise break the
    arguments the app parses. Non-ASCII stays as is, as the model itself writes it.
    """
    return json.dumps(value, ensure_ascii=False)[1:-1]


def restore_text(
    text: str, lookup: Lookup, escape: Callable[[str], str] = identity
) -> tuple[str, int, int]:
    """Restore a whole text at once: ``(restored text, tokens restored, tokens unresolved)``.

    Used for non-streamed answers, where the text is complete; one regex pass does it.
    Unresolved tokens (well-formed, but not minted for this request) are left as they are:
    restoring them from anywhere else could put someone else's data in this answer.
    """
    restored = unresolved = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal restored, unresolved
        value = lookup(match.group())
        if value is None:
            unresolved += 1
            return match.group()
        restored += 1
        return escape(value)

    return TOKEN_PATTERN.sub(replace, text), restored, unresolved


class Restorer:
    """Incremental restoration of one text stream (one message's text, one tool call's
    arguments): `feed` each fragment as it arrives, `flush` at the end.

    One instance per stream, because what is held back belongs to the text it was cut from:
    sharing one across, say, two content blocks would glue the end of one to the start of
    the other. The work per call is proportional to the fragment plus what was held, never to
    what was already released.
    """

    def __init__(self, lookup: Lookup, escape: Callable[[str], str] = identity) -> None:
        self._lookup = lookup
        self._escape = escape
        self._held = ""
        self.restored = 0
        """Tokens replaced by their value so far."""
        self.unresolved = 0
        """Well-formed tokens that `lookup` did not know, released unchanged."""

    @property
    def pending(self) -> str:
        """What is held back now: a proper prefix of a token, shorter than MAX_TOKEN_LENGTH."""
        return self._held

    def feed(self, fragment: str) -> str:
        """Take the next fragment; return the text that can be released now, restored."""
        text = self._held + fragment
        self._held = ""
        out: list[str] = []
        pos = 0
        end = len(text)
        while (lt := text.find("<", pos)) != -1:
            out.append(text[pos:lt])
            match = TOKEN_PATTERN.match(text, lt)
            if match is not None:
                out.append(self._resolve(match.group()))
                pos = match.end()
            elif end - lt < MAX_TOKEN_LENGTH and could_start_token(text[lt:]):
                self._held = text[lt:]  # may still become a token: wait for the next fragment
                pos = end
                break
            else:
                out.append("<")  # no token can start here; the next "<" is the next candidate
                pos = lt + 1
        out.append(text[pos:])
        return "".join(out)

    def flush(self) -> str:
        """End of stream: release what was held, unchanged (it never became a token)."""
        held, self._held = self._held, ""
        return held

    def _resolve(self, token: str) -> str:
        value = self._lookup(token)
        if value is None:
            self.unresolved += 1
            return token
        self.restored += 1
        return self._escape(value)
