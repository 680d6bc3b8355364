"""Policy-level recognizers: what a security team adds in its policy YAML.

    recognizers:
      - entity: CUSTOMER_ID                 # a new entity type, rules can name it
        patterns: [{regex: 'CUST-\\d{6}', score: 0.6}]
        validator: luhn                     # none, luhn, mod97, iban
        context: [customer, client]         # phrases before a match that raise its score
      - entity: PROJECT_CODENAME
        deny_list: [Falcon, Nightingale]    # always found (score 1), whole words
    allow_list:                             # never masked: the company's own public data
      - Voile SAS
      - 12 rue de la Paix, 75002 Paris

The models here are validated when the policy is loaded (a bad regex is an error with the
file and line, like any policy error) and travel to the worker with each request as one frozen
object; the worker builds the Presidio recognizers once per policy version (`key`) and keeps
them. Matching runs on the normalised text, so `CUST-000123` written with full-width digits or
zero-width spaces is still found.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Self

import regex as re
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from proxy.detection.french_ids import luhn_is_valid

EntityName = Annotated[
    str,
    Field(
        pattern=r"^[A-Z][A-Z0-9_]{1,49}$",
        description="Entity type: capitals, digits and underscores, e.g. CUSTOMER_ID.",
    ),
]
Score = Annotated[float, Field(ge=0.0, le=1.0)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _digits_and_letters(value: str) -> str:
    return str(re.sub(r"[^0-9A-Za-z]", "", value)).upper()


def _mod97(value: str) -> bool:
    """ISO 7064 mod 97-10 (IBAN, LEI, many national ids): the number mod 97 is 1."""
    compact = _digits_and_letters(value)
    if not compact:
        return False
    digits = "".join(str(int(char, 36)) for char in compact)
    return int(digits) % 97 == 1


def _iban(value: str) -> bool:
    compact = _digits_and_letters(value)
    return len(compact) > 4 and _mod97(compact[4:] + compact[:4])


class Validator(StrEnum):
    NONE = "none"  # the pattern's score stands
    LUHN = "luhn"  # mod 10 over the digits (cards, SIREN, many customer numbers)
    MOD97 = "mod97"  # ISO 7064 mod 97-10 over digits and letters
    IBAN = "iban"  # IBAN rule: first four characters moved to the end, then mod 97


VALIDATORS: dict[Validator, Callable[[str], bool]] = {
    Validator.LUHN: lambda value: luhn_is_valid(re.sub(r"\D", "", value)),
    Validator.MOD97: _mod97,
    Validator.IBAN: _iban,
}


class CustomPattern(_Frozen):
    regex: str = Field(description="A regular expression (Python `regex` syntax).")
    score: Score = Field(default=0.6, description="Score of a match (before context words).")

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            compiled = re.compile(value)
        except re.error as exc:
            where = f" at position {exc.pos}" if exc.pos is not None else ""
            raise ValueError(f"invalid regular expression: {exc.msg}{where}") from None
        if compiled.fullmatch("") is not None:
            raise ValueError("the regular expression matches the empty string")
        return value


class CustomRecognizer(_Frozen):
    entity: EntityName
    patterns: tuple[CustomPattern, ...] = ()
    deny_list: tuple[str, ...] = Field(
        default=(), description="Values always found as this entity (whole words)."
    )
    validator: Validator = Field(
        default=Validator.NONE,
        description="Check a pattern match must pass; a match that passes scores 1.",
    )
    context: tuple[str, ...] = Field(
        default=(), description="Phrases that, shortly before a match, raise its score by 0.35."
    )
    case_sensitive: bool = False

    @field_validator("deny_list", "context")
    @classmethod
    def _no_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not item.strip() for item in value):
            raise ValueError("entries must not be blank")
        return value

    @model_validator(mode="after")
    def _something_to_find(self) -> Self:
        if not self.patterns and not self.deny_list:
            raise ValueError(f"recognizer for {self.entity} needs 'patterns' or 'deny_list'")
        if self.validator is not Validator.NONE and not self.patterns:
            raise ValueError("'validator' applies to 'patterns', and there are none")
        return self


class PolicyDetection(_Frozen):
    """A policy's own recognizers and allow-list, as sent to the detection workers."""

    recognizers: tuple[CustomRecognizer, ...] = ()
    allow_list: tuple[str, ...] = ()

    @cached_property
    def key(self) -> str:
        """Identifies this content: workers build its recognizers once per key."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    @property
    def entities(self) -> frozenset[str]:
        return frozenset(recognizer.entity for recognizer in self.recognizers)

    @property
    def empty(self) -> bool:
        return not self.recognizers and not self.allow_list


# --- worker side ---------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+")


def tokens(text: str, *, case_sensitive: bool) -> list[tuple[str, int, int]]:
    """(word, start, end) for every run of word characters, case-folded unless told not to."""
    return [
        (m.group() if case_sensitive else m.group().casefold(), m.start(), m.end())
        for m in _TOKEN.finditer(text)
    ]


class DenyList:
    """Finds listed values as whole words, ignoring what separates their words: a token trie
    walk, linear in the text whatever the length of the list (10,000 customer numbers cost
    no more than ten)."""

    def __init__(self, values: Sequence[str], *, case_sensitive: bool) -> None:
        self.case_sensitive = case_sensitive
        self._entries: dict[str, list[tuple[str, ...]]] = {}
        for value in values:
            words = tuple(word for word, _, _ in tokens(value, case_sensitive=case_sensitive))
            if words:
                self._entries.setdefault(words[0], []).append(words)
        for entries in self._entries.values():
            entries.sort(key=len, reverse=True)  # longest first: "Falcon Two" over "Falcon"

    def spans(self, text: str) -> list[tuple[int, int]]:
        words = tokens(text, case_sensitive=self.case_sensitive)
        found = []
        index = 0
        while index < len(words):
            for entry in self._entries.get(words[index][0], ()):
                end = index + len(entry)
                if tuple(word for word, _, _ in words[index:end]) == entry:
                    found.append((words[index][1], words[end - 1][2]))
                    index = end - 1
                    break
            index += 1
        return found


class AllowList:
    """Spans of the text that are allowed values (case-insensitive, any whitespace)."""

    def __init__(self, values: Sequence[str]) -> None:
        alternatives = sorted(
            {
                r"\s+".join(re.escape(word) for word in value.split())
                for value in values
                if value.split()
            },
            key=len,
            reverse=True,
        )
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)
            if alternatives
            else None
        )

    def spans(self, text: str, timeout: float) -> list[tuple[int, int]]:
        if self._pattern is None:
            return []
        return [m.span() for m in self._pattern.finditer(text, timeout=timeout)]
