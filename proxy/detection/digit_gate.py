"""Skip a pattern that needs a run of N digits on a text that has no run that long.

Most identifier patterns (`national_ids.py`: a 9-digit SSN, a 12-digit Aadhaar, an 11-digit
ABN) cannot match a text whose longest run of digits is shorter than what the pattern itself
spells out, yet Presidio runs every one of them over every text (issue 13: a worker runs ~70
of them per piece of text). `min_digit_run` reads, from the regex's own syntax tree, a run
length that every match needs; `DigitGated` wraps the compiled regex and answers "no match"
without scanning when the text's longest run (`longest_digit_run`) is shorter.

Why it is exact (never skips a pattern that could match):
1. A "digit" in a pattern is a character class that only holds decimal digits (`[0-9]`,
   `\\d`, `7`, `[1-79]`), and a digit in the text is whatever `\\d` matches (Unicode decimal
   digits, as the `regex` module matches `\\d`): every pattern digit is a text digit. Case
   flags change no digit.
2. Every number computed is a lower bound, over all strings the node can match, of a run of
   consecutive pattern digits in the match: the digits a match must start and end with, and
   the longest run inside it. A concatenation adds the end of one part to the start of the
   next; an alternation takes the smallest of its branches; a repeat counts its minimum
   number of copies; a zero-width assertion (`\\b`, `(?<!\\d)`) consumes nothing, so the
   digits around it are still adjacent in the text. What the analysis does not know (a
   back-reference, a construct the parser has no name for) counts as a non-digit of unknown
   length, which only lowers the bounds. A positive lookahead or lookbehind must also match
   the text, so the run it needs is needed by the text too (India's PAN (Low) pattern needs
   four digits somewhere after the value).
3. A regex the standard parser cannot read gets no gate (0).
Hence a match needs a text run at least `min_digit_run(regex)` long, and a text without one
has no match: the gate returns what the regex would return, nothing.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import regex

_DIGIT_RUN = regex.compile(r"\d+")
_REPEAT_FOLD_LIMIT = 64  # copies of a repeated node folded one by one; more cannot matter
_ASCII_DIGITS = frozenset(range(ord("0"), ord("9") + 1))


class _Finder(Protocol):
    def finditer(self, text: str, timeout: float | None = None) -> Iterator[Any]: ...


@dataclass(frozen=True, slots=True)
class _Run:
    """Lower bounds over every string a node matches (module docstring, point 2)."""

    prefix: int  # digits every match starts with
    suffix: int  # digits every match ends with
    inner: int  # the longest run of digits in every match
    length: int  # the fewest characters a match has
    digits_only: bool  # every character of every match is a digit
    text: int = 0  # a run the text must have besides the match (lookarounds)


_EMPTY = _Run(0, 0, 0, 0, digits_only=True)
_OTHER = _Run(0, 0, 0, 0, digits_only=False)  # a non-digit of unknown length, or unknown
_DIGIT = _Run(1, 1, 1, 1, digits_only=True)


def _then(first: _Run, second: _Run) -> _Run:
    """`first` followed by `second`."""
    return _Run(
        prefix=first.length + second.prefix if first.digits_only else first.prefix,
        suffix=second.length + first.suffix if second.digits_only else second.suffix,
        inner=max(first.inner, second.inner, first.suffix + second.prefix),
        length=first.length + second.length,
        digits_only=first.digits_only and second.digits_only,
        text=max(first.text, second.text),
    )


def _either(branches: list[_Run]) -> _Run:
    """One of `branches`."""
    return _Run(
        prefix=min(b.prefix for b in branches),
        suffix=min(b.suffix for b in branches),
        inner=min(b.inner for b in branches),
        length=min(b.length for b in branches),
        digits_only=all(b.digits_only for b in branches),
        text=min(b.text for b in branches),
    )


def _sequence(nodes: Any) -> _Run:
    run = _EMPTY
    for op, arg in nodes:
        run = _then(run, _node(op, arg))
    return run


def _is_digit_class(items: list[tuple[Any, Any]]) -> bool:
    """Whether a character class (`IN` items) holds decimal digits only."""
    if not items:
        return False
    for op, arg in items:
        if op is sre.LITERAL and arg in _ASCII_DIGITS:
            continue
        if op is sre.RANGE and arg[0] in _ASCII_DIGITS and arg[1] in _ASCII_DIGITS:
            continue
        if op is sre.CATEGORY and arg is sre.CATEGORY_DIGIT:
            continue
        return False
    return True


def _node(op: Any, arg: Any) -> _Run:  # noqa: PLR0911 - one return per kind of node
    if op is sre.LITERAL:
        return _DIGIT if arg in _ASCII_DIGITS else _Run(0, 0, 0, 1, digits_only=False)
    if op is sre.IN:
        return _DIGIT if _is_digit_class(arg) else _Run(0, 0, 0, 1, digits_only=False)
    if op in (sre.NOT_LITERAL, sre.ANY):
        return _Run(0, 0, 0, 1, digits_only=False)
    if op is sre.SUBPATTERN:
        return _sequence(arg[-1])
    if op is sre.BRANCH:
        return _either([_sequence(branch) for branch in arg[1]])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _high, item = arg
        one = _sequence(item)
        if low == 0:
            return _Run(0, 0, 0, 0, digits_only=one.digits_only)
        run = one
        for _ in range(min(low, _REPEAT_FOLD_LIMIT) - 1):
            run = _then(run, one)
        return run
    if op is sre.ATOMIC_GROUP:
        return _sequence(arg)
    if op in (sre.AT, sre.ASSERT_NOT):
        return _EMPTY
    if op is sre.ASSERT:
        inside = _sequence(arg[1])
        return _Run(0, 0, 0, 0, digits_only=True, text=max(inside.inner, inside.text))
    return _OTHER


def min_digit_run(pattern: str) -> int:
    """A run of consecutive digits that a text needs for `pattern` to match in it (0 when
    the pattern needs none, or cannot be read; see the module docstring)."""
    # Case flags change no digit, and Python's parser refuses a global flag after the start.
    try:
        tree = sre_parse.parse(pattern.replace("(?i)", ""))
    except re.error:
        return 0
    run = _sequence(tree)
    return max(run.inner, run.text)


@lru_cache(maxsize=8)
def longest_digit_run(text: str) -> int:
    """The longest run of `\\d` digits in `text` (kept for the last texts: every gated
    pattern of every recognizer asks it about the same one)."""
    return max(map(len, _DIGIT_RUN.findall(text)), default=0)


class DigitGated:
    """A compiled regex (or equivalent) that does not scan a text too short of digits."""

    def __init__(self, compiled: _Finder, needs: int) -> None:
        self.compiled = compiled
        self.needs = needs

    def finditer(self, text: str, timeout: float | None = None) -> Iterator[Any]:
        """The regex's matches; none, without scanning, when the text has no run of
        `needs` digits."""
        if longest_digit_run(text) < self.needs:
            return iter(())
        return self.compiled.finditer(text, timeout=timeout)
