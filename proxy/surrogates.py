"""Surrogates (the `fake` action): the forms of a surrogate that restoration recognises, and
the index that finds them in an answer.

A placeholder has a grammar of its own (`proxy.placeholders`); a surrogate is ordinary text
("Paul Martin", "paul.martin@example.org", "FR76 1027 8060 …"), so what makes it findable is
the list of surrogates this request (and the provider-held conversation it continues) minted,
and the forms a model writes them in. The decisions:

1. **Only minted surrogates**, as whole words: a surrogate is found where no letter, digit or
   ``_`` touches it on either side ("Martin" is not inside "Martinez"), never inside another
   word. `proxy.faking` guarantees that no surrogate (nor any of its forms) occurs in the
   request's own texts and that no two values share a form, so a form found in an answer
   can only be the provider's echo of one value.
2. **Forms, from the surrogate's shape alone** (so the conversation vault, which stores
   surrogate -> value like token -> value, needs no more than that to restore):
   a. a *proper noun* (one word of letters: a name part, a city) matches as written, in
      capitals, and with a genitive ``s`` ("Martin", "MARTIN", "Martins" -> "Dupont",
      "DUPONT", "Duponts"); never in lower case, where it would be a common word ("pierre",
      "rose"). A possessive ("Martin's") needs nothing: the apostrophe ends the word.
   b. *identifiers* (mostly digits, cut by spaces, dots, dashes, brackets: phones, IBANs,
      cards, numeric dates) match however they are regrouped ("FR76 1027…", "FR761027…"),
      with at most two separator characters between two of their characters; the value
      goes back in the layout (and, for letters, the case) the model used, which
      `proxy.faking` makes possible by giving each surrogate the value's own layout.
   c. *anything else* (several words, e-mail addresses, dates) matches in any case; the
      value goes back with the case the model used, word by word ("PAUL MARTIN" ->
      "JEAN DUPONT").
   d. each of these also without accents ("Edouard" for "Édouard"), as models writing
      ASCII do; the value then goes back without its accents too. And the surrogate as
      JSON writes it ASCII-only ("Cl\\u00e9ment"), for tool-call arguments.
   Forms longer at the same place win ("Paul Martin" over "Paul").
3. **Bounded hold-back while streaming**: `SurrogateIndex.hold_from` says from where the end
   of a fragment could still become a surrogate (or needs its next character to know), so a
   streaming restorer holds at most `SurrogateIndex.longest` characters, and only when they
   begin like a surrogate.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any

from proxy.placeholders import TOKEN_PATTERN

# What may separate two characters of an identifier the model regroups (decision 2b).
SEPARATORS = " .-/()\u00a0\u202f"
_SEP_CLASS = "[" + re.escape(SEPARATORS) + "]"
_MAX_SEPARATORS = 2
_PROPER = re.compile("[^\\W\\d_]+(?:['\u2019-][^\\W\\d_]+)*")
_IDENTIFIER = re.compile(r"[(+]*[^\W_]+(?:[" + re.escape(SEPARATORS) + r"]+[^\W_]+)+")
_WORD = re.compile(r"\w+")


class FormKind(Enum):
    PROPER = "proper"  # decision 2a: case-sensitive, fixed forms
    IDENTIFIER = "identifier"  # decision 2b: regrouped freely
    TEXT = "text"  # decision 2c: any case


def is_word_char(char: str) -> bool:
    """Word characters as regular expressions (``\\w``) and masking see them."""
    return char.isalnum() or char == "_"


def form_kind(surrogate: str) -> FormKind:
    if _PROPER.fullmatch(surrogate):
        return FormKind.PROPER
    digits = sum(c.isdigit() for c in surrogate)
    if (
        _IDENTIFIER.fullmatch(surrogate)
        and digits >= 6
        and 2 * digits >= len(_significant(surrogate))
    ):
        return FormKind.IDENTIFIER
    return FormKind.TEXT


def _significant(text: str) -> str:
    """An identifier's characters without its separators, lower-cased."""
    return "".join(c for c in text.lower() if c.isalnum() or c == "+")


