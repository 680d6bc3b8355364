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

Where a value goes back depends on what kind of text holds it (`TextKind`). In prose it goes
back exactly as written. In JSON text (tool-call arguments; an answer the app asked to be JSON,
or one the model wrote as JSON unasked) a placeholder sits inside a string literal, so the value
goes back JSON-escaped: ``Jean "Jeannot" Dupont`` or a two-line address would otherwise end the
string and break the document the app parses. Every such text goes through the same `Restorer`
with the same escape; the endpoint decides per request which kind each text is:

1. **Asked for JSON** (`TextKind.JSON`: Chat ``response_format`` json_schema/json_object,
   Responses ``text.format``, Anthropic ``output_config.format``): values are JSON-escaped,
   streamed or not.
2. **Not asked** (`TextKind.SNIFF`): a whole answer is JSON text if it parses as JSON before
   restoration. That test is exact: a placeholder is not a JSON value, so in a text that
   parses every placeholder sits inside a string literal (or is one), and JSON-escaped values
   keep it valid. A stream cannot wait for its end, so it is judged by how it starts
   (`json_start`): an object (``{``), or an array whose first element is an object, an array or
   a string (``[{``, ``[[``, ``["``), whitespace aside. A bare ``[`` is not enough: answers start
   with Markdown links (``[Jean Dupont](mailto:…)``) and citations (``[1]``), where escaping
   would write ``\\n`` into prose; an array of numbers holds no placeholder anyway. Everything
   that belongs to one stream (its deltas and the whole texts its events repeat) is judged by
   the same rule, so the pieces the app accumulates and the final text agree.
3. A placeholder that the model put *outside* a string literal (``{"n": <PERSON_x>}``) made
   the text invalid JSON before restoration; in JSON text it still gets the escaped value, and
   nothing can make that document valid. JSON wrapped in prose or a Markdown fence is not JSON
   text by these rules, and gets values as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from enum import Enum
from typing import TypeAlias

from proxy.placeholders import MAX_TOKEN_LENGTH, TOKEN_PATTERN, could_start_token
from proxy.surrogates import SurrogateIndex

__all__ = [
    "Escape",
    "Known",
    "Lookup",
    "Restorer",
    "SniffingRestorer",
    "TextKind",
    "escape_for",
    "identity",
    "json_start",
    "json_string_escape",
    "restore_text",
    "restorer_for",
]

Lookup: TypeAlias = Callable[[str], str | None]
"""token -> original value, or None for a token this request never minted (`Vault.value_of`)."""
Escape: TypeAlias = Callable[[str], str]
"""How a restored value is written where its placeholder was (`identity`, `json_string_escape`)."""


class Known:
    """A `Lookup` that also carries the surrogates a request may restore (the `fake` action,
    `proxy.surrogates`): what `proxy.exchange.Scanned.lookup` gives the restorers. A plain
    lookup restores placeholders only; every entry point below accepts either."""

    def __init__(self, tokens: Lookup, surrogates: SurrogateIndex) -> None:
        self._tokens = tokens
        self.surrogates = surrogates

    def __call__(self, token: str) -> str | None:
        return self._tokens(token)


def _surrogates_of(lookup: Lookup) -> SurrogateIndex | None:
    if isinstance(lookup, Known) and lookup.surrogates:
        return lookup.surrogates
    return None


class TextKind(Enum):
    """What kind of text a placeholder sits in, which decides how its value goes back."""

    PLAIN = "plain"
    """Prose: values as written."""
    JSON = "json"
    """JSON text: values JSON-escaped (tool-call arguments, answers asked to be JSON)."""
    SNIFF = "sniff"
    """Not known in advance: JSON text if it looks like JSON (see the module's rule 2)."""


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


_JSON_WHITESPACE = frozenset(" \t\n\r")
_ARRAY_OF_TEXT = frozenset('{["]')  # after "[": what starts an element that may hold text


def _sniff(text: str, bracket: bool) -> tuple[bool | None, bool]:
    """Read `text`, the continuation of a stream's start, for `json_start`: ``(decision,
    bracket)`` where `bracket` says that the start so far is whitespace and one ``[``."""
    for char in text:
        if char in _JSON_WHITESPACE:
            continue
        if bracket:
            return char in _ARRAY_OF_TEXT, True
        if char == "[":
            bracket = True
            continue
        return char == "{", False
    return None, bracket


def json_start(text: str) -> bool | None:
    """Whether a stream that starts with `text` is taken for JSON text (the module's rule 2):
    True for ``{``, ``[{``, ``[[``, ``["`` or ``[]`` after whitespace, False for any other
    start, None while `text` is only whitespace, perhaps with one ``[``."""
    return _sniff(text, False)[0]


def _parses_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def escape_for(kind: TextKind, text: str, *, streamed: bool) -> Escape:
    """The escape for the placeholders of a whole `text` of `kind`. A SNIFF text is JSON if it
    parses as JSON or, for a text that is part of a stream (`streamed`), if it starts like
    JSON, as the stream's deltas were judged (the module's rule 2)."""
    if kind is TextKind.JSON:
        return json_string_escape
    if kind is TextKind.SNIFF and "<" in text:
        is_json = json_start(text) is True if streamed else _parses_as_json(text)
        return json_string_escape if is_json else identity
    return identity


def restore_text(text: str, lookup: Lookup, escape: Escape = identity) -> tuple[str, int, int]:
    """Restore a whole text at once: ``(restored text, tokens restored, tokens unresolved)``.

    Used for non-streamed answers, where the text is complete; one regex pass does it.
    Unresolved tokens (well-formed, but not minted for this request) are left as they are:
    restoring them from anywhere else could put someone else's data in this answer.
    With surrogates, the streaming restorer's own scan does it, at the end of its stream, so
    that both entry points find exactly the same surrogates.
    """
    if _surrogates_of(lookup) is not None:
        whole = Restorer(lookup, escape)
        text = whole.finish_with(text)
        return text, whole.restored, whole.unresolved
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

    def __init__(self, lookup: Lookup, escape: Escape = identity) -> None:
        self._lookup = lookup
        self._escape = escape
        self._held = ""
        self._surrogates = _surrogates_of(lookup)
        self._before = ""  # the character the provider sent just before what is held
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
        if not self._held and self._surrogates is None and "<" not in fragment:
            return fragment  # the common case: no token can start in it, nothing was held
        text = self._held + fragment
        self._held = ""
        if self._surrogates is not None:
            return self._scan(text, self._surrogates, final=False)
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
        """End of stream: release what was held, unchanged (it never became a token), or,
        with surrogates, restored (a surrogate at the very end waited for a next character
        that will not come)."""
        held, self._held = self._held, ""
        if self._surrogates is not None:
            return self._scan(held, self._surrogates, final=True)
        return held

    def finish_with(self, fragment: str) -> str:
        """The last fragment and the end of stream at once: `feed` then `flush`."""
        return self.feed(fragment) + self.flush()

    def _scan(self, text: str, surrogates: SurrogateIndex, *, final: bool) -> str:
        """`feed` with surrogates: placeholders and surrogates replaced up to where one of
        them could still be forming, which is held (bounded by the token grammar and by
        `SurrogateIndex.longest`)."""
        hold = len(text)
        if not final:
            lt = text.rfind("<")
            if lt != -1 and len(text) - lt < MAX_TOKEN_LENGTH and could_start_token(text[lt:]):
                hold = lt
            forming = surrogates.hold_from(text, self._before)
            if forming is not None:
                hold = min(hold, forming)
        # The character before `text` decides whether a surrogate at its start is a word.
        offset = len(self._before)
        whole = self._before + text
        out: list[str] = []
        pos = offset
        end = offset + hold
        token = TOKEN_PATTERN.search(whole, pos, end)
        fake = surrogates.search(whole, pos, end)
        while token is not None or fake is not None:
            if fake is not None and (token is None or fake[0] < token.start()):
                start, stop, value = fake
                if stop > end:  # runs into what is held: hold it all
                    end = start
                    break
                out.append(whole[pos:start])
                out.append(self._escape(value))
                self.restored += 1
                pos = stop
                fake = surrogates.search(whole, pos, end)
                if token is not None and token.start() < pos:
                    token = TOKEN_PATTERN.search(whole, pos, end)
            elif token is not None:
                out.append(whole[pos : token.start()])
                out.append(self._resolve(token.group()))
                pos = token.end()
                token = TOKEN_PATTERN.search(whole, pos, end)
                if fake is not None and fake[0] < pos:
                    fake = surrogates.search(whole, pos, end)
        out.append(whole[pos:end])
        self._held = whole[end:]
        if end > offset:
            self._before = whole[end - 1]
        return "".join(out)

    def _resolve(self, token: str) -> str:
        value = self._lookup(token)
        if value is None:
            self.unresolved += 1
            return token
        self.restored += 1
        return self._escape(value)


class SniffingRestorer(Restorer):
    """A `Restorer` for a stream whose kind is not known in advance (`TextKind.SNIFF`): it
    takes the stream for JSON text, and JSON-escapes values, if it starts like JSON
    (`json_start`).

    Nothing is held for the decision: until it is made the stream has carried only whitespace
    and perhaps one ``[``, which hold no placeholder, and the character that decides comes
    before any placeholder (a ``<`` decides "not JSON" itself).
    """

    def __init__(self, lookup: Lookup) -> None:
        super().__init__(lookup)
        self._decided = False
        self._bracket = False

    @property
    def is_json(self) -> bool | None:
        """What the stream was taken for, None until its start decides it."""
        return (self._escape is json_string_escape) if self._decided else None

    def feed(self, fragment: str) -> str:
        if not self._decided:
            decision, self._bracket = _sniff(fragment, self._bracket)
            if decision is not None:
                self._decided = True
                self._escape = json_string_escape if decision else identity
        return super().feed(fragment)


def restorer_for(lookup: Lookup, kind: TextKind) -> Restorer:
    """The restorer of one text stream of `kind`."""
    if kind is TextKind.SNIFF:
        return SniffingRestorer(lookup)
    return Restorer(lookup, json_string_escape if kind is TextKind.JSON else identity)