def _genitive(word: str) -> bool:
    return not word.lower().endswith(("s", "x", "z"))


@dataclass(frozen=True)
class Form:
    """One way a surrogate may appear in an answer, and what goes back in its place."""

    kind: FormKind
    text: str  # PROPER: the exact form; otherwise the surrogate as minted
    value: str  # the value that goes back for `text`

    @cached_property
    def pattern(self) -> str:
        if self.kind is FormKind.PROPER:
            return re.escape(self.text)
        if self.kind is FormKind.TEXT:
            return "(?i:" + re.escape(self.text) + ")"
        chars = _significant(self.text)
        gap = f"{_SEP_CLASS}{{0,{_MAX_SEPARATORS}}}"
        return "(?i:" + gap.join(re.escape(c) for c in chars) + ")"

    @cached_property
    def longest(self) -> int:
        """The longest text this form matches."""
        if self.kind is FormKind.IDENTIFIER:
            n = len(_significant(self.text))
            return n + (n - 1) * _MAX_SEPARATORS
        return len(self.text)

    def restore(self, matched: str) -> str:
        """The value for `matched`, a text this form matched."""
        if matched == self.text or self.kind is FormKind.PROPER:
            return self.value
        if self.kind is FormKind.IDENTIFIER:
            return _in_layout(matched, self.value)
        return _in_case(matched, self.text, self.value)

    def could_grow(self, tail: str) -> bool:
        """Whether `tail`, the end of what a stream has carried so far, may be the start of
        this form, or the whole of it waiting for the next character (which decides whether
        a word goes on)."""
        if self.kind is FormKind.PROPER:
            return self.text.startswith(tail)
        if self.kind is FormKind.TEXT:
            return len(tail) <= len(self.text) and self.text[: len(tail)].lower() == tail.lower()
        return _identifier_prefix(tail, _significant(self.text))


def _identifier_prefix(tail: str, chars: str) -> bool:
    matched, gap = 0, 0
    for char in tail.lower():
        if char in SEPARATORS:
            gap += 1
            if matched == 0 or gap > _MAX_SEPARATORS:
                return False
            continue
        if matched >= len(chars) or char != chars[matched]:
            return False
        matched, gap = matched + 1, 0
    return True


def _in_layout(matched: str, value: str) -> str:
    """`value`'s characters in the layout of `matched` (same number of characters), else
    `value` as it was written."""
    chars = [c for c in value if c.isalnum() or c == "+"]
    if len(chars) != len(_significant(matched)):
        return value
    if matched.islower():
        chars = [c.lower() for c in chars]
    it = iter(chars)
    return "".join(next(it) if (c.isalnum() or c == "+") else c for c in matched)


def _in_case(matched: str, surrogate: str, value: str) -> str:
    """`value` with the case the model gave `surrogate` in `matched`, word by word when both
    have as many words, else as a whole."""
    if matched.isupper():
        return value.upper()
    if matched.islower():
        return value.lower()
    got, words = _WORD.findall(matched), list(_WORD.finditer(value))
    if len(got) != len(words):
        return value
    pieces, cursor = [], 0
    for word, match in zip(got, words, strict=True):
        pieces.append(value[cursor : match.start()])
        written = match.group()
        if word.isupper() and len(word) > 1:
            written = written.upper()
        elif word.islower():
            written = written.lower()
        pieces.append(written)
        cursor = match.end()
    pieces.append(value[cursor:])
    return "".join(pieces)


def without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def forms_of(surrogate: str, value: str) -> list[Form]:
    """Every form of `surrogate` that restoration recognises (decision 2), and of the
    surrogate without its accents (the value then goes back without its own)."""
    plain = without_accents(surrogate)
    forms = _forms_of(surrogate, value)
    if plain != surrogate:
        forms += _forms_of(plain, without_accents(value))
    escaped = json.dumps(surrogate)[1:-1]
    if escaped != surrogate:  # in JSON text written ASCII-only: "Cl\u00e9ment"
        forms.append(Form(FormKind.TEXT, escaped, value))
    return forms


def _forms_of(surrogate: str, value: str) -> list[Form]:
    kind = form_kind(surrogate)
    if kind is not FormKind.PROPER:
        return [Form(kind, surrogate, value)]
    forms = [Form(kind, surrogate, value)]
    if surrogate.upper() != surrogate:
        forms.append(Form(kind, surrogate.upper(), value.upper()))
    if _genitive(surrogate):
        forms.append(Form(kind, surrogate + "s", value + "s"))
        forms.append(Form(kind, surrogate.upper() + "S", value.upper() + "S"))
    return forms


_GAP = "\x00"  # in a trie token: up to _MAX_SEPARATORS separators, then the character


def _tokens(form: Form) -> list[str]:
    """A form as the finder's trie reads it: its characters, lower-cased; an identifier's
    significant characters, each after the first preceded by an optional gap."""
    if form.kind is not FormKind.IDENTIFIER:
        return list(form.text.lower())
    chars = _significant(form.text)
    return [chars[0], *(_GAP + c for c in chars[1:])]


def _render(node: dict[str, Any]) -> str:
    """A trie of tokens as a regular expression, each branch tried once per place."""
    branches = []
    for token, child in node.items():
        if not token:
            continue
        if token.startswith(_GAP):
            piece = f"{_SEP_CLASS}{{0,{_MAX_SEPARATORS}}}{re.escape(token[1:])}"
        else:
            piece = re.escape(token)
        branches.append(piece + _render(child))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body  # a form may end here, or go on


def form_keys(surrogate: str) -> list[str]:
    """What two surrogates must not share (case-folded forms; identifiers without their
    separators), so that a form found in an answer names one value."""
    kind = form_kind(surrogate)
    if kind is FormKind.IDENTIFIER:
        return [_significant(surrogate)]
    keys = [surrogate.casefold()]
    if kind is FormKind.PROPER and _genitive(surrogate):
        keys.append((surrogate + "s").casefold())
    plain = without_accents(surrogate)
    return keys if plain == surrogate else [*keys, *form_keys(plain)]


def surrogate_entries(entries: Mapping[str, str]) -> dict[str, str]:
    """The surrogates among a request's or a conversation's entries (the others are tokens)."""
    return {key: value for key, value in entries.items() if not TOKEN_PATTERN.fullmatch(key)}


@dataclass
class SurrogateIndex:
    """The surrogates restoration may put values back for: their forms, one regular
    expression that finds them, and the hold-back rule for streams."""

    forms: list[Form] = field(default_factory=list)

    @classmethod
    def of(cls, *maps: Mapping[str, str]) -> SurrogateIndex:
        """The index of surrogate -> value `maps`; a later map wins over an earlier one (the
        request over the conversation it continues) for a form both have."""
        chosen: dict[str, Form] = {}
        for entries in maps:
            for surrogate, value in surrogate_entries(entries).items():
                for form in forms_of(surrogate, value):
                    chosen[form.text if form.kind is FormKind.PROPER else form.pattern] = form
        return cls(list(chosen.values()))

    def __bool__(self) -> bool:
        return bool(self.forms)

    @cached_property
    def longest(self) -> int:
        return max((form.longest for form in self.forms), default=0)

    @cached_property
    def _finder(self) -> re.Pattern[str]:
        """Where a form may start: every form, case-insensitive, in one trie-shaped pattern
        (an alternation of hundreds of forms would try each at every word; a trie tries
        one character per branch). It finds a superset; `search` checks each place."""
        trie: dict[str, Any] = {}
        for form in self.forms:
            node = trie
            for token in _tokens(form):
                node = node.setdefault(token, {})
            node[""] = {}
        return re.compile(rf"(?<!\w)(?:{_render(trie)})(?!\w)", re.IGNORECASE)

    @cached_property
    def _by_first(self) -> dict[str, list[tuple[Form, re.Pattern[str]]]]:
        """The forms by their first character, lower-cased, each with its own pattern."""
        table: dict[str, list[tuple[Form, re.Pattern[str]]]] = {}
        for form in self.forms:
            pattern = re.compile(rf"(?<!\w)(?:{form.pattern})(?!\w)")
            table.setdefault(_tokens(form)[0], []).append((form, pattern))
        return table

    @cached_property
    def _first_chars(self) -> frozenset[str]:
        return frozenset(c for first in self._by_first for c in (first, first.upper()))

    def search(self, text: str, pos: int, endpos: int) -> tuple[int, int, str] | None:
        """The first surrogate in `text` starting in [pos, endpos): ``(start, end, value)``,
        the longest form at that place (the form written exactly as matched, on a tie).
        `text` is whole: the characters around a match decide whether it is a whole word."""
        while (found := self._finder.search(text, pos)) is not None:
            start = found.start()
            if start >= endpos:
                return None
            best: tuple[int, bool, Form] | None = None
            for form, pattern in self._by_first.get(text[start].lower(), ()):
                match = pattern.match(text, start)
                if match is not None:
                    key = (match.end(), match.group() == form.text, form)
                    if best is None or key[:2] > best[:2]:
                        best = key
            if best is not None:
                end, _, form = best
                return start, end, form.restore(text[start:end])
            pos = start + 1  # a look-alike in another case ("perrin"): not a form
        return None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the forms are in a whole `text`, as ``(start, end)``."""
        found: list[tuple[int, int]] = []
        pos = 0
        while self.forms and (match := self.search(text, pos, len(text))) is not None:
            found.append(match[:2])
            pos = match[1]
        return found

    def hold_from(self, text: str, before: str) -> int | None:
        """The first place in `text` from which a surrogate could still be forming (see
        `Form.could_grow`), given that `before` is the character just before `text` ("" at
        the start of the stream); None if nothing needs holding."""
        first = max(0, len(text) - self.longest)
        for start in range(first, len(text)):
            if text[start] not in self._first_chars:
                continue
            previous = text[start - 1] if start else before
            if previous and is_word_char(previous):
                continue
            if self._could_grow(text[start:]):
                return start
        return None

    @cached_property
    def _prefixes(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """Every prefix of every form (complete forms included): as written (proper nouns),
        lower-cased (text), without separators (identifiers)."""
        exact: set[str] = set()
        folded: set[str] = set()
        compact: set[str] = set()
        for form in self.forms:
            if form.kind is FormKind.PROPER:
                target, text = exact, form.text
            elif form.kind is FormKind.TEXT:
                target, text = folded, form.text.lower()
            else:
                target, text = compact, _significant(form.text)
            target.update(text[:end] for end in range(1, len(text) + 1))
        return frozenset(exact), frozenset(folded), frozenset(compact)

    def _could_grow(self, tail: str) -> bool:
        """`Form.could_grow` for any form, by set lookups (a stream's every fragment asks)."""
        exact, folded, compact = self._prefixes
        if tail in exact or tail.lower() in folded:
            return True
        if not compact or tail[0] in SEPARATORS:
            return False
        significant: list[str] = []
        gap = 0
        for char in tail.lower():
            if char in SEPARATORS:
                gap += 1
                if gap > _MAX_SEPARATORS:
                    return False
            else:
                significant.append(char)
                gap = 0
        return "".join(significant) in compact


def all_forms(surrogates: Iterable[str]) -> set[str]:
    """Every form key of `surrogates` (for tests and the minting checks)."""
    return {key for surrogate in surrogates for key in form_keys(surrogate)}
